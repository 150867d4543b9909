/**
 * The YAML slips newcomers make most, each a fixture under fixtures/newcomer/: the message says what is wrong and
 * shows the line as it should be written, at the line to change (a key indented under a value used to be reported
 * on the line above it). Both readers (fast and exact) give the same; the CLI exits 2 with every one of them.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateMapText } from '../src/map/load.js';
import { cli, ROOT, STACK_TRACE } from './support/cli.js';

const DIR = 'fixtures/newcomer';

interface Slip {
  /** Fixture name, without .yaml. */
  file: string;
  line: number;
  column: number;
  message: string;
}

/** Every diagnostic each fixture gives, in order. */
const SLIPS: Slip[] = [
  { file: 'dash-no-space', line: 5, column: 5, message: 'YAML: a list item needs a space after its dash: write `    - phi`' },
  {
    file: 'duplicate-id',
    line: 5,
    column: 3,
    message:
      'YAML: duplicate key "referrals-db": each key may appear once in a mapping (first at line 3): keep one `referrals-db:`, or if these are two entries, give one another name',
  },
  {
    file: 'duplicate-key',
    line: 6,
    column: 5,
    message:
      'YAML: duplicate key "interactive": each key may appear once in a mapping (first at line 4): keep one `interactive:`, or if these are two entries, give one another name',
  },
  {
    file: 'fields-not-indented',
    line: 3,
    column: 3,
    message:
      'services.intake-api must be a mapping (key: value lines), not nothing (an empty value): the line below it is not indented under `intake-api:`: indent the entries of `intake-api:` further than it, as in `    interactive: true`',
  },
  { file: 'fields-not-indented', line: 4, column: 16, message: 'services.interactive must be a mapping (key: value lines), not boolean true' },
  {
    file: 'flow-colon',
    line: 4,
    column: 20,
    message:
      'YAML: inside { }, ": " separates a key from its value and "," separates entries, so a value holding either must be quoted: write `{ note: "owner: records team" }`',
  },
  {
    file: 'flow-comma',
    line: 3,
    column: 60,
    message:
      'unknown key "triage" in flows[0] (allowed: id, from, to, tls, on, data, deidentify, basis, transport, purpose, description): inside { }, "," separates entries, so "triage" became a key of its own; to keep "intake, triage" as one value, quote it: `- { from: intake-api, to: referrals-db, purpose: "intake, triage" }`',
  },
  {
    file: 'flow-no-space',
    line: 4,
    column: 19,
    message:
      'unknown key "at_rest:aes-256" in stores.referrals-db.encryption (allowed: at_rest, key): a key needs a space after its colon: write `    encryption: { at_rest: aes-256, key: customer-managed }`',
  },
  {
    file: 'flow-unclosed',
    line: 4,
    column: 17,
    message:
      'YAML: this { is not closed on its line: end the mapping with }, as in `    encryption: { at_rest: aes-256, key: customer-managed }`, or write it as indented lines',
  },
  {
    file: 'key-no-space',
    line: 4,
    column: 5,
    message:
      'services.intake-api must be a mapping (key: value lines), not the text "interactive:true": a key needs a space after its colon: write `    interactive: true`',
  },
  {
    file: 'key-under-value',
    line: 5,
    column: 7,
    message:
      "YAML: `interactive:` is indented more than `description:` on line 4, so YAML reads it as more of that line's value (receives referrals): a key beside `description:` starts in the same column (5), as in `    interactive: true`",
  },
  {
    file: 'list-item-level',
    line: 6,
    column: 6,
    message:
      "YAML: this list item's dash is in column 6, but the item on line 5 has its dash in column 7: items of one list line up, as in `      - referral-notes`",
  },
  {
    file: 'list-item-outdented',
    line: 6,
    column: 3,
    message:
      "YAML: this list item's dash is in column 3, but the item on line 5 has its dash in column 5: items of one list line up, as in `    - referral-notes`",
  },
  {
    file: 'list-on-key-line',
    line: 4,
    column: 11,
    message:
      'YAML: a list cannot start on the same line as its key: write `    data: [phi]`, or put each `- item` on a line of its own below `data:`, indented',
  },
  {
    file: 'sibling-less-indented',
    line: 5,
    column: 4,
    message:
      'YAML: `description:` is indented 3 spaces, which lines it up with no key above it: indent it 4 spaces to put it beside `interactive:` (line 4): `    description: receives referrals`, or 2 spaces to put it beside `intake-api:` (line 3): `  description: receives referrals`',
  },
  {
    file: 'sibling-more-indented',
    line: 6,
    column: 6,
    message:
      "YAML: `to:` is indented more than `from:` on line 5, so YAML reads it as more of that line's value (intake-api): a key beside `from:` starts in the same column (5), as in `    to: app-logs`",
  },
  {
    file: 'tab-indent',
    line: 4,
    column: 1,
    message:
      'YAML: line 4 is indented with a tab: YAML indents with spaces only. Use spaces, lined up with the keys it belongs beside, e.g. `    interactive: true`',
  },
  {
    file: 'value-alias',
    line: 3,
    column: 15,
    message:
      'YAML: a value starting with * is a YAML alias (a reference to an anchor written &name), and no anchor &api-defaults is written before it: define the anchor above (`name: &api-defaults ...`), or, to keep the text, put it in quotes: `  intake-api: "*api-defaults"`',
  },
  {
    file: 'value-ampersand',
    line: 4,
    column: 18,
    message:
      'YAML: a value starting with & is a YAML anchor (a name for the value after it): to keep it as text, put the whole value in quotes: `    description: "& triage"`',
  },
  {
    file: 'value-at',
    line: 8,
    column: 17,
    message: 'YAML: a value cannot start with @ (reserved in YAML): to keep it as text, put the whole value in quotes: `      document: "@legal/aws-baa.pdf"`',
  },
  {
    file: 'value-backtick',
    line: 4,
    column: 18,
    message: 'YAML: a value cannot start with ` (reserved in YAML): to keep it as text, put the whole value in quotes: `    description: "`intake` service"`',
  },
  {
    file: 'value-bracket',
    line: 4,
    column: 18,
    message:
      'YAML: a value starting with [ is a list, which ends at its ]: to keep it as text, put the whole value in quotes: `    description: "[beta] intake"`',
  },
  {
    file: 'value-colon',
    line: 4,
    column: 18,
    message:
      'YAML: the value of `description:` holds ": ", which YAML reads as the start of another key: quote the value, as in `    description: "owner: records team"`',
  },
  {
    file: 'value-hash',
    line: 4,
    column: 5,
    message:
      'services.intake-api.description must be text, not nothing (an empty value): a # after a space starts a comment, so the value is empty; to write text starting with #, quote it: `    description: "#1 entry point"`',
  },
  {
    file: 'value-percent',
    line: 4,
    column: 18,
    message:
      'YAML: a value cannot start with % (it marks a YAML directive): to keep it as text, put the whole value in quotes: `    description: "%20 of referrals are urgent"`',
  },
  {
    file: 'value-pipe',
    line: 4,
    column: 18,
    message:
      'YAML: a value starting with | is a block of text written on the lines below, indented: to keep it as text, put the whole value in quotes: `    description: "| intake and triage"`',
  },
  {
    file: 'value-quote',
    line: 4,
    column: 18,
    message:
      'YAML: a value starting with " is quoted text, which ends at the next ": to keep it as text, put the whole value in quotes: `    description: \'"new" intake\'`',
  },
  {
    file: 'value-star',
    line: 4,
    column: 18,
    message:
      'YAML: a value starting with * is a YAML alias (a reference to an anchor written &name): to keep it as text, put the whole value in quotes: `    description: "*urgent* referrals first"`',
  },
  {
    file: 'value-tag',
    line: 4,
    column: 18,
    message:
      'YAML: a value starting with ! is a YAML tag (a type such as !!str): to keep it as text, put the whole value in quotes: `    description: "!urgent referrals"`',
  },
];

const text = (file: string): string => readFileSync(path.join(ROOT, DIR, `${file}.yaml`), 'utf8');

describe('newcomer YAML slips', () => {
  it('has a case for every fixture', () => {
    const fixtures = readdirSync(path.join(ROOT, DIR))
      .filter((f) => f.endsWith('.yaml'))
      .map((f) => f.slice(0, -5));
    expect(new Set(SLIPS.map((s) => s.file))).toEqual(new Set(fixtures));
  });

  const byFile = new Map<string, Slip[]>();
  for (const s of SLIPS) byFile.set(s.file, [...(byFile.get(s.file) ?? []), s]);
  for (const [file, expected] of byFile) {
    it(`${file}: explained at the line to change`, () => {
      for (const fast of [true, false]) {
        const r = validateMapText(`${DIR}/${file}.yaml`, text(file), { fast });
        expect(r.file).toBeUndefined();
        expect(r.diagnostics.map((d) => ({ line: d.line, column: d.column, message: d.message }))).toEqual(
          expected.map(({ line, column, message }) => ({ line, column, message })),
        );
      }
    });
  }

  it('every suggested line is valid YAML for the slip it fixes', () => {
    // Apply each syntax-level suggestion (the backquoted line after "write", "as in" or "quotes:") and re-read.
    for (const slip of SLIPS.filter((s) => s.message.startsWith('YAML: ') && !/duplicate key/.test(s.message))) {
      const suggested = /(?:as in|write|quotes:|e\.g\.|\(line \d+\):) `(.*?)`(?=$|,| or)/.exec(slip.message)?.[1];
      expect(suggested, slip.file).toBeDefined();
      const lines = text(slip.file).split('\n');
      if (suggested!.trimStart().startsWith('{')) continue; // a flow mapping shown alone
      lines[slip.line - 1] = suggested!;
      const r = validateMapText('fixed.yaml', lines.join('\n'), { fast: false });
      expect(
        r.diagnostics.filter((d) => d.message.startsWith('YAML: ') && d.line === slip.line),
        slip.file,
      ).toEqual([]);
    }
  });

  it('explaining stays linear on huge lines (900,000 spaces where a slip is looked for)', () => {
    const S = ' '.repeat(900_000);
    for (const text of [
      `version: 1\nservices:\n  api: { a:${S}b: c }\n`,
      `version: 1\nservices:\n  api:\n    description: x\n      k${S}x: y\n`,
      `version: 1\nservices:\n  api:\n    a: 1\n   b${S}: 2\n`,
      `version: 1\nservices:\n  api: { data: [phi${S}x\n`,
    ]) {
      const started = performance.now();
      const r = validateMapText('huge.yaml', text, { fast: false });
      expect(r.diagnostics.length).toBeGreaterThan(0);
      // A quadratic scan of this line takes minutes; a linear one well under a second on a quiet machine.
      expect(performance.now() - started).toBeLessThan(10_000);
    }
  }, 60_000);

  it('the CLI exits 2 and prints each message as file:line:column', () => {
    const r = cli(['validate', ...[...byFile.keys()].map((f) => `${DIR}/${f}.yaml`)]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).not.toMatch(STACK_TRACE);
    for (const s of SLIPS) expect(r.stderr).toContain(`${DIR}/${s.file}.yaml:${s.line}:${s.column}: ${s.message}\n`);
  }, 60_000);
});
