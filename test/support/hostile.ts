/**
 * Hostile-input helpers: odd trees in a temporary folder (links, hard links, FIFOs, unreadable folders), the built CLI
 * run as a process with a time-out (optionally as an unprivileged user), and checksums of every file before and after.
 */
import { type SpawnSyncOptions, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CLI, ROOT } from './cli.js';

export interface Run {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Wall time in milliseconds. */
  ms: number;
  /** The time-out ended it. */
  timedOut: boolean;
}

export interface RunOptions {
  cwd?: string;
  /** Milliseconds before the process is killed (default 20 s): a hang fails the test instead of stalling it. */
  timeout?: number;
  /** Run as this user and group (root only): `unprivileged()` gives one for which chmod 000 means something. */
  user?: { uid: number; gid: number } | undefined;
  /** Where stdout goes: a pipe (default) or an open descriptor (e.g. of /dev/full). */
  stdout?: 'pipe' | number;
}

/** The built CLI as a process, the way CI runs it. */
export function run(args: readonly string[], options: RunOptions = {}): Run {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.NO_COLOR;
  delete env.FORCE_COLOR;
  delete env.PHI_AUDIT_DEBUG;
  const spawnOptions: SpawnSyncOptions = {
    cwd: options.cwd ?? ROOT,
    env,
    encoding: 'utf8',
    timeout: options.timeout ?? 20_000,
    killSignal: 'SIGKILL',
    maxBuffer: 1 << 28,
    stdio: ['ignore', options.stdout ?? 'pipe', 'pipe'],
    ...(options.user ?? {}),
  };
  const started = performance.now();
  const r = spawnSync(process.execPath, [CLI, ...args], spawnOptions);
  return {
    status: r.status,
    signal: r.signal,
    stdout: (r.stdout as string | null) ?? '',
    stderr: (r.stderr as string | null) ?? '',
    ms: performance.now() - started,
    timedOut: (r.error as NodeJS.ErrnoException | undefined)?.code === 'ETIMEDOUT',
  };
}

let dropTo: { uid: number; gid: number } | undefined | null = null;

/**
 * A user for whom permissions apply: when the tests run as root (where chmod 000 stops nothing), the CLI is run as
 * `nobody`, if `nobody` can run it (the checkout may be in a folder only root can enter); otherwise as the current
 * user, and the cases check with readableBy() which behaviour applies.
 */
export function unprivileged(): { uid: number; gid: number } | undefined {
  if (dropTo !== null) return dropTo;
  dropTo = undefined;
  if (process.getuid?.() === 0) {
    const nobody = { uid: 65534, gid: 65534 };
    const probe = spawnSync(process.execPath, [CLI, '--version'], { cwd: tmpdir(), stdio: 'ignore', timeout: 20_000, ...nobody });
    if (probe.status === 0) dropTo = nobody;
  }
  return dropTo;
}

/**
 * Whether `user` (undefined: the current user) can read `file` (list it, for a folder): the precondition of an
 * "unreadable" case, checked rather than assumed.
 */
export function readableBy(file: string, user: { uid: number; gid: number } | undefined): boolean {
  const probe = 'const fs = require("fs"); const f = process.argv[1]; fs.statSync(f).isDirectory() ? fs.readdirSync(f) : fs.readFileSync(f);';
  return spawnSync(process.execPath, ['-e', probe, file], { stdio: 'ignore', timeout: 10_000, ...(user ?? {}) }).status === 0;
}

/** A fresh folder under the system's temporary folder, open to every user (the unprivileged runs read it). */
export function tree(files: Record<string, string> = {}): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'phi-audit-hostile-'));
  chmodSync(dir, 0o755);
  for (const [rel, text] of Object.entries(files)) put(dir, rel, text);
  return dir;
}

/** Write `text` at `dir/rel`, making folders on the way. */
export function put(dir: string, rel: string, text: string): string {
  const file = path.join(dir, rel);
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o755 });
  writeFileSync(file, text, { mode: 0o644 });
  return file;
}

/** A FIFO at `dir/rel` (mkfifo(1)). */
export function fifo(dir: string, rel: string): string {
  const file = path.join(dir, rel);
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o755 });
  const r = spawnSync('mkfifo', ['-m', '0644', file]);
  if (r.status !== 0) throw new Error(`mkfifo ${file} failed: ${r.stderr}`);
  return file;
}

export function sha256(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

/**
 * Every entry below `dir` (not following links) with what it holds: a regular file's sha256, a link's target, a FIFO
 * or other special file's kind (never opened). Folders that cannot be listed are noted as such.
 */
export function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (abs: string, rel: string) => {
    let names: string[];
    try {
      names = readdirSync(abs).sort();
    } catch {
      out[`${rel}/`] = 'unlistable';
      return;
    }
    for (const name of names) {
      const childAbs = path.join(abs, name);
      const childRel = rel ? `${rel}/${name}` : name;
      const st = lstatSync(childAbs);
      if (st.isSymbolicLink()) out[childRel] = `-> ${readlinkSync(childAbs)}`;
      else if (st.isDirectory()) walk(childAbs, childRel);
      else if (st.isFile()) out[childRel] = `${st.mode.toString(8)} ${st.nlink} ${safeHash(childAbs)}`;
      else out[childRel] = st.isFIFO() ? 'fifo' : st.isSocket() ? 'socket' : 'special';
    }
  };
  walk(dir, '');
  return out;
}

function safeHash(file: string): string {
  try {
    return sha256(file);
  } catch {
    return 'unreadable';
  }
}

/** The map every case scans: valid, with PHI reaching a metrics log (the team rule's finding). */
export const MAP = `version: 1
system: hostile
services:
  api: { data: [phi] }
logs:
  usage-metrics: { kind: metrics }
flows:
  - { from: api, to: usage-metrics, tls: "1.3" }
`;

/** A team rule for `--rules DIR`, in a file that must be named `no-phi-in-metrics.yaml`. */
export const TEAM_RULE = `id: no-phi-in-metrics
title: Metrics never carry PHI
severity: high
cite:
  - { section: 164.502(b), standard: Minimum necessary, implementation: standard }
rationale: Metrics are exported to dashboards that every engineer can read, and are kept for years.
remediation: Aggregate before exporting, and label metrics only with de-identified dimensions.
applies_to: { targets: [log], kinds: [metrics], phi: any }
check: { function: phi-absent }
message: "PHI ({classes}) reaches metrics log {target}."
`;
