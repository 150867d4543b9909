/**
 * Reading input files safely, and remembering which files a run read. Inputs (maps, rule files, catalogs) are read
 * only when they are regular files: a FIFO is never opened for reading (it would wait forever for a writer), and a
 * device (`/dev/zero`), socket or folder is refused before anything is read. Files are told apart by device and
 * inode, so a hard link or a symlink names the same file as its target.
 */
import { closeSync, constants, fstatSync, openSync, readFileSync, realpathSync, type Stats, statSync } from 'node:fs';
import path from 'node:path';
import { type Diagnostic, formatDiagnostic } from './diagnostics.js';

/** What a path is, in words, for a message: "a FIFO (named pipe)", "a folder". */
export function describeKind(st: Stats): string {
  if (st.isFile()) return 'a regular file';
  if (st.isDirectory()) return 'a folder';
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  if (st.isSymbolicLink()) return 'a symbolic link';
  return 'not a regular file';
}

const ERRNO_TEXT: Readonly<Record<string, string>> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOENT: 'no such file or folder',
  ENOTDIR: 'a part of the path is not a folder',
  EISDIR: 'it is a folder',
  ELOOP: 'too many levels of symbolic links',
  ENAMETOOLONG: 'the name is too long',
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  EFBIG: 'the file is too large',
  EROFS: 'read-only file system',
  EIO: 'input/output error',
  EBUSY: 'the file is busy',
  ETXTBSY: 'the file is busy',
  EMFILE: 'too many open files',
  ENFILE: 'too many open files',
  ENXIO: 'no such device or address',
  EXDEV: 'not on the same file system',
};

/** An error from the file system in words, with its code: "permission denied (EACCES)". */
export function errnoText(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (typeof code === 'string') {
    const words = Object.hasOwn(ERRNO_TEXT, code) ? ERRNO_TEXT[code] : undefined;
    return words ? `${words} (${code})` : code;
  }
  return err instanceof Error ? err.message : String(err);
}

/** The identity of a file: the same for every name it has (symlinks followed, hard links alike). */
export interface FileIdentity {
  readonly path: string;
  readonly dev: number;
  readonly ino: number;
  /** What the run read it as, for messages: "map file", "rule file". */
  readonly what: string;
}

const identityKey = (st: { dev: number; ino: number }): string => `${st.dev}:${st.ino}`;

/** Every input file this process has read or will read (maps found by discovery, rules, catalogs), by identity. */
const ledger = new Map<string, FileIdentity>();

/** Note that `file` (with these stats, symlinks followed) is an input of this run, so no output may replace it. */
export function recordInput(file: string, st: Stats, what: string): void {
  const key = identityKey(st);
  if (!ledger.has(key)) ledger.set(key, { path: file, dev: st.dev, ino: st.ino, what });
}

/** The input files this process has read so far (see recordInput). */
export function inputFiles(): readonly FileIdentity[] {
  return [...ledger.values()];
}

export type ReadResult = { ok: true; text: string } | { ok: false; message: string };

// Opening with O_NONBLOCK means that even a FIFO swapped in after the check below never blocks the open.
const READ_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

/**
 * Read `file` as UTF-8 if it is a regular file (symlinks followed). Anything else (a FIFO, a device, a socket, a
 * folder, a missing or unreadable file) is a message saying what it is, for the caller to put beside the name it
 * shows. The file is recorded as an input of this run, as `what` ("rule file").
 */
export function readRegularFile(file: string, what: string): ReadResult {
  let st: Stats;
  try {
    st = statSync(file);
  } catch (err) {
    return { ok: false, message: `cannot read the file: ${errnoText(err)}` };
  }
  if (!st.isFile()) return { ok: false, message: `is ${describeKind(st)}, not a regular file: phi-audit reads only regular files` };
  let fd: number;
  try {
    fd = openSync(file, READ_FLAGS);
  } catch (err) {
    return { ok: false, message: `cannot read the file: ${errnoText(err)}` };
  }
  try {
    const opened = fstatSync(fd);
    if (!opened.isFile()) return { ok: false, message: `is ${describeKind(opened)}, not a regular file: phi-audit reads only regular files` };
    recordInput(file, opened, what);
    return { ok: true, text: readFileSync(fd, 'utf8') };
  } catch (err) {
    return { ok: false, message: `cannot read the file: ${errnoText(err)}` };
  } finally {
    closeSync(fd);
  }
}

/** Where a warning about a skipped file goes; by default stderr, one line. */
export type OnWarning = (warning: Diagnostic) => void;

export const warnOnStderr: OnWarning = (w) => {
  process.stderr.write(`${formatDiagnostic(w)}\n`);
};

/** Whether `real` is `root` or below it (both real paths). */
export function isInside(root: string, real: string): boolean {
  const rel = path.relative(root, real);
  return rel === '' || (!rel.startsWith(`..${path.sep}`) && rel !== '..' && !path.isAbsolute(rel));
}

/** What a folder walk found, once looked at (never opened). */
export type Found = { kind: 'file'; st: Stats } | { kind: 'folder' } | { kind: 'skip'; reason: string } | { kind: 'unreadable'; message: string };

// A link to nothing, or in a circle: nothing to read there, so the entry is skipped. Other errors are problems.
const BROKEN_LINK = new Set(['ENOENT', 'ELOOP', 'ENOTDIR']);

/**
 * Look at `file`, which a walk of the folder whose real path is `rootReal` found (`isLink`: its entry is a symbolic
 * link). A regular file, or a link to one whose real path is inside the folder, is a file; a folder (or a link to
 * one) is a folder; a broken link, a link out of the folder or a special file is skipped, with the reason; a file
 * that cannot be looked at (EACCES) is unreadable, with a message. Nothing is opened.
 */
export function lookAtFound(file: string, isLink: boolean, rootReal: string): Found {
  let st: Stats;
  try {
    st = statSync(file);
  } catch (err) {
    if (isLink && BROKEN_LINK.has((err as NodeJS.ErrnoException).code ?? '')) {
      return { kind: 'skip', reason: `a symbolic link that cannot be followed (${errnoText(err)})` };
    }
    return { kind: 'unreadable', message: `cannot read it: ${errnoText(err)}` };
  }
  if (st.isDirectory()) return { kind: 'folder' };
  if (!st.isFile()) return { kind: 'skip', reason: `${isLink ? 'links to' : 'it is'} ${describeKind(st)}, not a regular file` };
  if (isLink) {
    let real: string;
    try {
      real = realpathSync(file);
    } catch (err) {
      return { kind: 'unreadable', message: `cannot read it: ${errnoText(err)}` };
    }
    if (!isInside(rootReal, real))
      return { kind: 'skip', reason: `a symbolic link to ${real}, outside the folder being read (${rootReal}): name that file itself to read it` };
  }
  return { kind: 'file', st };
}
