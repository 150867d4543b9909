/**
 * SARIF for GitHub code scanning: every SARIF file phi-audit writes here is checked by Microsoft's SARIF Multitool
 * with both its SARIF (specification) and GitHub rule kinds, and must have no error; then what GitHub reads is
 * asserted: per-severity rule descriptors, fingerprints from the finding id, URIs under %SRCROOT%, code flows over the
 * map's lines, suppressions for accepted findings, the 25,000-result cap and the exit-2 file.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { formatSarifProblems } from '../src/format/sarif.js';
import { cli, ROOT } from './support/cli.js';
import { sarifErrors } from './support/sarif-multitool.js';

const AS_OF = ['--as-of', '2026-11-22'];
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
function tempDir(): string {
  const d = mkdtempSync(path.join(tmpdir(), 'phi-audit-sarif-'));
  dirs.push(d);
  return d;
}

interface Location {
  physicalLocation?: { artifactLocation: { uri: string; uriBaseId?: string }; region?: { startLine: number; startColumn?: number; endLine?: number } };
  message?: { text: string };
}
interface Result {
  ruleId: string;
  ruleIndex?: number;
  level: string;
  message: { text: string };
  locations: Location[];
  partialFingerprints: Record<string, string>;
  codeFlows?: { threadFlows: { locations: { location: Location }[] }[] }[];
  relatedLocations?: (Location & { id: number })[];
  suppressions?: { kind: string; status: string; justification: string }[];
  properties: { id: string; severity: string; path: string[]; target: string };
}
interface Rule {
  id: string;
  helpUri?: string;
  defaultConfiguration: { level: string };
  properties: Record<string, unknown> & { tags: string[]; 'security-severity': string; severity: string };
}
interface Run {
  tool: { driver: { rules?: Rule[]; informationUri?: string } };
  automationDetails?: { id: string };
  originalUriBaseIds: Record<string, { uri: string }>;
  invocations: {
    executionSuccessful: boolean;
    toolExecutionNotifications?: { message: { text: string } }[];
    toolConfigurationNotifications?: (Location & { message: { text: string }; locations?: Location[] })[];
  }[];
  results: Result[];
}
const runOf = (file: string): Run => (JSON.parse(readFileSync(file, 'utf8')) as { runs: Run[] }).runs[0]!;

/** Scan into a SARIF file, check it with the Multitool (both rule kinds), and return its run. */
function scanSarif(args: string[], options: { cwd?: string; env?: Record<string, string>; status?: number } = {}): { run: Run; stderr: string; file: string } {
  const file = path.join(tempDir(), 'out.sarif');
  const r = cli(['scan', ...args, '--format', 'sarif', '--output', file], options);
  expect(r.status, r.stderr).toBe(options.status ?? 1);
  expect(sarifErrors(file)).toEqual([]);
  return { run: runOf(file), stderr: r.stderr, file };
}

describe('SARIF of the bundled example', () => {
  let example: Run;
  it('passes the SARIF Multitool in both rule kinds', () => {
    example = scanSarif(['fixtures/example', ...AS_OF]).run;
    expect(example.results.length).toBeGreaterThan(20);
  }, 300_000);

  it('has a rule descriptor per reachable severity, and an escalated finding uses its severity', () => {
    const rules = example.tool.driver.rules!;
    const base = rules.find((r) => r.id === 'breach-exposure')!;
    const critical = rules.find((r) => r.id === 'breach-exposure/critical')!;
    expect(base.properties['security-severity']).toBe('8.0');
    expect(critical.properties['security-severity']).toBe('9.5');
    expect(critical.defaultConfiguration.level).toBe('error');
    for (const r of rules) {
      expect(r.properties.precision).toBe('high');
      expect(r.properties.tags).toContain('security');
      expect(r.properties.tags.length).toBeLessThanOrEqual(10);
      expect(r.properties.tags.some((t) => t.startsWith('hipaa/164.'))).toBe(true);
    }
    for (const f of example.results) {
      const rule = rules[f.ruleIndex!]!;
      expect(rule.id).toBe(f.ruleId);
      // GitHub ranks by the descriptor: it must have the finding's own severity.
      expect(rule.properties.severity).toBe(f.properties.severity);
    }
    expect(example.results.some((f) => f.ruleId === 'breach-exposure/critical' && f.properties.severity === 'critical')).toBe(true);
  });

  it('fingerprints each alert by its finding id, not its line', () => {
    for (const f of example.results) {
      const hash = createHash('sha256').update(f.properties.id).digest('hex').slice(0, 16);
      expect(f.partialFingerprints.primaryLocationLineHash).toBe(`${hash}:1`);
    }
    const ids = example.results.map((f) => f.partialFingerprints.primaryLocationLineHash);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('names files relative to the repository root, under %SRCROOT%, with no automationDetails', () => {
    expect(example.automationDetails).toBeUndefined();
    expect(example.originalUriBaseIds['%SRCROOT%']!.uri).toBe(pathToFileURL(ROOT).href.replace(/\/?$/, '/'));
    for (const f of example.results) {
      const loc = f.locations[0]!.physicalLocation!;
      expect(loc.artifactLocation.uriBaseId).toBe('%SRCROOT%');
      expect(loc.artifactLocation.uri).toMatch(/^fixtures\/example\/[\w/.-]+\.phi\.yaml$/);
      expect(loc.region!.startLine).toBeGreaterThan(0);
      expect(loc.region!.endLine).toBe(loc.region!.startLine);
    }
  });

  it('gives the PHI path as a code flow over map lines, and its nodes and flows as related locations', () => {
    const withPath = example.results.filter((f) => f.properties.path.length > 1);
    expect(withPath.length).toBeGreaterThan(5);
    for (const f of withPath) {
      const hops = f.codeFlows![0]!.threadFlows[0]!.locations;
      expect(hops).toHaveLength(f.properties.path.length);
      hops.forEach((h, i) => {
        expect(h.location.message!.text.startsWith(`${f.properties.path[i]} (`)).toBe(true);
        expect(h.location.physicalLocation!.region!.startLine).toBeGreaterThan(0);
      });
      expect(f.relatedLocations!.length).toBeGreaterThanOrEqual(f.properties.path.length);
    }
    // The laptop copy: the last hop names the flow into ds-laptop and what it carries.
    const laptop = withPath.find((f) => f.properties.target === 'ds-laptop')!;
    const last = laptop.codeFlows![0]!.threadFlows[0]!.locations.at(-1)!.location;
    expect(last.message!.text).toMatch(/^ds-laptop \(store\): reached by flow \S+ from extracts-bucket, carrying /);
    const file = readFileSync(path.join(ROOT, last.physicalLocation!.artifactLocation.uri), 'utf8').split('\n');
    expect(file[last.physicalLocation!.region!.startLine - 1]).toContain('ds-laptop');
  });

  it('sets automationDetails only when asked', () => {
    const { run } = scanSarif(['fixtures/example', ...AS_OF, '--sarif-category', 'phi/prod']);
    expect(run.automationDetails).toEqual({ id: 'phi/prod/' });
  }, 300_000);

  it('names files relative to the repository root (the nearest .git above the map) from any folder', () => {
    const repo = tempDir();
    mkdirSync(path.join(repo, '.git'));
    mkdirSync(path.join(repo, 'infra', 'phi'), { recursive: true });
    writeFileSync(path.join(repo, 'infra', 'phi', 'phi-map.yaml'), 'version: 1\nsystem: s\nstores:\n  db: { data: [phi] }\n');
    const uris = (cwd: string, target: string) =>
      scanSarif([target, ...AS_OF], { cwd }).run.results.map((f) => f.locations[0]!.physicalLocation!.artifactLocation);
    const expected = { uri: 'infra/phi/phi-map.yaml', uriBaseId: '%SRCROOT%' };
    const fromRoot = uris(repo, 'infra/phi');
    expect(fromRoot.length).toBeGreaterThan(0);
    for (const a of fromRoot) expect(a).toEqual(expected);
    for (const a of uris(path.join(repo, 'infra', 'phi'), '.')) expect(a).toEqual(expected);
    for (const a of uris(path.join(repo, 'infra'), 'phi/phi-map.yaml')) expect(a).toEqual(expected);
  }, 300_000);
});

describe('SARIF past GitHub limits', () => {
  it('keeps the most severe results under the cap, says so on stderr and in the run', () => {
    const { run, stderr } = scanSarif(['fixtures/example', ...AS_OF], { env: { PHI_AUDIT_SARIF_MAX_RESULTS: '10' } });
    expect(run.results).toHaveLength(10);
    expect(run.results.every((f) => f.properties.severity === 'critical' || f.properties.severity === 'high')).toBe(true);
    expect(run.invocations[0]!.toolExecutionNotifications![0]!.message.text).toMatch(/^\d+ findings are more than the 10 results/);
    expect(stderr).toMatch(/^phi-audit: warning: \d+ findings are more than the 10 results a SARIF run may hold/m);
  }, 300_000);

  it('a long PHI path is a code flow of 64 hops with the elided middle named', () => {
    const dir = tempDir();
    const lines = ['version: 1\nsystem: s\nservices:\n  n0: { data: [phi] }\n'];
    for (let i = 1; i < 100; i++) lines.push(`  n${i}: {}\n`);
    lines.push('flows:\n');
    for (let i = 0; i + 1 < 100; i++) lines.push(`  - { from: n${i}, to: n${i + 1} }\n`);
    writeFileSync(path.join(dir, 'phi-map.yaml'), lines.join(''));
    const { run } = scanSarif(['phi-map.yaml', ...AS_OF], { cwd: dir });
    const far = run.results.find((f) => f.properties.target === 'n99')!;
    const hops = far.codeFlows![0]!.threadFlows[0]!.locations;
    expect(hops).toHaveLength(64);
    expect(hops[32]!.location.physicalLocation).toBeUndefined();
    expect(hops[32]!.location.message!.text).toMatch(/^… 37 more …/);
    expect(hops[63]!.location.message!.text).toMatch(/^n99 \(service\): reached by flow/);
    // Not in a repository: URIs relative to the working folder.
    expect(far.locations[0]!.physicalLocation!.artifactLocation).toEqual({ uri: 'phi-map.yaml', uriBaseId: '%SRCROOT%' });
  }, 300_000);

  it('a 100,000-node cycle streams its SARIF with a bounded heap', () => {
    const dir = tempDir();
    const n = 100_000;
    const out = ['version: 1\nsystem: s\nservices:\n  n0: { data: [phi] }\n'];
    for (let i = 1; i < n; i++) out.push(`  n${i}: {}\n`);
    out.push('flows:\n');
    for (let i = 0; i + 1 < n; i++) out.push(`  - { from: n${i}, to: n${i + 1} }\n`);
    out.push(`  - { from: n${n - 1}, to: n0 }\n`);
    writeFileSync(path.join(dir, 'phi-map.yaml'), out.join(''));
    const r = spawnSync(
      process.execPath,
      ['--max-old-space-size=1536', path.join(ROOT, 'dist', 'bin', 'phi-audit.js'), 'scan', '-f', 'sarif', '-o', 'out.sarif'],
      {
        cwd: dir,
        encoding: 'utf8',
        timeout: 240_000,
        killSignal: 'SIGKILL',
      },
    );
    expect(r.stderr).not.toMatch(/heap|\n\s+at /);
    expect(r.status).toBe(1);
    const file = path.join(dir, 'out.sarif');
    // Code flows stop at a budget of path steps, so the file stays in tens of megabytes.
    expect(statSync(file).size).toBeLessThan(150 * 2 ** 20);
    const run = runOf(file);
    expect(run.results).toHaveLength(25_000);
    expect(r.stderr).toMatch(/warning: \d+ findings are more than the 25000 results/);
    const notes = run.invocations[0]!.toolExecutionNotifications!.map((n) => n.message.text);
    expect(notes[1]).toMatch(/^PHI paths are given as code flows for the first \d+ results \(50000 path steps at most a run\)/);
    const withPath = run.results.filter((f) => f.properties.path.length > 1);
    expect(withPath[0]!.codeFlows).toBeDefined();
    expect(withPath.at(-1)!.codeFlows).toBeUndefined();
    const flowed = withPath.filter((f) => f.codeFlows !== undefined);
    expect(flowed.reduce((n, f) => n + f.properties.path.length, 0)).toBeLessThanOrEqual(50_000);
    expect(withPath.at(-1)!.message.text).toMatch(/PHI path: n0 → /);
  }, 300_000);
});

describe('SARIF for a run that stopped on input problems', () => {
  it('is a valid log with executionSuccessful false and each problem at its place', () => {
    const dir = tempDir();
    const file = path.join(dir, 'problems.sarif');
    const pieces = formatSarifProblems(
      {
        tool: { name: 'phi-audit', version: '0.1.0' },
        diagnostics: [
          { file: path.join(dir, 'maps', 'phi-map.yaml'), line: 7, column: 3, message: 'flow to "s3-bukcet": no such node (did you mean "s3-bucket"?)' },
          { file: '--fail-on', line: 0, column: 0, message: 'must be one of critical, high' },
        ],
      },
      { color: false, srcRoot: dir },
    );
    writeFileSync(file, [...pieces].join(''));
    expect(sarifErrors(file)).toEqual([]);
    const run = runOf(file);
    expect(run.results).toEqual([]);
    expect(run.invocations[0]!.executionSuccessful).toBe(false);
    const [first, second] = run.invocations[0]!.toolConfigurationNotifications!;
    expect(first!.locations![0]!.physicalLocation).toEqual({
      artifactLocation: { uri: 'maps/phi-map.yaml', uriBaseId: '%SRCROOT%' },
      region: { startLine: 7, startColumn: 3, endLine: 7 },
    });
    expect(second!.locations).toBeUndefined();
    expect(second!.message.text).toBe('--fail-on: must be one of critical, high');
  }, 300_000);
});
