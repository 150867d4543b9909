/**
 * Hostile input, part three: work that must stay linear and inputs past the stated limits (issue 10, causes 7 and 8).
 * Every case runs the built CLI as a process on files in a temporary folder, with a time-out well under what the
 * unbounded version took (seconds against minutes) and, where memory was the failure, a heap cap or a report size.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { propagate } from '../../src/graph/propagate.js';
import { loadMap } from '../../src/map/load.js';
import { CLI } from '../support/cli.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** A folder holding `phi-map.yaml` with `text`. */
function mapDir(text: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'phi-audit-limits-'));
  dirs.push(dir);
  writeFileSync(path.join(dir, 'phi-map.yaml'), text);
  return dir;
}

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
  ms: number;
  timedOut: boolean;
}

/** The CLI as a process in `cwd`, killed after `timeout` ms; `heapMb` caps the V8 heap (a memory bound). */
function run(args: string[], cwd: string, options: { timeout?: number; heapMb?: number; env?: Record<string, string> } = {}): Run {
  const env: NodeJS.ProcessEnv = { ...process.env, ...options.env };
  delete env.NO_COLOR;
  delete env.FORCE_COLOR;
  const node = options.heapMb ? [`--max-old-space-size=${options.heapMb}`] : [];
  const started = performance.now();
  const r = spawnSync(process.execPath, [...node, CLI, ...args], {
    cwd,
    env,
    encoding: 'utf8',
    timeout: options.timeout ?? 60_000,
    killSignal: 'SIGKILL',
    maxBuffer: 1 << 28,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return {
    status: r.status,
    stdout: r.stdout ?? '',
    stderr: r.stderr ?? '',
    ms: performance.now() - started,
    timedOut: (r.error as NodeJS.ErrnoException | undefined)?.code === 'ETIMEDOUT',
  };
}

const HEAD = 'version: 1\nsystem: s\n';

/** A chain n0 → n1 → … of `n` services with PHI at n0, closed into a cycle when asked. */
function chain(n: number, cycle: boolean): string {
  const out = [HEAD, 'services:\n  n0: { data: [phi] }\n'];
  for (let i = 1; i < n; i++) out.push(`  n${i}: {}\n`);
  out.push('flows:\n');
  for (let i = 0; i + 1 < n; i++) out.push(`  - { from: n${i}, to: n${i + 1} }\n`);
  if (cycle) out.push(`  - { from: n${n - 1}, to: n0 }\n`);
  return out.join('');
}

describe('error positions (cause 7)', () => {
  it('an unclosed [ before 200,000 spaces is located in about a second (was over a minute)', () => {
    const dir = mapDir(`${HEAD}services:\n  api: { data: [phi${' '.repeat(200_000)}x\n`);
    const r = run(['validate'], dir, { timeout: 30_000 });
    expect(r.timedOut).toBe(false);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/phi-map\.yaml:4:\d+: YAML: /);
  }, 40_000);

  it('1,000 YAML errors in a 10 MB file are all located (was 16 s)', () => {
    const pad = `#${'x'.repeat(10_000)}\n`;
    const parts = [HEAD, 'services:\n'];
    for (let i = 0; i < 1000; i++) parts.push(`  s${i}: { a: b: c }\n`, pad);
    const dir = mapDir(parts.join(''));
    const r = run(['validate'], dir, { timeout: 30_000 });
    expect(r.timedOut).toBe(false);
    expect(r.status).toBe(2);
    expect(r.stderr.match(/^phi-map\.yaml:\d+:\d+: YAML: /gm)?.length).toBe(1000);
  }, 40_000);
});

describe('PHI paths (cause 7)', () => {
  it('a 10,000-node chain scans in seconds and its report stays small (was 16.7 s and 2.27 GB)', () => {
    const dir = mapDir(chain(10_000, false));
    const out = path.join(dir, 'report.json');
    const r = run(['scan', '--format', 'json', '--output', out], dir, { timeout: 60_000, heapMb: 512 });
    expect(r.timedOut).toBe(false);
    expect(r.stderr).not.toMatch(/heap|\n\s+at /);
    expect(r.status).toBe(1);
    expect(statSync(out).size).toBeLessThan(200 * 1024 * 1024);
    const report = JSON.parse(readFileSync(out, 'utf8')) as { findings: { target: string; path: string[] }[] };
    const last = report.findings.find((f) => f.target === 'n9999')!;
    expect(last.path).toHaveLength(64);
    expect(last.path.slice(0, 3)).toEqual(['n0', 'n1', 'n2']);
    expect(last.path[32]).toBe('… 9937 more …');
    expect(last.path.slice(-2)).toEqual(['n9998', 'n9999']);
    // Short paths are shown whole.
    expect(report.findings.find((f) => f.target === 'n5')!.path).toEqual(['n0', 'n1', 'n2', 'n3', 'n4', 'n5']);
  }, 90_000);

  it('a 100,000-node cycle scans with a bounded heap (ran out of memory at 4 GB)', () => {
    const dir = mapDir(chain(100_000, true));
    const r = run(['scan', '--format', 'json', '--output', path.join(dir, 'report.json')], dir, { timeout: 120_000, heapMb: 1536 });
    expect(r.timedOut).toBe(false);
    expect(r.stderr).not.toMatch(/heap|\n\s+at /);
    expect(r.status).toBe(1);
  }, 150_000);
});

/** `classes` declared classes (every third one PHI); `n` services in a cycle, n0 holding `held` of the classes. */
function manyClasses(classes: number, n: number, held: readonly number[]): string {
  const out = [HEAD, 'data_classes:\n'];
  for (let i = 0; i < classes; i++) out.push(`  c${i}: { phi: ${i % 3 === 0} }\n`);
  out.push(`services:\n  n0: { data: [${held.map((i) => `c${i}`).join(', ')}] }\n`);
  for (let i = 1; i < n; i++) out.push(`  n${i}: {}\n`);
  out.push('flows:\n');
  for (let i = 0; i + 1 < n; i++) out.push(`  - { from: n${i}, to: n${i + 1} }\n`);
  out.push(`  - { from: n${n - 1}, to: n0 }\n`);
  return out.join('');
}

describe('class sets (cause 7)', () => {
  it('a map whose PHI includes the 32nd class or beyond reaches its fixed point (bit 31 compared as unsigned)', () => {
    // Two classes are built in, so c29 is the 32nd class and c61 the 64th: bit 31 of a word. Signed and unsigned
    // views of that bit once made every comparison a change, so PHI went round the cycle for ever.
    const dir = mapDir(manyClasses(70, 200, [0, 29, 30, 61, 63, 69]));
    const out = path.join(dir, 'report.json');
    const r = run(['scan', '--format', 'json', '--output', out], dir, { timeout: 30_000 });
    expect(r.timedOut).toBe(false);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.status).toBe(1);
    const report = JSON.parse(readFileSync(out, 'utf8')) as { findings: { target: string; phi: string[] }[] };
    const last = report.findings.find((f) => f.target === 'n199');
    // Every third class is PHI: c0, c30, c63 and c69 are; c29 and c61 are not.
    expect(last?.phi).toEqual(['c0', 'c30', 'c63', 'c69']);
  }, 45_000);

  it('class sets take memory by distinct set, not by nodes times classes (10,000 classes, 30,000 nodes)', () => {
    // As one bitset per node and per flow, these sets took 30,000 x 313 words twice plus 30,000 x 313 again: 113 MB.
    const dir = mapDir(manyClasses(10_000, 30_000, [0, 5_000, 9_999]));
    const map = loadMap(['phi-map.yaml'], { cwd: dir });
    const before = process.memoryUsage().arrayBuffers;
    const phi = propagate(map);
    const grown = process.memoryUsage().arrayBuffers - before;
    expect(phi.phiAt('n29999')).toEqual(['c0', 'c9999']);
    expect(grown).toBeLessThan(16 * 1024 * 1024);
  }, 60_000);
});

describe('stated limits (cause 8)', () => {
  const svc = 'services:\n  api: { data: [phi] }\n';

  it('a map file over the size limit is refused before it is read, naming the limit and the variable', () => {
    const dir = mapDir(`${HEAD}${svc}description: "${'y'.repeat(2 * 1024 * 1024)}"\n`);
    const r = run(['validate'], dir, { env: { PHI_AUDIT_MAX_FILE_MB: '1' } });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^phi-map\.yaml:1:1: the file is 2\.0 MB, more than the limit of 1\.0 MB per map file: .*PHI_AUDIT_MAX_FILE_MB=2/m);
  });

  it('map files over the total limit are refused', () => {
    const dir = mapDir(`${HEAD}${svc}`);
    writeFileSync(path.join(dir, 'more.phi.yaml'), `version: 1\ndescription: "${'y'.repeat(700_000)}"\n`);
    writeFileSync(path.join(dir, 'most.phi.yaml'), `version: 1\ndescription: "${'y'.repeat(700_000)}"\n`);
    const r = run(['validate'], dir, { env: { PHI_AUDIT_MAX_TOTAL_MB: '1' } });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/more than the limit of 1\.0 MB in all: .*PHI_AUDIT_MAX_TOTAL_MB=2/);
  });

  it('a 2-million-character line is refused at its position (a 50 MB line took 1.8 GB)', () => {
    const dir = mapDir(`${HEAD}${svc}description: "${'y'.repeat(2_000_000)}"\n`);
    const r = run(['validate'], dir, { heapMb: 256 });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(
      /^phi-map\.yaml:5:1: this line is 2000015 characters long, more than the limit of 1048576 per line: .*PHI_AUDIT_MAX_LINE_KB=2048/m,
    );
    // Raised, the same file reads.
    expect(run(['validate'], dir, { env: { PHI_AUDIT_MAX_LINE_KB: '4096' } }).status).toBe(0);
  });

  it('block nesting 3,000 levels deep is refused at once (took 14 s to overflow the stack)', () => {
    const parts = [HEAD, svc, 'description:\n'];
    for (let i = 0; i < 3000; i++) parts.push(`${' '.repeat(i + 2)}a:\n`);
    const r = run(['validate'], mapDir(parts.join('')), { timeout: 20_000 });
    expect(r.timedOut).toBe(false);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/nested more than 128 levels deep/);
    expect(r.stderr).not.toMatch(/call stack/);
  }, 30_000);

  it('text that steps right line by line is no nesting: block scalars and scalar continuations pass', () => {
    const literal = ['    description: |\n'];
    const folded = ['    description: >-  # a comment\n'];
    for (let i = 0; i < 300; i++) {
      literal.push(`      ${' '.repeat(i)}step ${i}:\n`);
      folded.push(`      ${' '.repeat(i)}more\n`);
    }
    const plain = ['    description: a plain scalar\n'];
    for (let i = 0; i < 300; i++) plain.push(`      ${' '.repeat(i)}continued\n`);
    const text = `${HEAD}services:\n  api:\n${literal.join('')}    data: [phi]\n  worker:\n${folded.join('')}  job:\n${plain.join('')}`;
    const r = run(['validate'], mapDir(text), { timeout: 20_000 });
    expect(r.stderr).not.toMatch(/nested more than/);
    expect(r.status).toBe(0);
  }, 30_000);

  it('aliases that expand past the limit under the alias count are refused (16 million values from 70 KB)', () => {
    const parts = [HEAD, `services:\n  a0: { data: &big [${Array.from({ length: 4000 }, () => 'phi').join(', ')}] }\n`];
    for (let i = 1; i < 4000; i++) parts.push(`  a${i}: { data: *big }\n`);
    const r = run(['validate'], mapDir(parts.join('')), { heapMb: 256 });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^phi-map\.yaml:\d+:\d+: YAML aliases \(\*name\) expand to more than 1000000 extra values .*PHI_AUDIT_MAX_ALIAS_NODES=2000000/m);
  });

  it('a limit variable that is no positive number is an input problem', () => {
    const r = run(['validate'], mapDir(`${HEAD}${svc}`), { env: { PHI_AUDIT_MAX_FILE_MB: 'lots' } });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/PHI_AUDIT_MAX_FILE_MB: must be a positive number, not "lots"/);
  });
});
