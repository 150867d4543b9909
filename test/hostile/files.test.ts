/**
 * Hostile files and trees (issue 10, causes 1, 2, 3 and 9), each case the built CLI as a real process with a time-out:
 * the exit code, a message naming the path, no stack trace, and every file in the tree byte-for-byte as it was.
 */
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, closeSync, existsSync, linkSync, mkdirSync, openSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateMap } from '../../bench/generate.mjs';
import { CLI, ROOT, STACK_TRACE } from '../support/cli.js';
import { fifo, MAP, put, type Run, readableBy, run, sha256, snapshot, TEAM_RULE, tree, unprivileged } from '../support/hostile.js';

const AS_OF = ['--as-of', '2026-11-22'];
const T = 30_000;

/** Exit 2 within the time-out, one clean message naming each of `names`, no stack trace. */
function refused(r: Run, ...names: string[]): void {
  expect(r.timedOut, `timed out after ${r.ms.toFixed(0)} ms`).toBe(false);
  expect(r.stderr).not.toMatch(STACK_TRACE);
  expect(r.stderr).not.toMatch(/internal error/);
  for (const name of names) expect(r.stderr).toContain(name);
  expect(r.status, r.stderr).toBe(2);
}

/** A clean run: exit 0 or 1 (findings), no stack trace. */
function ran(r: Run): void {
  expect(r.timedOut, `timed out after ${r.ms.toFixed(0)} ms`).toBe(false);
  expect(r.stderr).not.toMatch(STACK_TRACE);
  expect([0, 1], r.stderr).toContain(r.status);
}

/** A scan folder holding the map, and the snapshot to compare with after the run. */
function project(extra: Record<string, string> = {}): { dir: string; map: string } {
  const dir = tree({ 'phi-map.yaml': MAP, ...extra });
  return { dir, map: path.join(dir, 'phi-map.yaml') };
}

describe('cause 1: reports and schemas never overwrite a user file', () => {
  it(
    'refuses --output that is a symbolic link to the map',
    () => {
      const { dir } = project();
      symlinkSync('phi-map.yaml', path.join(dir, 'report.txt'));
      const before = snapshot(dir);
      const r = run(['scan', ...AS_OF, '--output', 'report.txt'], { cwd: dir });
      refused(r, 'report.txt', 'phi-map.yaml', 'name another file');
      expect(snapshot(dir)).toEqual(before);
    },
    T,
  );

  it(
    'refuses --output that is a hard link to the map (same device and inode)',
    () => {
      const { dir, map } = project();
      linkSync(map, path.join(dir, 'report.txt'));
      const before = snapshot(dir);
      const r = run(['scan', ...AS_OF, '--output', 'report.txt'], { cwd: dir });
      refused(r, 'report.txt', 'the map file phi-map.yaml', 'same file under another name');
      expect(snapshot(dir)).toEqual(before);
    },
    T,
  );

  it(
    'refuses the map reached through a symlinked folder, whatever its name',
    () => {
      const dir = tree({ 'real/team.yaml': MAP });
      symlinkSync('real', path.join(dir, 'linked'));
      const before = snapshot(dir);
      // Scanned as linked/team.yaml, written as real/team.yaml: one file.
      const a = run(['scan', 'linked/team.yaml', ...AS_OF, '--output', 'real/team.yaml'], { cwd: dir });
      refused(a, 'real/team.yaml', 'the map file linked/team.yaml');
      const b = run(['scan', 'real/team.yaml', ...AS_OF, '--output', 'linked/team.yaml'], { cwd: dir });
      refused(b, 'linked/team.yaml', 'the map file real/team.yaml');
      expect(snapshot(dir)).toEqual(before);
    },
    T,
  );

  it(
    'refuses a team rule file loaded with --rules, by name or through a link',
    () => {
      const { dir } = project({ 'team-rules/no-phi-in-metrics.yaml': TEAM_RULE });
      symlinkSync('team-rules/no-phi-in-metrics.yaml', path.join(dir, 'out.json'));
      const before = snapshot(dir);
      const direct = run(['scan', ...AS_OF, '--rules', 'team-rules', '--output', 'team-rules/no-phi-in-metrics.yaml'], { cwd: dir });
      refused(direct, 'team-rules/no-phi-in-metrics.yaml', 'rule file');
      const linked = run(['scan', ...AS_OF, '--rules', 'team-rules', '--output', 'out.json'], { cwd: dir });
      refused(linked, 'out.json', 'rule file');
      expect(snapshot(dir)).toEqual(before);
    },
    T,
  );

  it(
    'refuses another map outside the scan (named like a map), and a .gitignore the walk read',
    () => {
      const dir = tree({ 'a/phi-map.yaml': MAP, 'b/other.phi.yaml': MAP, 'a/.gitignore': 'scratch/\n' });
      const before = snapshot(dir);
      refused(run(['scan', 'a', ...AS_OF, '--output', 'b/other.phi.yaml'], { cwd: dir }), 'b/other.phi.yaml', 'named like a PHI map');
      // Not there yet, but discovery would read it as a map next time.
      refused(run(['scan', 'a', ...AS_OF, '--output', 'b/new.phi.yml'], { cwd: dir }), 'b/new.phi.yml', 'named like a PHI map');
      refused(run(['scan', 'a', ...AS_OF, '--output', 'a/.gitignore'], { cwd: dir }), 'a/.gitignore', '.gitignore file');
      expect(snapshot(dir)).toEqual(before);
    },
    T,
  );

  it(
    "refuses a folder, a link to nothing, a missing folder and phi-audit's own files",
    () => {
      const { dir } = project();
      mkdirSync(path.join(dir, 'out'));
      symlinkSync('nowhere/report.json', path.join(dir, 'dangling.json'));
      const before = snapshot(dir);
      refused(run(['scan', ...AS_OF, '--output', 'out'], { cwd: dir }), 'out', 'is a folder');
      refused(run(['scan', ...AS_OF, '--output', 'dangling.json'], { cwd: dir }), 'dangling.json', 'nowhere/report.json', 'does not exist');
      refused(run(['scan', ...AS_OF, '--output', 'missing/report.json'], { cwd: dir }), 'missing/report.json', 'does not exist');
      const own = path.join(ROOT, 'rules', 'hostile-report.json');
      refused(run(['scan', ...AS_OF, '--output', own], { cwd: dir }), own, "phi-audit's own files");
      expect(existsSync(own)).toBe(false);
      expect(snapshot(dir)).toEqual(before);
    },
    T,
  );

  it(
    'schema --output refuses a map through a link, a map not named *.yaml and any file that is not a schema',
    () => {
      const { dir } = project({ 'map.txt': MAP, 'package.json': '{"name": "x"}\n' });
      symlinkSync('phi-map.yaml', path.join(dir, 'schema.json'));
      const before = snapshot(dir);
      refused(run(['schema', '--output', 'schema.json'], { cwd: dir }), 'schema.json', 'phi-map.yaml');
      refused(run(['schema', '--output', 'map.txt'], { cwd: dir }), 'map.txt', 'not a JSON Schema');
      refused(run(['schema', '--output', 'package.json'], { cwd: dir }), 'package.json', 'not a JSON Schema');
      refused(run(['schema', '--output', 'phi-map.yaml'], { cwd: dir }), 'phi-map.yaml');
      expect(snapshot(dir)).toEqual(before);
      // Its own output, or a new file, it writes.
      expect(run(['schema', '--output', 'phi-map.schema.json'], { cwd: dir }).status).toBe(0);
      const first = sha256(path.join(dir, 'phi-map.schema.json'));
      expect(run(['schema', '--output', 'phi-map.schema.json'], { cwd: dir }).status).toBe(0);
      expect(sha256(path.join(dir, 'phi-map.schema.json'))).toBe(first);
      expect(JSON.parse(readFileSync(path.join(dir, 'phi-map.schema.json'), 'utf8')).$schema).toMatch(/json-schema/);
    },
    T,
  );

  it(
    'replaces a previous report whole, keeping its mode, with no temporary file left',
    () => {
      const { dir } = project();
      const report = path.join(dir, 'report.json');
      writeFileSync(report, '{"previous": true}\n', { mode: 0o640 });
      chmodSync(report, 0o640);
      const r = run(['scan', ...AS_OF, '--format', 'json', '--output', 'report.json'], { cwd: dir });
      ran(r);
      expect(JSON.parse(readFileSync(report, 'utf8')).tool.name).toBe('phi-audit');
      expect(snapshot(dir)['report.json']).toMatch(/^100640 1 /);
      expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    },
    T,
  );

  it(
    'writes straight through a device or an open descriptor, never replacing it: /dev/null, /dev/stdout',
    () => {
      const { dir } = project();
      const r = run(['scan', ...AS_OF, '--format', 'json', '--output', '/dev/null'], { cwd: dir });
      ran(r);
      expect(statSync('/dev/null').isCharacterDevice()).toBe(true);
      const out = run(['scan', ...AS_OF, '--format', 'json', '--output', '/dev/stdout'], { cwd: dir });
      ran(out);
      expect(JSON.parse(out.stdout).tool.name).toBe('phi-audit');
    },
    T,
  );

  it(
    'a SIGKILL while the report is being written leaves the previous report as it was',
    async () => {
      const dir = tree({ 'big.phi.yaml': generateMap({ nodes: 3000 }).text });
      const report = path.join(dir, 'report.json');
      writeFileSync(report, '{"previous": "a good report"}\n');
      const before = sha256(report);
      const child = spawn(process.execPath, [CLI, 'scan', ...AS_OF, '--format', 'json', '--fail-on', 'none', '--output', 'report.json'], {
        cwd: dir,
        stdio: 'ignore',
      });
      const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
      // Kill it as soon as the temporary file beside the report appears, i.e. mid-write.
      let sawTemp = false;
      for (const deadline = Date.now() + 20_000; Date.now() < deadline && child.exitCode === null; ) {
        if (readdirSync(dir).some((f) => f.startsWith('.report.json.') && f.endsWith('.tmp'))) {
          sawTemp = true;
          child.kill('SIGKILL');
          break;
        }
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
      await exited;
      expect(sawTemp, 'the scan finished before its temporary file was seen').toBe(true);
      expect(sha256(report)).toBe(before);
    },
    T,
  );

  it(
    'two scans writing one file leave one whole report, never a mix',
    async () => {
      const dir = tree({ 'a/a.phi.yaml': generateMap({ nodes: 2000, seed: 1 }).text, 'b/b.phi.yaml': generateMap({ nodes: 3000, seed: 2 }).text });
      const report = path.join(dir, 'report.json');
      const args = (map: string) => ['scan', map, ...AS_OF, '--format', 'json', '--fail-on', 'none', '--output', 'report.json'];
      const once = (map: string) => {
        expect(spawnSync(process.execPath, [CLI, ...args(map)], { cwd: dir, timeout: T }).status).toBe(0);
        return sha256(report);
      };
      const [a, b] = [once('a'), once('b')];
      // B's report is the longer: A writing on in place over it would leave B's tail behind A's report.
      writeFileSync(report, '{"previous": true}\n');
      const previous = sha256(report);
      // A starts writing, and is stopped halfway; B writes the whole file meanwhile; then A goes on.
      const writerA = spawn(process.execPath, [CLI, ...args('a')], { cwd: dir, stdio: 'ignore' });
      const exitA = new Promise<number | null>((resolve) => writerA.on('exit', (code) => resolve(code)));
      let stopped = false;
      for (const deadline = Date.now() + 20_000; Date.now() < deadline && writerA.exitCode === null; ) {
        const writing = readdirSync(dir).some((f) => f.startsWith('.report.json.') && f.endsWith('.tmp')) || sha256(report) !== previous;
        if (writing) {
          stopped = writerA.kill('SIGSTOP');
          break;
        }
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
      expect(stopped, 'scan A finished before it could be stopped mid-write').toBe(true);
      try {
        expect(spawnSync(process.execPath, [CLI, ...args('b')], { cwd: dir, timeout: T }).status).toBe(0);
        expect(sha256(report)).toBe(b);
      } finally {
        writerA.kill('SIGCONT');
      }
      expect(await exitA).toBe(0);
      expect(sha256(report)).toBe(a);
    },
    T * 2,
  );
});

describe('cause 2: a write that fails is exit 2 with one line, never a bug or a finding', () => {
  it(
    '--output /dev/full',
    () => {
      const { dir } = project();
      const before = snapshot(dir);
      const r = run(['scan', ...AS_OF, '--output', '/dev/full'], { cwd: dir });
      refused(r, '/dev/full', 'no space left on device (ENOSPC)');
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(snapshot(dir)).toEqual(before);
    },
    T,
  );

  it(
    'stdout to /dev/full: scan, schema and rules',
    () => {
      const { dir } = project();
      const full = openSync('/dev/full', 'w');
      try {
        for (const args of [['scan', ...AS_OF], ['schema'], ['rules']]) {
          const r = run(args, { cwd: dir, stdout: full });
          refused(r, 'cannot write to standard output', 'ENOSPC');
        }
      } finally {
        closeSync(full);
      }
    },
    T,
  );

  it(
    'a reader that closes the pipe early stays a quiet stop with the run’s exit code',
    () => {
      const dir = tree({ 'big.phi.yaml': generateMap({ nodes: 1000 }).text });
      const r = spawnSync('bash', ['-c', `"${process.execPath}" "${CLI}" scan ${AS_OF.join(' ')} | head -c 100 > /dev/null; exit "\${PIPESTATUS[0]}"`], {
        cwd: dir,
        encoding: 'utf8',
        timeout: T,
      });
      expect(r.stderr).toBe('');
      expect(r.status).toBe(1);
    },
    T,
  );

  it(
    'a folder the user cannot write to (EACCES): exit 2, the previous report unchanged',
    () => {
      const user = unprivileged();
      const { dir } = project({ 'report.json': '{"previous": true}\n' });
      chmodSync(path.join(dir, 'report.json'), 0o666);
      chmodSync(dir, 0o555);
      try {
        const before = snapshot(dir);
        const r = run(['scan', ...AS_OF, '--output', 'report.json'], { cwd: dir, user });
        // Precondition, checked: a user who can write to the folder anyway (root without dropping privileges) gets the report.
        const writable = spawnSync('sh', ['-c', `touch "${dir}/.probe" && rm "${dir}/.probe"`], { stdio: 'ignore', ...(user ?? {}) }).status === 0;
        if (writable) {
          ran(r);
        } else {
          refused(r, 'report.json', 'permission denied (EACCES)', 'unchanged');
          expect(snapshot(dir)).toEqual(before);
        }
      } finally {
        chmodSync(dir, 0o755);
      }
    },
    T,
  );
});

describe('cause 3: special files and odd trees', () => {
  it(
    'a FIFO named as a map is an error at once, never opened',
    () => {
      const { dir } = project();
      fifo(dir, 'pipe.yaml');
      const before = snapshot(dir);
      const r = run(['scan', 'pipe.yaml', ...AS_OF], { cwd: dir, timeout: 10_000 });
      refused(r, 'pipe.yaml', 'FIFO', 'not a regular file');
      expect(snapshot(dir)).toEqual(before);
    },
    T,
  );

  it(
    'a FIFO, socket or device found by the folder walk is skipped with a warning; the map is still read',
    async () => {
      const { dir } = project();
      fifo(dir, 'team/pipe.phi.yaml');
      symlinkSync('/dev/zero', path.join(dir, 'zero.phi.yaml'));
      const server = createServer();
      await new Promise<void>((resolve) => server.listen(path.join(dir, 'sock.phi.yaml'), resolve));
      try {
        const before = snapshot(dir);
        const r = run(['validate'], { cwd: dir, timeout: 10_000 });
        ran(r);
        expect(r.stdout).toMatch(/^ok: 1 file,/m);
        expect(r.stderr).toContain('team/pipe.phi.yaml: warning: skipped: it is a FIFO');
        expect(r.stderr).toContain('zero.phi.yaml: warning: skipped: links to a character device');
        expect(r.stderr).toContain('sock.phi.yaml: warning: skipped: it is a socket');
        expect(snapshot(dir)).toEqual(before);
      } finally {
        server.close();
      }
    },
    T,
  );

  it(
    'a symbolic link to /dev/zero named as a map or a rules folder is an error, never read',
    () => {
      const { dir } = project();
      symlinkSync('/dev/zero', path.join(dir, 'zero.yaml'));
      refused(run(['scan', 'zero.yaml', ...AS_OF], { cwd: dir, timeout: 10_000 }), 'zero.yaml', 'character device');
      refused(run(['scan', ...AS_OF, '--rules', 'zero.yaml'], { cwd: dir, timeout: 10_000 }), 'zero.yaml', '--rules', 'character device');
    },
    T,
  );

  it(
    'FIFOs and links in a --rules folder: an explicit FIFO is an error, found ones are skipped with a warning',
    () => {
      const { dir } = project({ 'team/no-phi-in-metrics.yaml': TEAM_RULE });
      fifo(dir, 'team/pipe.yaml');
      fifo(dir, 'rules-pipe');
      symlinkSync('/dev/zero', path.join(dir, 'team/zero.yaml'));
      symlinkSync('no-phi-in-metrics.yaml', path.join(dir, 'team/same.yaml'));
      const before = snapshot(dir);
      refused(run(['scan', ...AS_OF, '--rules', 'rules-pipe'], { cwd: dir, timeout: 10_000 }), 'rules-pipe', 'FIFO');
      const r = run(['scan', ...AS_OF, '--rules', 'team', '--format', 'json'], { cwd: dir, timeout: 10_000 });
      ran(r);
      expect(r.stderr).toContain('team/pipe.yaml: warning: skipped: it is a FIFO');
      expect(r.stderr).toContain('team/zero.yaml: warning: skipped: links to a character device');
      // The team rule ran once: its link was not read as a second copy.
      expect(JSON.parse(r.stdout).findings.filter((f: { rule: string }) => f.rule === 'no-phi-in-metrics')).toHaveLength(1);
      expect(snapshot(dir)).toEqual(before);
    },
    T,
  );

  it(
    'loop -> . and two -> . links: one map read once, quickly',
    () => {
      const { dir } = project({ 'team/billing.phi.yaml': 'version: 1\nstores:\n  ledger: { kind: database }\n' });
      symlinkSync('.', path.join(dir, 'loop'));
      symlinkSync('.', path.join(dir, 'a'));
      symlinkSync('.', path.join(dir, 'b'));
      symlinkSync('..', path.join(dir, 'team', 'up'));
      const before = snapshot(dir);
      for (const args of [['validate'], ['validate', '.'], ['validate', '**/*.phi.yaml', 'phi-map.yaml']]) {
        const r = run(args, { cwd: dir, timeout: 10_000 });
        ran(r);
        expect(r.stderr).toBe('');
        expect(r.stdout).toMatch(/^ok: 2 files, /m);
        expect(r.ms).toBeLessThan(10_000);
      }
      expect(snapshot(dir)).toEqual(before);
    },
    T,
  );

  it(
    'a symbolic link to / is not walked',
    () => {
      const { dir } = project();
      symlinkSync('/', path.join(dir, 'root'));
      for (const args of [['validate'], ['validate', '**/*.yaml']]) {
        const r = run(args, { cwd: dir, timeout: 10_000 });
        ran(r);
        expect(r.stdout).toMatch(/^ok: 1 file, /m);
      }
    },
    T,
  );

  it(
    'a link to a map file inside the folder is read (once); one leading out of it is skipped with a warning',
    () => {
      const outside = tree({ 'elsewhere.phi.yaml': 'version: 1\nstores:\n  far: { kind: database }\n' });
      const { dir } = project({ 'shared/ledger.yaml': 'version: 1\nstores:\n  ledger: { kind: database }\n' });
      symlinkSync('shared/ledger.yaml', path.join(dir, 'ledger.phi.yaml'));
      mkdirSync(path.join(dir, 'team'));
      symlinkSync('../shared/ledger.yaml', path.join(dir, 'team', 'again.phi.yaml'));
      symlinkSync(path.join(outside, 'elsewhere.phi.yaml'), path.join(dir, 'team', 'far.phi.yaml'));
      const r = run(['validate'], { cwd: dir });
      ran(r);
      expect(r.stdout).toMatch(/^ok: 2 files, 3 nodes/m);
      expect(r.stderr).toContain('team/far.phi.yaml: warning: skipped: a symbolic link to');
      expect(r.stderr).toContain('name that file itself to read it');
      // Named on the command line, it is read.
      const named = run(['validate', '.', 'team/far.phi.yaml'], { cwd: dir });
      expect(named.stdout).toMatch(/^ok: 3 files, 4 nodes/m);
    },
    T,
  );

  it(
    'an unreadable subfolder, .gitignore, rule file or rules folder is exit 2 naming it',
    () => {
      const user = unprivileged();
      const cases: { setup: (dir: string) => string; args: string[]; names: string[] }[] = [
        // Its own ids: where chmod 000 stops nothing (root), the folder is read beside the map and must merge with it.
        {
          setup: (dir) => path.dirname(put(dir, 'secret/a.phi.yaml', 'version: 1\nstores:\n  secret-store: { kind: database }\n')),
          args: ['validate'],
          names: ['secret', 'cannot read the folder'],
        },
        { setup: (dir) => put(dir, '.gitignore', 'scratch/\n'), args: ['validate'], names: ['.gitignore', 'cannot read the file'] },
        {
          setup: (dir) => put(dir, 'team/no-phi-in-metrics.yaml', TEAM_RULE),
          args: ['scan', ...AS_OF, '--rules', 'team'],
          names: ['team/no-phi-in-metrics.yaml', 'cannot read the file'],
        },
        {
          setup: (dir) => path.dirname(put(dir, 'extra/no-phi-in-metrics.yaml', TEAM_RULE)),
          args: ['scan', 'phi-map.yaml', ...AS_OF, '--rules', 'extra'],
          names: ['extra', 'cannot read the folder'],
        },
      ];
      for (const { setup, args, names } of cases) {
        const { dir } = project();
        const target = setup(dir);
        chmodSync(target, 0);
        try {
          const before = snapshot(dir);
          const r = run(args, { cwd: dir, user, timeout: 10_000 });
          if (readableBy(target, user)) {
            ran(r); // chmod 000 stops nothing for this user: the file is read like any other
          } else {
            refused(r, ...names, 'permission denied (EACCES)');
          }
          expect(snapshot(dir)).toEqual(before);
        } finally {
          chmodSync(target, 0o755);
        }
      }
    },
    T * 2,
  );

  it(
    'a brace glob with 2^24 alternatives is refused at once',
    () => {
      const { dir } = project();
      const pattern = `${'{a,b}'.repeat(24)}.phi.yaml`;
      const r = run(['validate', pattern], { cwd: dir, timeout: 10_000 });
      refused(r, '16777216 patterns', 'more than the 1024 allowed');
      expect(r.ms).toBeLessThan(10_000);
      refused(run(['validate', '{1..99999999}.yaml'], { cwd: dir, timeout: 10_000 }), '99999999 patterns');
      // A small brace glob still works.
      expect(run(['validate', '{phi-map,other}.{yaml,yml}'], { cwd: dir }).status).toBe(0);
    },
    T,
  );
});

describe('cause 9: no command is a usage error', () => {
  it(
    '`phi-audit` alone prints the usage to stderr and exits 2; --help and --version exit 0',
    () => {
      const bare = run([]);
      expect(bare.status).toBe(2);
      expect(bare.stdout).toBe('');
      expect(bare.stderr).toMatch(/^Usage: phi-audit/m);
      expect(bare.stderr).not.toMatch(STACK_TRACE);
      const help = run(['--help']);
      expect(help.status).toBe(0);
      expect(help.stdout).toMatch(/^Usage: phi-audit/m);
      expect(run(['help']).status).toBe(0);
      const version = run(['--version']);
      expect(version.status).toBe(0);
      expect(version.stdout).toMatch(/^\d+\.\d+\.\d+/);
    },
    T,
  );
});
