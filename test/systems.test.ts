/**
 * Several systems in one repository: each phi-map.yaml roots a system with its own namespace (ids may repeat across
 * systems), a root with `part_of:` joins another, and a scan from the top reports each apart: text a section a
 * system, JSON one document with `systems: [{ name, root, report }]`, exit code the worst.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { audit, auditSystems } from '../src/audit.js';
import { validateMapText } from '../src/map/load.js';
import { splitSystems } from '../src/map/systems.js';
import { cli, ROOT } from './support/cli.js';

const REPO = 'fixtures/systems/repo';

describe('several systems', () => {
  it('splits files by their nearest phi-map.yaml, joining a part_of root to its target', () => {
    const abs = (f: string) => path.join(ROOT, REPO, f);
    const files = ['billing/phi-map.yaml', 'billing/team/exports.phi.yaml', 'intake/phi-map.yaml', 'intake/reporting/phi-map.yaml'].map(abs);
    const { systems, diagnostics } = splitSystems(files, abs('.'), ROOT);
    expect(diagnostics).toEqual([]);
    expect(systems.map((s) => [path.relative(ROOT, s.root), s.files.map((f) => path.relative(path.join(ROOT, REPO), f))])).toEqual([
      [`${REPO}/billing`, ['billing/phi-map.yaml', 'billing/team/exports.phi.yaml']],
      [`${REPO}/intake`, ['intake/phi-map.yaml', 'intake/reporting/phi-map.yaml']],
    ]);
  });

  it('part_of anywhere but a phi-map.yaml is an error at its key', () => {
    const r = validateMapText('team/exports.phi.yaml', 'version: 1\npart_of: ..\n');
    expect(r.diagnostics).toEqual([
      { file: 'team/exports.phi.yaml', line: 2, column: 1, message: 'part_of belongs in a phi-map.yaml (it joins that system to another): move it there' },
    ]);
    expect(validateMapText('reporting/phi-map.yaml', 'version: 1\npart_of: ..\n').diagnostics).toEqual([]);
  });

  it('one phi-map.yaml: one system, as before', () => {
    const files = [path.join(ROOT, REPO, 'billing/phi-map.yaml'), path.join(ROOT, REPO, 'billing/team/exports.phi.yaml')];
    const { systems } = splitSystems(files, path.join(ROOT, REPO, 'billing'), ROOT);
    expect(systems).toHaveLength(1);
    expect(systems[0]!.files).toEqual(files);
  });

  it("audit() (the library call) still reads one map: a phi-map.yaml below the folder's top is not part of it", async () => {
    const r = await audit({ paths: [REPO], cwd: ROOT, evaluate: false });
    // Only billing/team/exports.phi.yaml is a map file outside a phi-map.yaml; alone, it names ids it does not declare.
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.diagnostics.every((d) => d.file === `${REPO}/billing/team/exports.phi.yaml`)).toBe(true);
    const systems = await auditSystems({ paths: [REPO], cwd: ROOT, evaluate: false });
    expect(systems.ok && systems.systems.map((s) => s.name)).toEqual(['billing', 'intake']);
  });

  it('validate reports each system; ids (api, aws) repeat across systems without a duplicate-id error', () => {
    const r = cli(['validate', REPO]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(
      `system billing (${REPO}/billing): ok: 2 files, 4 nodes, 2 flows; PHI reaches 4 nodes\n` +
        `system intake (${REPO}/intake): ok: 2 files, 4 nodes, 2 flows; PHI reaches 4 nodes\n`,
    );
    expect(r.status).toBe(0);
  }, 30_000);

  it('scan --format json is one document with a report per system; exit code is the worst', () => {
    const r = cli(['scan', REPO, '--format', 'json', '--as-of', '2026-01-01']);
    expect(r.status).toBe(1);
    const doc = JSON.parse(r.stdout) as {
      format_version: string;
      summary: { systems: number; findings: number; rules: number; by_severity: { high: number } };
      systems: {
        name: string;
        root: string;
        report: {
          system: string;
          files: string[];
          summary: { findings: number; rules: number; by_severity: { high: number } };
          findings: { location: { file: string } }[];
        };
      }[];
    };
    expect(doc.format_version).toBe('1.1');
    expect(doc.systems.map((s) => [s.name, s.root, s.report.system])).toEqual([
      ['billing', `${REPO}/billing`, 'billing'],
      ['intake', `${REPO}/intake`, 'intake'],
    ]);
    expect(doc.summary.systems).toBe(2);
    const [a, b] = [doc.systems[0]!.report.summary, doc.systems[1]!.report.summary];
    expect(doc.summary.findings).toBe(a.findings + b.findings);
    expect(doc.summary.by_severity.high).toBe(a.by_severity.high + b.by_severity.high);
    expect(doc.summary.rules).toBe(a.rules);
    for (const s of doc.systems) for (const f of s.report.findings) expect(f.location.file.startsWith(`${s.root}/`)).toBe(true);
  }, 60_000);

  it('scan --format sarif --output writes one log with a run a system', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'phi-systems-out-'));
    const out = path.join(dir, 'report.sarif');
    const r = cli(['scan', REPO, '--format', 'sarif', '--as-of', '2026-01-01', '--output', out]);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^phi-audit: 2 systems, \d+ findings \(\d+ at or above --fail-on high\) written to /);
    const log = JSON.parse(readFileSync(out, 'utf8')) as { version: string; runs: unknown[] };
    expect(log.version).toBe('2.1.0');
    expect(log.runs).toHaveLength(2);
  }, 60_000);

  it('scan --format text prints a section a system', () => {
    const r = cli(['scan', REPO, '--as-of', '2026-01-01', '--fail-on', 'none']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`=== system billing (${REPO}/billing), 1 of 2 ===\n`);
    expect(r.stdout).toContain(`=== system intake (${REPO}/intake), 2 of 2 ===\n`);
    expect(r.stdout.indexOf('system billing')).toBeLessThan(r.stdout.indexOf('system intake'));
  }, 60_000);

  it('part_of naming a folder with no phi-map.yaml read is an error at its line', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'phi-systems-'));
    mkdirSync(path.join(dir, '.git'));
    cpSync(path.join(ROOT, REPO), dir, { recursive: true });
    writeFileSync(path.join(dir, 'billing', 'phi-map.yaml'), 'version: 1\nsystem: billing\npart_of: ../nowhere\n');
    const r = cli(['validate'], { cwd: dir });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(
      'billing/phi-map.yaml:3:1: part_of names ../nowhere, but no phi-map.yaml was read there: name the folder of the phi-map.yaml this system belongs to, and scan a folder that holds both',
    );
  }, 30_000);
});
