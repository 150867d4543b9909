/** Escaping user text for a terminal, a diagnostic and a Markdown report (src/source/escape.ts). */
import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../src/source/diagnostics.js';
import { escapeMarkdown, escapeMarkdownProse, escapeTerminal, markdownCode } from '../src/source/escape.js';

/** Every character escape.ts shows as an escape: C0, DEL, C1, bidi controls, line and paragraph separators. */
const HIDDEN = [
  ...Array.from({ length: 0x20 }, (_, i) => i),
  0x7f,
  ...Array.from({ length: 0x20 }, (_, i) => 0x80 + i),
  0x061c,
  0x200e,
  0x200f,
  0x2028,
  0x2029,
  0x202a,
  0x202b,
  0x202c,
  0x202d,
  0x202e,
  0x2066,
  0x2067,
  0x2068,
  0x2069,
].map((c) => String.fromCharCode(c));
// biome-ignore lint/suspicious/noControlCharactersInRegex: the characters that must never reach the output raw.
const RAW = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/;

describe('escapeTerminal', () => {
  it('leaves ordinary text alone, Unicode and backslashes included', () => {
    for (const s of ['', 'aws/s3', 'northbay-health → ehr-ingest', 'Zürich 東京 ☃', 'C:\\maps\\a.yaml', 'a "quoted" value']) {
      expect(escapeTerminal(s)).toBe(s);
    }
  });

  it('shows every control and bidi character as an escape', () => {
    for (const c of HIDDEN) {
      const out = escapeTerminal(`a${c}b`);
      expect(out, `U+${c.charCodeAt(0).toString(16)}`).not.toMatch(RAW);
      expect(out.startsWith('a\\') && out.endsWith('b')).toBe(true);
    }
  });

  it('writes \\n, \\r and \\t short, other C0 and C1 as \\xNN, bidi and separators as \\uNNNN', () => {
    expect(escapeTerminal('a\nb\rc\td')).toBe('a\\nb\\rc\\td');
    expect(escapeTerminal('\u001b[2J\u0000\u007f\u009b\u0085')).toBe('\\x1b[2J\\x00\\x7f\\x9b\\x85');
    expect(escapeTerminal('\u202eevil\u2066\u200f\u061c\u2028')).toBe('\\u202eevil\\u2066\\u200f\\u061c\\u2028');
  });

  it('turns a hyperlink escape sequence into plain text', () => {
    expect(escapeTerminal('\u001b]8;;https://evil.example\u0007click\u001b]8;;\u0007')).toBe('\\x1b]8;;https://evil.example\\x07click\\x1b]8;;\\x07');
  });
});

describe('formatDiagnostic', () => {
  it('escapes the file name and the message, so a diagnostic is always one line', () => {
    const line = formatDiagnostic({ file: 'x\n0 problems; all clear\u001b[31m.yaml', line: 2, column: 3, message: 'bad value "\u202eevil"' });
    expect(line).toBe('x\\n0 problems; all clear\\x1b[31m.yaml:2:3: bad value "\\u202eevil"');
    expect(line).not.toMatch(RAW);
  });

  it('writes an ordinary diagnostic as before', () => {
    expect(formatDiagnostic({ file: 'maps/a.yaml', line: 4, column: 5, message: 'unknown key "encripton"' })).toBe('maps/a.yaml:4:5: unknown key "encripton"');
    expect(formatDiagnostic({ file: '--as-of', line: 0, column: 0, message: 'not a date' })).toBe('--as-of: not a date');
  });
});

describe('escapeMarkdown', () => {
  it('leaves the text of an ordinary report alone', () => {
    for (const s of [
      'PHI (phi) reaches ds-laptop in environment endpoints, which is declared phi_allowed: false.',
      'debug-log holds PHI (clinical-notes) but names no audit_log that records who accessed it (access.unique_user_ids).',
      'Flow summarizer->debug-log carries PHI (clinical-notes) and declares no TLS version.',
      '45 CFR 164.308(a)(1)(ii)(A)',
      'northbay-health → notes-intake → summarizer',
      'fixtures/example/services/summarizer.phi.yaml:193:5',
    ]) {
      expect(escapeMarkdown(s)).toBe(s);
    }
  });

  it('escapes what would start HTML, a comment, emphasis, a link, code, math or a table cell', () => {
    expect(escapeMarkdown('<!-- hide')).toBe('\\<!-- hide');
    expect(escapeMarkdown('<img src=x onerror=alert(1)>')).toBe('\\<img src=x onerror=alert(1)>');
    expect(escapeMarkdown('a | b')).toBe('a \\| b');
    expect(escapeMarkdown('*bold* _it_ `code` [link](https://x) ~~s~~ $x$ # h')).toBe(
      '\\*bold\\* \\_it\\_ \\`code\\` \\[link\\](https://x) \\~\\~s\\~\\~ \\$x\\$ \\# h',
    );
    expect(escapeMarkdown('&#x202E; and a\\b')).toBe('\\&\\#x202E; and a\\\\b');
  });

  it('leaves an underscore inside a word alone, and escapes one at a word edge', () => {
    expect(escapeMarkdown('phi_allowed')).toBe('phi_allowed');
    expect(escapeMarkdown('__init__')).toBe('\\_\\_init\\_\\_');
    expect(escapeMarkdown('é_ü')).toBe('é_ü');
  });

  it('keeps text on one line: line breaks, control and bidi characters are shown as escapes', () => {
    expect(escapeMarkdown('a\nb\r\n\tc')).toBe('a\\nb\\r\\n\\tc');
    expect(escapeMarkdown('x\u001b[2J\u202ey')).toBe('x\\x1b\\[2J\\u202ey');
    for (const c of HIDDEN) expect(escapeMarkdown(`a${c}b`)).not.toMatch(RAW);
  });
});

describe('markdownCode', () => {
  it('wraps text in a code span longer than any run of backticks in it', () => {
    expect(markdownCode('ds-laptop')).toBe('`ds-laptop`');
    expect(markdownCode('a`b')).toBe('``a`b``');
    expect(markdownCode('``x')).toBe('``` ``x ```');
    expect(markdownCode('<!-- *x*')).toBe('`<!-- *x*`');
  });

  it('escapes | in a table cell, and shows control characters', () => {
    expect(markdownCode('a|b', { inTable: true })).toBe('`a\\|b`');
    expect(markdownCode('a|b')).toBe('`a|b`');
    expect(markdownCode('a\nb\u001b')).toBe('`a\\nb\\x1b`');
  });
});

describe('escapeMarkdownProse', () => {
  it('keeps a rule author’s code spans and escapes the rest', () => {
    const s = 'Declare `access: { rbac: true }` once the restriction is in place.';
    expect(escapeMarkdownProse(s)).toBe(s);
    expect(escapeMarkdownProse('Use `a|b` <!-- and *this*')).toBe('Use `a|b` \\<!-- and \\*this\\*');
    expect(escapeMarkdownProse('Use `a|b`', { inTable: true })).toBe('Use `a\\|b`');
  });

  it('escapes an unmatched backtick as text', () => {
    expect(escapeMarkdownProse('a ` b')).toBe('a \\` b');
    expect(escapeMarkdownProse('``a` b')).toBe('\\`\\`a\\` b');
    expect(escapeMarkdownProse('``a`b`` and `c`')).toBe('``a`b`` and `c`');
  });

  it('re-flows the author’s line breaks and tabs as spaces', () => {
    expect(escapeMarkdownProse('Encrypt the store\nand declare `at_rest:\naes-256`.\t')).toBe('Encrypt the store and declare `at_rest: aes-256`. ');
  });

  it('shows control characters inside code spans too', () => {
    expect(escapeMarkdownProse('`\u001b[2J` \u202e')).toBe('`\\x1b[2J` \\u202e');
  });
});
