/**
 * Several outputs in one run, the `.phi-audit.yaml` config file, --quiet, --compact, --min-severity, text width, and
 * report files written on exit 2 (a broken map), all through the CLI.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatText } from '../src/format/text.js';
import { reportFor } from './support/audit.js';
import { cli, ROOT, STACK_TRACE } from './support/cli.js';

const CLINIC = readFileSync(path.join(ROOT, 'fixtures/accepted/clinic.phi.yaml'), 'utf8');
const AS_OF = ['--as-of', '2026-11-22'];

function workdir(files: Record<string, string> = {}): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'phi-outputs-'));
  writeFileSync(path.join(dir, 'phi-map.yaml'), CLINIC);
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  return dir;
}

describe('several outputs in one run', () => {
  it('writes text to stdout and each FORMAT=FILE to its file, with the same findings', () => {
    const dir = workdir();
    const r = cli(['scan', ...AS_OF, '-f', 'text', '-f', 'json=report.json', '-f', 'markdown=gap.md'], { cwd: dir });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('7 findings (1 critical, 1 high');
    expect(r.stderr).toContain('written to report.json');
    expect(r.stderr).toContain('written to gap.md');
    const json = JSON.parse(readFileSync(path.join(dir, 'report.json'), 'utf8'));
    expect(json.summary.findings).toBe(7);
    expect(readFileSync(path.join(dir, 'gap.md'), 'utf8')).toContain('transmission-tls');
  }, 60_000);

  it('refuses two formats to standard output, an unknown format, and two formats to one file', () => {
    const dir = workdir();
    const two = cli(['scan', ...AS_OF, '-f', 'text', '-f', 'json'], { cwd: dir });
    expect(two.status).toBe(2);
    expect(two.stderr).toContain('text and json would all write to standard output');
    expect(two.stdout).toBe('');
    const unknown = cli(['scan', ...AS_OF, '-f', 'jsno'], { cwd: dir });
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('unknown format "jsno" (did you mean "json"?)');
    const same = cli(['scan', ...AS_OF, '-f', 'json=r.out', '-f', 'sarif=r.out'], { cwd: dir });
    expect(same.status).toBe(2);
    expect(same.stderr).toContain('json and sarif would both be written to r.out');
    expect(existsSync(path.join(dir, 'r.out'))).toBe(false);
  }, 60_000);

  it('--output still names the file of the one format without =FILE', () => {
    const dir = workdir();
    const r = cli(['scan', ...AS_OF, '-f', 'json', '-o', 'one.json', '-f', 'markdown=gap.md'], { cwd: dir });
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(JSON.parse(readFileSync(path.join(dir, 'one.json'), 'utf8')).format_version).toBe('1.1');
    expect(existsSync(path.join(dir, 'gap.md'))).toBe(true);
  }, 60_000);
});

describe('a broken map still writes every requested report file', () => {
  it('JSON carries the diagnostics and says nothing was checked; text carries the problems; exit 2', () => {
    const dir = workdir({ 'phi-map.yaml': 'version: 1\nservices:\n  api: { bogus: 1 }\n' });
    const r = cli(['scan', ...AS_OF, '-f', 'text', '-f', 'json=report.json', '-f', 'text=report.txt'], { cwd: dir });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('phi-map.yaml:3:10: unknown key "bogus"');
    expect(r.stderr).not.toMatch(STACK_TRACE);
    const json = JSON.parse(readFileSync(path.join(dir, 'report.json'), 'utf8'));
    expect(json.format_version).toBe('1.1');
    expect(json.summary).toMatchObject({ checked: false, problems: 1 });
    expect(json.diagnostics).toEqual([{ file: 'phi-map.yaml', line: 3, column: 10, message: expect.stringContaining('unknown key "bogus"') }]);
    const text = readFileSync(path.join(dir, 'report.txt'), 'utf8');
    expect(text).toContain('phi-map.yaml:3:10: unknown key "bogus"');
    expect(text).toContain('nothing was checked');
  }, 60_000);

  it('so does a bad flag value found after the outputs are known, and a broken baseline', () => {
    const dir = workdir();
    const r = cli(['scan', '--as-of', '2026-02-30', '-f', 'json=report.json', '--baseline', 'missing.json'], { cwd: dir });
    expect(r.status).toBe(2);
    const json = JSON.parse(readFileSync(path.join(dir, 'report.json'), 'utf8'));
    expect(json.diagnostics.map((d: { file: string }) => d.file).sort()).toEqual(['--as-of', 'missing.json']);
  }, 60_000);
});

describe('the config file', () => {
  it('is found beside the map, fills what the flags leave out, and loses to a flag', () => {
    const dir = workdir({ '.phi-audit.yaml': 'fail-on: critical\nformat: [text, json=from-config.json]\nmin-severity: high\n' });
    const r = cli(['scan', 'phi-map.yaml', ...AS_OF], { cwd: dir });
    expect(r.status).toBe(1); // one critical
    expect(r.stdout).toContain('5 findings below high not shown (--min-severity).');
    expect(r.stdout).not.toContain('MEDIUM');
    expect(r.stdout).toContain('1 at or above --fail-on critical: exit code 1.');
    expect(existsSync(path.join(dir, 'from-config.json'))).toBe(true);
    // From another folder, the file beside the map is still the one read; a flag wins over it.
    const other = mkdtempSync(path.join(tmpdir(), 'phi-elsewhere-'));
    const flagged = cli(['scan', path.join(dir, 'phi-map.yaml'), ...AS_OF, '--fail-on', 'none', '-f', 'text', '--show-config'], { cwd: other });
    expect(flagged.status).toBe(0);
    expect(flagged.stdout).toMatch(/fail-on: +none +\(--fail-on\)/);
    expect(flagged.stdout).toMatch(/min-severity: +high +\(.*\.phi-audit\.yaml:3:15\)/);
    expect(flagged.stdout).toMatch(/format: +text \(stdout\) +\(-f\)/);
    // --no-config reads none.
    const none = cli(['scan', 'phi-map.yaml', ...AS_OF, '--no-config', '--show-config'], { cwd: dir });
    expect(none.stdout).toContain('config file:    (none)');
    expect(none.stdout).toMatch(/fail-on: +high +\(default\)/);
  }, 60_000);

  it('is validated with positions and a did-you-mean, and --config must exist', () => {
    const dir = workdir({ '.phi-audit.yaml': 'fail-on: severe\nrulez: [x]\n' });
    const r = cli(['scan', ...AS_OF], { cwd: dir });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('.phi-audit.yaml:1:10: fail-on');
    expect(r.stderr).toContain('.phi-audit.yaml:2:1: unknown key "rulez" at the top level: did you mean "rules"?');
    const missing = cli(['scan', ...AS_OF, '--config', 'nope.yaml'], { cwd: dir });
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('nope.yaml: --config: cannot read the file');
  }, 60_000);

  it('is an input of the run: no report is written over it; paths in it are relative to its folder', () => {
    const dir = workdir({ '.phi-audit.yaml': 'format: json=reports/out.json\n' });
    const refused = cli(['scan', ...AS_OF, '-f', 'json', '-o', '.phi-audit.yaml'], { cwd: dir });
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain('would overwrite the config file .phi-audit.yaml');
    expect(readFileSync(path.join(dir, '.phi-audit.yaml'), 'utf8')).toBe('format: json=reports/out.json\n');
    const other = mkdtempSync(path.join(tmpdir(), 'phi-elsewhere-'));
    const viaConfig = cli(['scan', dir, ...AS_OF, '--config', path.join(dir, '.phi-audit.yaml')], { cwd: other });
    // The reports/ folder does not exist: the path was resolved against the config's folder, not the working one.
    expect(viaConfig.status).toBe(2);
    expect(viaConfig.stderr).toContain(path.join(dir, 'reports'));
  }, 60_000);
});

describe('what the text report shows', () => {
  it('--quiet prints only the summary lines; --compact gives each remediation once', () => {
    const dir = workdir();
    const quiet = cli(['scan', ...AS_OF, '-q', '-f', 'text', '-f', 'json=q.json'], { cwd: dir });
    // Every bundled rule runs: one YAML file each under rules/.
    const bundled = readdirSync(path.join(ROOT, 'rules')).filter((f) => f.endsWith('.yaml')).length;
    expect(quiet.stdout.trim().split('\n')).toEqual([
      `7 findings (1 critical, 1 high, 1 medium, 2 low, 2 info, 1 unknown) from ${bundled} rules.`,
      '2 at or above --fail-on high: exit code 1.',
    ]);
    expect(quiet.stderr).toBe('');
    const compact = cli(['scan', ...AS_OF, '--compact'], { cwd: dir });
    expect(compact.stdout).not.toContain('fix:');
    expect(compact.stdout).toContain('How to fix, per rule:');
    // customer-managed-key fired twice, its remediation is printed once.
    expect(compact.stdout.split('Encrypt with a customer-managed key').length - 1).toBe(1);
    const full = cli(['scan', ...AS_OF], { cwd: dir });
    expect(full.stdout.split('Encrypt with a customer-managed key').length - 1).toBe(2);
  }, 60_000);

  it('--min-severity hides less severe findings and leaves the exit code to --fail-on', () => {
    const dir = workdir();
    const json = JSON.parse(cli(['scan', ...AS_OF, '--min-severity', 'critical', '-f', 'json', '--fail-on', 'high'], { cwd: dir }).stdout);
    expect(json.findings.map((f: { severity: string }) => f.severity)).toEqual(['critical']);
    expect(json.summary).toMatchObject({ findings: 7, blocking: 2, min_severity: 'critical', hidden: 6 });
    expect(cli(['scan', ...AS_OF, '--min-severity', 'critical'], { cwd: dir }).status).toBe(1);
  }, 60_000);

  it('is not wrapped when piped, and wrapped at the width given without cutting an id or path', async () => {
    const dir = workdir();
    const piped = cli(['scan', ...AS_OF], { cwd: dir });
    expect(piped.stdout.split('\n').some((l) => l.length > 200)).toBe(true);
    const report = await reportFor(['fixtures/example'], { asOf: '2026-11-22' });
    const narrow = [...formatText(report, { color: false, width: 60 })].join('');
    const unwrapped = [...formatText(report, { color: false })].join('');
    const words = (s: string) => s.split(/\s+/).filter(Boolean);
    // Same words in the same order: breaks only at spaces.
    expect(words(narrow)).toEqual(words(unwrapped));
    for (const line of narrow.split('\n')) {
      if (line.length <= 60) continue;
      // A longer line is a heading (target and position), a PHI path, or one with no space to break at after its indent.
      expect(/^\S/.test(line) || /^ {2}PHI path:/.test(line) || !/\S\s+\S/.test(line.trim()), line).toBe(true);
    }
  }, 60_000);
});
