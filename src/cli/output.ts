/**
 * Writing results: stdout or a file. Colour only for a terminal that wants it.
 *
 * A file is never written in place. The output goes to a temporary file beside the target, which is then renamed over
 * it: a run killed halfway leaves the previous file as it was, and two runs writing one file leave one whole result.
 * Before anything is written the target is checked, by real path and by device and inode (so a symbolic link or a hard
 * link counts as the file it names): it may not be an input of this run (a map, rule, catalog or .gitignore file), a
 * file named like a PHI map, one of phi-audit's own files, a folder, or a link to nothing. A device, FIFO or
 * `/dev/stdout` is written straight through. Every failure is an OutputError: one line, exit 2, never a stack trace.
 */
import { randomBytes } from 'node:crypto';
import {
  accessSync,
  closeSync,
  constants,
  fchmodSync,
  fstatSync,
  fsyncSync,
  lstatSync,
  openSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  renameSync,
  type Stats,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import path from 'node:path';
import { isMapFileName } from '../map/discover.js';
import { packageRoot } from '../package.js';
import { noPosition } from '../source/diagnostics.js';
import { errnoText, type FileIdentity, inputFiles, isInside } from '../source/files.js';
import { displayPath } from '../source/names.js';
import type { CliEnv } from './env.js';
import { OutputError } from './run.js';

export function useColor(flag: boolean | undefined, toFile: boolean, env: CliEnv): boolean {
  if (flag === false || toFile) return false;
  if (env.noColor) return false;
  if (env.forceColor) return true;
  return process.stdout.isTTY === true;
}

export interface OutputOptions {
  /** What is written, for messages: "report", "schema" or "map draft" (which may be written where a map is found). */
  what: 'report' | 'schema' | 'map draft';
  /** The one input of this run that may be replaced: the map `draft --update FILE --write` merges into. */
  replaces?: string;
  /** Files this run read, besides the ones recorded as it read them (source/files.ts): never written over. */
  inputs?: readonly string[];
  cwd?: string;
}

/** Where a result goes: an fd that is already open, a file replaced by rename, or a device or FIFO written through. */
type Target = { kind: 'fd'; fd: number } | { kind: 'replace'; file: string; existing?: Stats } | { kind: 'through'; file: string };

// `--output /dev/stdout` and friends name a descriptor this process already has: write to it, wherever it points.
const FD_PATH = /^\/(?:dev\/(?:(stdout)|(stderr)|fd\/(\d+))|proc\/self\/fd\/(\d+))$/;

const sameFile = (a: { dev: number; ino: number }, b: { dev: number; ino: number }) => a.dev === b.dev && a.ino === b.ino;

function refuse(given: string, message: string): never {
  throw new OutputError(noPosition(given, message));
}

/** The target's real path, following every link; a link to nothing is refused. */
function realTarget(given: string, abs: string): { real: string; st?: Stats } {
  let link: Stats | undefined;
  try {
    link = lstatSync(abs);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') refuse(given, `--output: cannot write the file: ${errnoText(err)}`);
  }
  if (link === undefined) {
    const dir = path.dirname(abs);
    try {
      const realDir = realpathSync(dir);
      if (!statSync(realDir).isDirectory()) refuse(given, `--output: cannot write the file: ${dir} is not a folder`);
      return { real: path.join(realDir, path.basename(abs)) };
    } catch (err) {
      if (err instanceof OutputError) throw err;
      const missing = (err as NodeJS.ErrnoException).code === 'ENOENT';
      refuse(given, `--output: cannot write the file: ${missing ? `the folder ${dir} does not exist` : errnoText(err)}`);
    }
  }
  try {
    const real = realpathSync(abs);
    return { real, st: statSync(real) };
  } catch (err) {
    if (link.isSymbolicLink() && (err as NodeJS.ErrnoException).code === 'ENOENT') {
      let to = '';
      try {
        to = ` to ${readlinkSync(abs)}`;
      } catch {
        // gone since
      }
      refuse(
        given,
        `--output is a symbolic link${to}, which does not exist: phi-audit writes through a link only to an existing file; remove the link or name another file`,
      );
    }
    refuse(given, `--output: cannot write the file: ${errnoText(err)}`);
  }
}

/** A file that exists and holds something other than a JSON Schema: `phi-audit schema` replaces only its own output. */
function notASchema(file: string, st: Stats): boolean {
  if (st.size === 0) return false;
  if (st.size > 16 * 2 ** 20) return true;
  try {
    const value = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return true;
    return !Object.hasOwn(value, '$schema') || typeof (value as { $schema: unknown }).$schema !== 'string';
  } catch {
    return true;
  }
}

/** Refuse a target that is (by device and inode) a file this run read. */
function refuseInputs(given: string, st: Stats, options: OutputOptions, cwd: string, example: string): void {
  const inputs: FileIdentity[] = [...inputFiles()];
  for (const file of options.inputs ?? []) {
    try {
      const s = statSync(path.resolve(cwd, file));
      inputs.push({ path: path.resolve(cwd, file), dev: s.dev, ino: s.ino, what: 'map file' });
    } catch {
      // not there any more: it cannot be overwritten either
    }
  }
  let replaced: Stats | undefined;
  try {
    replaced = options.replaces === undefined ? undefined : statSync(path.resolve(cwd, options.replaces));
  } catch {
    // gone: nothing to allow
  }
  const clash = inputs.find((i) => sameFile(i, st) && !(replaced && sameFile(i, replaced)));
  if (!clash) return;
  const shown = displayPath(clash.path, cwd);
  const same = clash.path === path.resolve(cwd, given) ? '' : ` (${given} is the same file under another name)`;
  refuse(given, `--output would overwrite the ${clash.what} ${shown}${same}, which this run read: nothing was written; name another file, e.g. ${example}`);
}

/** Check `given` as a place to write the result; throws OutputError naming it when it must not be written. */
function target(given: string, options: OutputOptions): Target {
  const cwd = options.cwd ?? process.cwd();
  const abs = path.resolve(cwd, given);
  const example = options.what === 'schema' ? 'phi-map.schema.json' : options.what === 'map draft' ? 'phi-map.draft.yaml' : 'phi-audit-report.json';
  const fdPath = FD_PATH.exec(abs);
  if (fdPath) {
    const fd = fdPath[1] ? 1 : fdPath[2] ? 2 : Number(fdPath[3] ?? fdPath[4]);
    try {
      refuseInputs(given, fstatSync(fd), options, cwd, example);
    } catch (err) {
      if (err instanceof OutputError) throw err;
      refuse(given, `--output: cannot write to it: ${errnoText(err)}`);
    }
    return { kind: 'fd', fd };
  }
  const { real, st } = realTarget(given, abs);
  const via = real === abs ? '' : ` (${given} leads to ${displayPath(real, cwd)})`;
  if (st?.isDirectory()) refuse(given, `--output is a folder: name a file in it, e.g. ${path.join(given, example)}`);
  if (st !== undefined) refuseInputs(given, st, options, cwd, example);
  if (options.what !== 'map draft' && (isMapFileName(path.basename(abs)) || isMapFileName(path.basename(real)))) {
    refuse(
      given,
      `--output is named like a PHI map (phi-map.yaml, *.phi.yaml)${via}: phi-audit never writes a ${options.what} where a map is or would be found; name another file, e.g. ${example}`,
    );
  }
  const own = ['rules', 'dist'].map((d) => path.join(packageRoot(), d)).find((d) => isInside(d, real));
  if (own) refuse(given, `--output would overwrite phi-audit's own files in ${own}${via}: name another file, e.g. ${example}`);
  if (st === undefined) return { kind: 'replace', file: real };
  if (!st.isFile()) return { kind: 'through', file: abs };
  if (options.what === 'schema') {
    if (/\.ya?ml$/i.test(abs) || /\.ya?ml$/i.test(real)) {
      refuse(given, `is a YAML file that exists${via}; the schema is JSON: write it to phi-map.schema.json`);
    }
    if (notASchema(real, st)) {
      refuse(given, `exists and is not a JSON Schema${via}: \`phi-audit schema\` replaces only its own output; name another file, e.g. phi-map.schema.json`);
    }
  }
  try {
    accessSync(real, constants.W_OK);
  } catch (err) {
    refuse(given, `--output: cannot write the file: ${errnoText(err)}`);
  }
  return { kind: 'replace', file: real, existing: st };
}

const pause = new Int32Array(new SharedArrayBuffer(4));

function writeAll(fd: number, pieces: Iterable<string>): void {
  for (const piece of pieces) {
    const bytes = Buffer.from(piece, 'utf8');
    for (let off = 0; off < bytes.length; ) {
      try {
        off += writeSync(fd, bytes, off, bytes.length - off);
      } catch (err) {
        // A non-blocking pipe that is full (an inherited descriptor): wait for the reader.
        if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') throw err;
        Atomics.wait(pause, 0, 0, 5);
      }
    }
  }
}

/** Write to a temporary file beside `file`, then rename it over `file`; on any failure `file` is left as it was. */
function replace(given: string, file: string, existing: Stats | undefined, pieces: Iterable<string>): void {
  const dir = path.dirname(file);
  const temp = path.join(dir, `.${path.basename(file)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  const unchanged = existing ? `; ${given} is unchanged` : '';
  let fd: number | undefined;
  try {
    fd = openSync(temp, 'wx', 0o666);
  } catch (err) {
    refuse(given, `--output: cannot write the file: cannot create a file in ${dir}: ${errnoText(err)}${unchanged}`);
  }
  try {
    if (existing) fchmodSync(fd, existing.mode & 0o7777);
    writeAll(fd, pieces);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(temp, file);
  } catch (err) {
    if (fd !== undefined) closeSync(fd);
    try {
      unlinkSync(temp);
    } catch {
      // already gone
    }
    refuse(given, `--output: cannot write the file: ${errnoText(err)}${unchanged}`);
  }
}

/** Write to a device, FIFO or socket that exists (`/dev/null`, `/dev/full`): opened without creating or truncating anything. */
function through(given: string, file: string, pieces: Iterable<string>): void {
  let fd: number;
  try {
    fd = openSync(file, constants.O_WRONLY | (constants.O_NOCTTY ?? 0));
  } catch (err) {
    refuse(given, `--output: cannot write the file: ${errnoText(err)}`);
  }
  try {
    // Swapped for a regular file since it was checked: nothing is truncated, and nothing is written.
    if (fstatSync(fd).isFile()) refuse(given, '--output changed while it was being opened: nothing was written; run again');
    writeAll(fd, pieces);
  } catch (err) {
    if (err instanceof OutputError) throw err;
    refuse(given, `--output: cannot write the file: ${errnoText(err)}`);
  } finally {
    closeSync(fd);
  }
}

/**
 * Write `pieces` to stdout (no file), or to `file` as described at the top. Throws OutputError when the file is
 * refused or cannot be written; stdout's own errors are handled where the stream is (main.ts).
 */
export function emit(pieces: Iterable<string>, file: string | undefined, options: OutputOptions): void {
  if (file === undefined) {
    for (const piece of pieces) process.stdout.write(piece);
    return;
  }
  const where = target(file, options);
  if (where.kind === 'replace') replace(file, where.file, where.existing, pieces);
  else if (where.kind === 'through') through(file, where.file, pieces);
  else {
    try {
      writeAll(where.fd, pieces);
    } catch (err) {
      refuse(file, `--output: cannot write to it: ${errnoText(err)}`);
    }
  }
}
