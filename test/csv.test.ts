/** CSV: findings and the safeguard matrix, read back by csv-parse, with quoting and the formula guard. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, describe, expect, it } from 'vitest';
import { csvField } from '../src/format/csv.js';
import { cli } from './support/cli.js';

const AS_OF = ['--as-of', '2026-11-22'];
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const rows = (text: string): Record<string, string>[] => parse(text, { columns: true, record_delimiter: '\r\n', relax_column_count: false });

describe('CSV', () => {
  it('has every finding of the JSON report as a row, in the same order', () => {
    const json = JSON.parse(cli(['scan', 'fixtures/example', ...AS_OF, '--format', 'json']).stdout) as {
      findings: { id: string; severity: string; message: string; path: string[]; cite: string[]; location: { file: string; line: number } }[];
    };
    const r = cli(['scan', 'fixtures/example', ...AS_OF, '--format', 'csv']);
    expect(r.status).toBe(1);
    expect(r.stdout.endsWith('\r\n')).toBe(true);
    const got = rows(r.stdout);
    expect(got.map((x) => x.id)).toEqual(json.findings.map((f) => f.id));
    got.forEach((row, i) => {
      const f = json.findings[i]!;
      expect(row.severity).toBe(f.severity);
      expect(row.message).toBe(f.message);
      expect(row.phi_path).toBe(f.path.join(' → '));
      expect(row.citations).toBe(f.cite.join('; '));
      expect(row.file).toBe(f.location.file);
      expect(Number(row.line)).toBe(f.location.line);
    });
  }, 120_000);

  it('writes the safeguard matrix with -f csv-matrix', () => {
    const r = cli(['scan', 'fixtures/example', ...AS_OF, '--format', 'csv-matrix']);
    expect(r.status).toBe(1);
    const got = rows(r.stdout);
    expect(got.length).toBeGreaterThan(20);
    const access = got.find((x) => x.citation === '45 CFR 164.312(a)(1)')!;
    expect(access.implementation).toBe('standard');
    expect(access.family).toBe('technical');
    expect(access.rules!.split('; ')).toContain('access-control');
    expect(['fail', 'unknown', 'accepted', 'pass', 'not-applicable']).toContain(access.status);
    for (const row of got) expect(Number(row.checked)).toBeGreaterThanOrEqual(Number(row.passed));
  }, 120_000);

  it('quotes by RFC 4180 and guards cells a spreadsheet would run as formulas', () => {
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('=HYPERLINK("http://x")')).toBe('"\'=HYPERLINK(""http://x"")"');
    for (const c of ['+', '-', '@']) expect(csvField(`${c}1+1`)).toBe(`'${c}1+1`);
    expect(csvField('line\nbreak\u202e')).toBe('line\\nbreak\\u202e');
    expect(csvField(12)).toBe('12');
    expect(csvField(undefined)).toBe('');

    const dir = mkdtempSync(path.join(tmpdir(), 'phi-audit-csv-'));
    dirs.push(dir);
    writeFileSync(path.join(dir, 'phi-map.yaml'), 'version: 1\nsystem: s\nlogs:\n  metrics: { kind: metrics, data: [phi] }\n');
    const rules = path.join(dir, 'rules');
    mkdirSync(rules);
    writeFileSync(
      path.join(rules, 'no-phi-in-metrics.yaml'),
      [
        'id: no-phi-in-metrics',
        'title: "=HYPERLINK(\\"http://evil.example\\", \\"Metrics never carry PHI\\")"',
        'severity: high',
        'cite:',
        '  - { section: 164.502(b), standard: Minimum necessary, implementation: standard }',
        'rationale: Metrics are exported to dashboards.',
        'remediation: "@SUM(1+1) aggregate first"',
        'applies_to:',
        '  targets: [log]',
        '  kinds: [metrics]',
        'check: { function: phi-absent }',
        'message: "+PHI ({classes}) reaches metrics log {target}, \\"quoted\\"."',
        '',
      ].join('\n'),
    );
    const r = cli(['scan', '--format', 'csv', '--rules', 'rules', ...AS_OF], { cwd: dir });
    expect(r.status, r.stderr).toBe(1);
    const got = rows(r.stdout).filter((row) => row.rule === 'no-phi-in-metrics');
    expect(got).toHaveLength(1);
    expect(got[0]!.title).toBe('\'=HYPERLINK("http://evil.example", "Metrics never carry PHI")');
    expect(got[0]!.remediation).toBe("'@SUM(1+1) aggregate first");
    expect(got[0]!.message).toBe('\'+PHI (phi) reaches metrics log metrics, "quoted".');
    for (const row of rows(r.stdout)) for (const v of Object.values(row)) expect(v).not.toMatch(/^[=+\-@]/);
  }, 120_000);
});
