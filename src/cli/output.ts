/** Writing results: stdout or a file. Colour only for a terminal that wants it. */
import { writeFileSync } from 'node:fs';
import { InputError, noPosition } from '../load/diagnostics.js';

export function useColor(flag: boolean | undefined, toFile: boolean): boolean {
  if (flag === false || toFile) return false;
  if (process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '') return false;
  if (process.env.FORCE_COLOR !== undefined && process.env.FORCE_COLOR !== '0') return true;
  return process.stdout.isTTY === true;
}

export function emit(text: string, file: string | undefined): void {
  if (file === undefined) {
    process.stdout.write(text);
    return;
  }
  try {
    writeFileSync(file, text);
  } catch (err) {
    throw new InputError([noPosition(file, `--output: cannot write the file (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`)]);
  }
}
