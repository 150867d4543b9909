/** `--format github`: workflow commands on the map lines, escaped as GitHub reads them, and the job summary. */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { escapeData, escapeProperty } from '../src/format/github.js';
import { cli } from './support/cli.js';

const AS_OF = ['--as-of', '2026-11-22'];
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
function tempDir(): string {
  const d = mkdtempSync(path.join(tmpdir(), 'phi-audit-github-'));
  dirs.push(d);
  return d;
}

/** A workflow command line read back the way the runner does: command, properties (unescaped), message. */
const COMMAND = /^::(error|warning|notice) ([^:]*)::(.*)$/;
const unescapeCommand = (s: string) => s.replace(/%2C/g, ',').replace(/%3A/g, ':').replace(/%0A/g, '\n').replace(/%0D/g, '\r').replace(/%25/g, '%');
function commands(stdout: string) {
  return stdout
    .split('\n')
    .filter((l) => l.startsWith('::'))
    .map((l) => {
      const m = COMMAND.exec(l);
      expect(m, l).not.toBeNull();
      const props = Object.fromEntries(m![2]!.split(',').map((p) => [p.slice(0, p.indexOf('=')), unescapeCommand(p.slice(p.indexOf('=') + 1))]));
      return { level: m![1]!, props, message: unescapeCommand(m![3]!) };
    });
}

describe('--format github', () => {
  it('annotates every finding on its map line; blocking ones as errors', () => {
    const json = JSON.parse(cli(['scan', 'fixtures/example', ...AS_OF, '--format', 'json']).stdout) as {
      findings: {
        id: string;
        rule: string;
        target: string;
        severity: string;
        folded_under?: string;
        location: { file: string; line: number; column: number };
      }[];
    };
    const r = cli(['scan', 'fixtures/example', ...AS_OF, '--format', 'github'], { env: { GITHUB_STEP_SUMMARY: undefined } });
    expect(r.status).toBe(1);
    const got = commands(r.stdout);
    expect(got).toHaveLength(json.findings.length);
    got.forEach((c, i) => {
      const f = json.findings[i]!;
      expect(c.props.file).toBe(f.location.file);
      expect(Number(c.props.line)).toBe(f.location.line);
      expect(Number(c.props.col)).toBe(f.location.column);
      expect(c.props.title).toBe(`phi-audit ${f.severity}: ${f.rule} on ${f.target}`);
      const blocking = f.folded_under === undefined && (f.severity === 'critical' || f.severity === 'high');
      expect(c.level).toBe(f.folded_under !== undefined ? 'notice' : blocking ? 'error' : 'warning');
    });
    expect(r.stdout).toMatch(/^phi-audit: \d+ findings, \d+ at or above --fail-on high/m);
  }, 120_000);

  it('escapes data and properties so no map text ends a command or starts another', () => {
    expect(escapeData('50% a\r\nb')).toBe('50%25 a%0D%0Ab');
    expect(escapeProperty('a:b,c%')).toBe('a%3Ab%2Cc%25');
    const dir = tempDir();
    mkdirSync(path.join(dir, 'a,b:c'));
    writeFileSync(path.join(dir, 'a,b:c', 'phi-map.yaml'), 'version: 1\nsystem: s\nstores:\n  db: { data: [phi] }\n');
    const r = cli(['scan', 'a,b:c', '--format', 'github', ...AS_OF], { cwd: dir, env: { GITHUB_STEP_SUMMARY: undefined } });
    expect(r.status, r.stderr).toBe(1);
    const got = commands(r.stdout);
    expect(got.length).toBeGreaterThan(0);
    for (const c of got) expect(c.props.file).toBe('a,b:c/phi-map.yaml');
    for (const line of r.stdout.split('\n')) if (line !== '') expect(line.startsWith('::') || line.startsWith('phi-audit: ')).toBe(true);
  }, 120_000);

  it('appends a Markdown job summary to $GITHUB_STEP_SUMMARY', () => {
    const dir = tempDir();
    const summary = path.join(dir, 'summary.md');
    writeFileSync(summary, '# earlier step\n');
    const r = cli(['scan', 'fixtures/example', ...AS_OF, '--format', 'github'], { env: { GITHUB_STEP_SUMMARY: summary } });
    expect(r.status).toBe(1);
    const md = readFileSync(summary, 'utf8');
    expect(md.startsWith('# earlier step\n## phi-audit: ')).toBe(true);
    expect(md).toMatch(/\*\*\d+ findings at or above `--fail-on high`\*\*: the job fails\./);
    expect(md).toContain('| critical | `breach-exposure` | `adt-mercy-valley` | `fixtures/example/services/ingest.phi.yaml:');
  }, 120_000);

  it('on exit 2, annotates each problem at its place', () => {
    const dir = tempDir();
    mkdirSync(path.join(dir, '.git'));
    mkdirSync(path.join(dir, 'maps'));
    writeFileSync(path.join(dir, 'maps', 'phi-map.yaml'), 'version: 1\nsystem: s\nstores:\n  db: { data: [phi] }\nflows:\n  - { from: db, to: nowhere }\n');
    const r = cli(['scan', '--format', 'github'], { cwd: path.join(dir, 'maps'), env: { GITHUB_STEP_SUMMARY: undefined } });
    expect(r.status).toBe(2);
    const got = commands(r.stdout);
    expect(got).toHaveLength(1);
    expect(got[0]!.level).toBe('error');
    expect(got[0]!.props.file).toBe('maps/phi-map.yaml');
    expect(got[0]!.props.line).toBe('6');
    expect(got[0]!.message).toMatch(/nowhere/);
  }, 120_000);
});
