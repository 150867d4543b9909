/** Writing results: stdout or a file. Colour only for a terminal that wants it. */
import { closeSync, openSync, writeSync } from 'node:fs';
import { InputError, noPosition } from '../source/diagnostics.js';
import type { CliEnv } from './env.js';

export function useColor(flag: boolean | undefined, toFile: boolean, env: CliEnv): boolean {
  if (flag === false || toFile) return false;
  if (env.noColor) return false;
  if (env.forceColor) return true;
  return process.stdout.isTTY === true;
}

export function emit(pieces: Iterable<string>, file: string | undefined): void {
  if (file === undefined) {
    for (const piece of pieces) process.stdout.write(piece);
    return;
  }
  let fd: number;
  try {
    fd = openSync(file, 'w');
  } catch (err) {
    throw new InputError([noPosition(file, `--output: cannot write the file (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`)]);
  }
  try {
    for (const piece of pieces) writeSync(fd, piece);
  } finally {
    closeSync(fd);
  }
}
