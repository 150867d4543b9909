/**
 * Root discovery: `validate` and `scan` run with no paths from a folder without a phi-map.yaml use the nearest one
 * above (stopping at the repository's top), say so on stderr, and read that system's whole tree; with no root
 * anywhere, unknown ids collapse into the first few plus one line saying they are declared elsewhere.
 */
import { cpSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, ROOT, STACK_TRACE } from './support/cli.js';

/** A copy of a fixture folder inside a fresh repository (a `.git` folder bounds the upward search). */
function repo(fixture: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'phi-root-'));
  mkdirSync(path.join(dir, '.git'));
  cpSync(path.join(ROOT, 'fixtures/systems', fixture), dir, { recursive: true });
  return dir;
}

describe('root discovery', () => {
  it('validate from a team subfolder reads the map rooted above it', () => {
    const dir = repo('repo');
    const r = cli(['validate'], { cwd: path.join(dir, 'billing', 'team') });
    expect(r.stderr).toBe('phi-audit: no phi-map.yaml here: using the map rooted at ../phi-map.yaml (and the files below it)\n');
    expect(r.stdout).toBe('ok: 2 files, 4 nodes, 2 flows; PHI reaches 4 nodes\n');
    expect(r.status).toBe(0);
  }, 30_000);

  it('scan from a subfolder reports the system it belongs to, and only that one', () => {
    const dir = repo('repo');
    const r = cli(['scan', '--format', 'json', '--as-of', '2026-01-01', '--fail-on', 'none'], { cwd: path.join(dir, 'billing', 'team') });
    expect(r.status).toBe(0);
    const doc = JSON.parse(r.stdout) as { system: string; files: string[]; systems?: unknown };
    expect(doc.system).toBe('billing');
    expect(doc.systems).toBeUndefined();
    // A file outside the working folder is named by its absolute path, as everywhere in phi-audit.
    expect(doc.files).toEqual([path.join(dir, 'billing', 'phi-map.yaml'), 'exports.phi.yaml']);
  }, 30_000);

  it('follows part_of: from inside a system that joins another, the run is the joined system', () => {
    const dir = repo('repo');
    mkdirSync(path.join(dir, 'intake', 'reporting', 'queries'));
    for (const cwd of [path.join(dir, 'intake', 'reporting'), path.join(dir, 'intake', 'reporting', 'queries')]) {
      const r = cli(['validate'], { cwd });
      expect(r.stdout).toBe('ok: 2 files, 4 nodes, 2 flows; PHI reaches 4 nodes\n');
      expect(r.stderr).toMatch(/: using the map rooted at (\.\.\/)+phi-map\.yaml \(and the files below it\)\n$/);
      expect(r.status).toBe(0);
    }
  }, 30_000);

  it('stops at the repository top: a phi-map.yaml above the .git folder is not used', () => {
    const outer = mkdtempSync(path.join(tmpdir(), 'phi-outer-'));
    cpSync(path.join(ROOT, 'fixtures/systems/repo/intake/phi-map.yaml'), path.join(outer, 'phi-map.yaml'));
    const inner = path.join(outer, 'project');
    mkdirSync(path.join(inner, '.git'), { recursive: true });
    cpSync(path.join(ROOT, 'fixtures/systems/orphan-team'), path.join(inner, 'team'), { recursive: true });
    const r = cli(['validate'], { cwd: path.join(inner, 'team') });
    expect(r.status).toBe(2);
    expect(r.stderr).not.toContain('using the map rooted');
  }, 30_000);

  it('with no root anywhere, 11 unknown-id errors become the first 5 and one line saying where to run from', () => {
    const dir = repo('orphan-team');
    const r = cli(['validate'], { cwd: dir });
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).not.toMatch(STACK_TRACE);
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines.filter((l) => /^flows\.phi\.yaml:\d+:\d+: flow (from|to) /.test(l))).toHaveLength(5);
    expect(lines).toContain(
      ".: 11 references point at 5 ids not declared in the files read (intake-api, referrals-db, triage-worker, app-logs, warehouse), and no phi-map.yaml was among them: these ids are most likely declared elsewhere in the map: run phi-audit from the folder holding the map's phi-map.yaml, or name every file of the map; 6 more like the above not shown",
    );
    expect(lines.at(-1)).toBe('phi-audit: 6 problems to fix; nothing was checked.');
  }, 30_000);

  it('named files with no phi-map.yaml among them get the same collapsed message', () => {
    const dir = repo('orphan-team');
    const r = cli(['validate', 'flows.phi.yaml'], { cwd: dir });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('11 references point at 5 ids');
  }, 30_000);
});
