/** The Markdown gap report: the same sections as the HTML one, compact; SHA-256 of inputs from `report`; user text escaped. */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { cli, ROOT } from './support/cli.js';
import { writeHostileMap } from './support/hostile-map.js';

// Each case runs the CLI once or more, as a process: slow on a busy machine.
vi.setConfig({ testTimeout: 60_000 });

const AS_OF = ['--as-of', '2026-11-22'];
const HEADINGS = [
  '## Summary',
  '## Safeguard matrix',
  '## BAA register',
  '## PHI inventory',
  '## Findings',
  '## Assertions the result rests on',
  '## Accepted risks',
  '## Inputs',
];

describe('phi-audit report --format markdown', () => {
  const r = cli(['report', 'fixtures/example', ...AS_OF, '-f', 'markdown']);

  it('opens with the summary and keeps the gap report order', () => {
    expect(r.status).toBe(1);
    const md = r.stdout;
    const at = HEADINGS.map((h) => md.indexOf(`\n${h}\n`));
    for (const [i, h] of HEADINGS.entries()) expect(at[i], h).toBeGreaterThan(0);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    expect(md).toContain('| **Blocking findings** | **27** at or above high, of 45 findings');
    expect(md).toContain('| **Vendors PHI reaches** | 7 of 8; without a BAA in force: `gcp` (BAA pending), `sentry` (no BAA) |');
    expect(md).toContain('4,200 at most in one place');
    expect(md).toMatch(/\n```mermaid\nflowchart LR\n[\s\S]*?\n```\n/);
  });

  it('lists the inputs with the SHA-256 of their bytes', () => {
    const file = 'fixtures/example/northbay.phi.yaml';
    const bytes = readFileSync(path.join(ROOT, file));
    expect(r.stdout).toContain(`| \`${file}\` | ${bytes.length.toLocaleString('en-US')} | \`${createHash('sha256').update(bytes).digest('hex')}\` |`);
  });

  it('is the same report as scan --format markdown, but for the digests and the generation time', () => {
    const scan = cli(['scan', 'fixtures/example', ...AS_OF, '-f', 'markdown']).stdout;
    const strip = (md: string) => {
      const s = md.replace(/, generated [^;]+;/, ';');
      return s.slice(0, s.indexOf('\n## Inputs'));
    };
    expect(strip(r.stdout)).toBe(strip(scan));
  });

  it('escapes the user text of a hostile map', () => {
    const h = cli(['report', '.', ...AS_OF, '-f', 'markdown', '--fail-on', 'none'], { cwd: writeHostileMap() });
    expect(h.status).toBe(0);
    // Every `<` from the map is escaped (\<) or inside a code span; the only raw tags are the report's own.
    const tags = [...h.stdout.replace(/`[^`\n]*`/g, '').matchAll(/(?<!\\)<\/?([a-z]+)/gi)].map((m) => m[1]);
    expect([...new Set(tags)].sort()).toEqual(['br', 'details', 'summary']);
    expect(h.stdout).toContain('# PHI gap report: \\<script>alert(\'sys\')\\</script> \\& "quotes" \\u202e end');
    expect(h.stdout).not.toMatch(/(?<!\\)\]\(javascript:/);
  });

  it('says what changed since a baseline: new, existing and fixed', () => {
    const json = JSON.parse(cli(['scan', 'fixtures/example', ...AS_OF, '-f', 'json']).stdout) as {
      findings: { id: string; rule: string; target: string; severity: string; folded_under?: string }[];
    };
    const counted = json.findings.filter((f) => f.folded_under === undefined);
    // Recorded: all but the first two counted findings, plus one that no longer occurs.
    const recorded = [...counted.slice(2), { id: 'mfa@gone-service', rule: 'mfa', target: 'gone-service', severity: 'medium' }].map(
      ({ id, rule, target, severity }) => ({ id, rule, target, severity }),
    );
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'phi-audit-md-')), 'baseline.json');
    writeFileSync(
      file,
      JSON.stringify({
        format_version: '1',
        tool: { name: 'phi-audit', version: '0' },
        created: '2026-11-01',
        findings: recorded.sort((a, b) => (a.id < b.id ? -1 : 1)),
      }),
    );
    const r = cli(['report', 'fixtures/example', ...AS_OF, '-f', 'markdown', '--baseline', file]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain(`| **Since the baseline** | 2 new, ${counted.length - 2} already in \`${file}\`, 1 fixed |`);
    expect(r.stdout).toContain('(new since the baseline)');
    const html = cli(['report', 'fixtures/example', ...AS_OF, '--baseline', file]).stdout;
    expect(html).toContain('<div class="n">2</div><div class="label">new since the baseline</div>');
    expect(html).toContain('<code>mfa@gone-service</code>');
  });
});

describe('accepted risks in the gap report', () => {
  const maps = ['fixtures/accepted/clinic.phi.yaml', 'fixtures/accepted/risks.phi.yaml'];

  it('marks accepted findings, lists every acceptance with its state, and shows the documented alternative in the matrix', () => {
    const r = cli(['report', ...maps, ...AS_OF, '-f', 'markdown']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/\| `automatic-logoff@review-app` \| active \| [^|]+ \| OS screen lock after 5 minutes idle/);
    expect(r.stdout).toMatch(/\| `mfa@review-\*` \| stale \|/);
    expect(r.stdout).toMatch(/\| 164\.312\(a\)\(2\)\(iii\) \| Automatic logoff \| addressable \| accepted \| {2}\| 1 \(alternative: OS screen lock/);
    expect(r.stdout).toContain('(accepted until 2027-04-01)');
  });
});
