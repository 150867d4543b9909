/**
 * Baselines through the CLI: --write-baseline records findings by id only; --baseline marks new and existing, fails
 * only on new ones, and lists fixed ids; an unrelated edit to the map (a node added, lines moved) neither resurrects
 * nor hides a finding; a missing or damaged baseline file is exit 2 with its position.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, ROOT, STACK_TRACE } from './support/cli.js';

const CLINIC = readFileSync(path.join(ROOT, 'fixtures/accepted/clinic.phi.yaml'), 'utf8');
const AS_OF = ['--as-of', '2026-11-22'];

function workdir(map = CLINIC): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'phi-baseline-'));
  writeFileSync(path.join(dir, 'phi-map.yaml'), map);
  return dir;
}

interface Json {
  summary: { blocking: number; findings: number };
  findings: { id: string; baseline?: string; location: { line: number } }[];
  baseline?: { file: string; new: number; existing: number };
  fixed?: string[];
}

function scan(dir: string, args: string[]): { status: number | null; json: Json; stderr: string } {
  const r = cli(['scan', 'phi-map.yaml', ...AS_OF, '-f', 'json', ...args], { cwd: dir });
  expect(r.stderr).not.toMatch(STACK_TRACE);
  return { status: r.status, json: JSON.parse(r.stdout) as Json, stderr: r.stderr };
}

describe('baselines', () => {
  it('--write-baseline records each finding by id, with rule, target and severity, and no position or message', () => {
    const dir = workdir();
    const r = cli(['scan', 'phi-map.yaml', ...AS_OF, '--write-baseline', 'baseline.json'], { cwd: dir });
    expect(r.status).toBe(1); // the run itself still judges as always
    expect(r.stderr).toContain('baseline of 7 findings written to baseline.json');
    const file = JSON.parse(readFileSync(path.join(dir, 'baseline.json'), 'utf8'));
    expect(file.format_version).toBe('1');
    expect(file.tool.name).toBe('phi-audit');
    expect(Date.parse(file.created)).not.toBeNaN();
    expect(file.findings).toHaveLength(7);
    expect(file.findings.map((f: { id: string }) => f.id)).toEqual([...file.findings.map((f: { id: string }) => f.id)].sort());
    for (const f of file.findings) expect(Object.keys(f)).toEqual(['id', 'rule', 'target', 'severity']);
    expect(file.findings).toContainEqual({
      id: 'transmission-tls@review-app->review-api',
      rule: 'transmission-tls',
      target: 'review-app->review-api',
      severity: 'high',
    });
  }, 60_000);

  it('fails only on new findings, counts new, existing and fixed, and survives an unrelated edit', () => {
    const dir = workdir();
    expect(cli(['scan', 'phi-map.yaml', ...AS_OF, '--write-baseline', 'baseline.json', '-q'], { cwd: dir }).status).toBe(1);

    const same = scan(dir, ['--baseline', 'baseline.json']);
    expect(same.status).toBe(0);
    expect(same.json.baseline).toEqual({ file: 'baseline.json', new: 0, existing: 7 });
    expect(same.json.fixed).toEqual([]);
    expect(same.json.findings.every((f) => f.baseline === 'existing')).toBe(true);
    expect(same.json.summary.blocking).toBe(0);

    // An unrelated edit: comments and blank lines push every line down, a node without PHI is added first.
    const moved = CLINIC.replace(
      'services:\n',
      '# Moved down by an unrelated edit.\n\n\n\nservices:\n  status-page:\n    hosting: self\n    description: public status page, no PHI\n',
    );
    writeFileSync(path.join(dir, 'phi-map.yaml'), moved);
    const edited = scan(dir, ['--baseline', 'baseline.json']);
    expect(edited.status).toBe(0);
    expect(edited.json.baseline).toEqual({ file: 'baseline.json', new: 0, existing: 7 });
    expect(edited.json.fixed).toEqual([]);
    // The lines did move: the key is not the position.
    const before = same.json.findings.find((f) => f.id === 'transmission-tls@review-app->review-api')!.location.line;
    const after = edited.json.findings.find((f) => f.id === 'transmission-tls@review-app->review-api')!.location.line;
    expect(after).toBeGreaterThan(before);

    // A real change: one finding fixed (TLS 1.3 on the flow), one new (a service with PHI sending over TLS 1.0).
    const changed = `${moved.replace('    tls: "1.1"', '    tls: "1.3"')}  - from: review-api\n    to: status-page\n    tls: "1.0"\n`;
    writeFileSync(path.join(dir, 'phi-map.yaml'), changed);
    const next = scan(dir, ['--baseline', 'baseline.json']);
    expect(next.status).toBe(1);
    expect(next.json.fixed).toEqual(['breach-exposure@review-app->review-api', 'transmission-tls@review-app->review-api']);
    const fresh = next.json.findings.filter((f) => f.baseline === 'new').map((f) => f.id);
    expect(fresh).toContain('transmission-tls@review-api->status-page');
    expect(next.json.baseline!.new).toBe(fresh.length);
    expect(next.json.baseline!.existing).toBe(5);
    // Only new findings block.
    expect(next.json.summary.blocking).toBeGreaterThan(0);
    expect(next.json.summary.blocking).toBeLessThanOrEqual(fresh.length);

    const text = cli(['scan', 'phi-map.yaml', ...AS_OF, '--baseline', 'baseline.json'], { cwd: dir });
    expect(text.stdout).toMatch(/HIGH {5}NEW transmission-tls/);
    expect(text.stdout).toContain(
      `Baseline baseline.json: ${fresh.length} new, 5 existing, 2 fixed: breach-exposure@review-app->review-api, transmission-tls@review-app->review-api.`,
    );
    expect(text.stdout).toMatch(/\d+ new at or above --fail-on high: exit code 1\./);
  }, 120_000);

  it('a missing, empty, damaged or misshapen baseline is exit 2 with its position', () => {
    const dir = workdir();
    const missing = cli(['scan', 'phi-map.yaml', ...AS_OF, '--baseline', 'nope.json'], { cwd: dir });
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('nope.json: --baseline: cannot read the file');
    expect(missing.stderr).toContain('--write-baseline');

    writeFileSync(path.join(dir, 'empty.json'), '');
    expect(cli(['scan', 'phi-map.yaml', ...AS_OF, '--baseline', 'empty.json'], { cwd: dir }).stderr).toContain('empty.json:1:1: --baseline: the file is empty');

    writeFileSync(path.join(dir, 'cut.json'), '{\n  "format_version": "1",\n  "findings": [\n    {"id": "a@b"\n');
    const cut = cli(['scan', 'phi-map.yaml', ...AS_OF, '--baseline', 'cut.json'], { cwd: dir });
    expect(cut.status).toBe(2);
    expect(cut.stderr).toMatch(/^cut\.json:\d+:\d+: /m);
    expect(cut.stderr).not.toMatch(STACK_TRACE);

    writeFileSync(
      path.join(dir, 'shape.json'),
      '{\n  "format_version": "1",\n  "tool": {"name": "phi-audit", "version": "0.1.0"},\n  "created": "x",\n  "findings": [\n    {"id": "no-at-sign", "rule": "r", "target": "t", "severity": "severe"}\n  ]\n}\n',
    );
    const shape = cli(['scan', 'phi-map.yaml', ...AS_OF, '--baseline', 'shape.json'], { cwd: dir });
    expect(shape.status).toBe(2);
    expect(shape.stderr).toContain('shape.json:6:12: findings[0].id');
    expect(shape.stderr).toContain('shape.json:6:66: findings[0].severity');
  }, 60_000);

  it('never writes a report over the baseline it read', () => {
    const dir = workdir();
    cli(['scan', 'phi-map.yaml', ...AS_OF, '--write-baseline', 'baseline.json', '-q'], { cwd: dir });
    const before = readFileSync(path.join(dir, 'baseline.json'), 'utf8');
    const r = cli(['scan', 'phi-map.yaml', ...AS_OF, '--baseline', 'baseline.json', '-f', 'json=baseline.json'], { cwd: dir });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('baseline.json');
    expect(readFileSync(path.join(dir, 'baseline.json'), 'utf8')).toBe(before);
  }, 60_000);
});
