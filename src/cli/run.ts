/** Runs a command and turns its outcome, or its failure, into an exit code (see exit.ts). */
import { type Diagnostic, formatDiagnostic, InputError } from '../source/diagnostics.js';
import { readEnv } from './env.js';
import { EXIT, type ExitCode } from './exit.js';

/** Print the problems the user must fix, and say nothing was checked. */
export function reportProblems(diagnostics: readonly Diagnostic[]): ExitCode {
  process.stderr.write(`${diagnostics.map(formatDiagnostic).join('\n')}\n`);
  const n = diagnostics.length;
  process.stderr.write(`phi-audit: ${n} problem${n === 1 ? '' : 's'} to fix; nothing was checked.\n`);
  return EXIT.input;
}

export async function run(command: () => Promise<ExitCode>): Promise<void> {
  try {
    process.exitCode = await command();
  } catch (err) {
    if (err instanceof InputError) {
      process.exitCode = reportProblems(err.diagnostics);
      return;
    }
    // Our bug, not the user's: say so plainly, without a stack trace unless asked for.
    const e = err as Error;
    process.stderr.write(`phi-audit: internal error: ${e.message}\nPlease report it; set PHI_AUDIT_DEBUG=1 for details.\n`);
    if (readEnv().debug) process.stderr.write(`${e.stack ?? ''}\n`);
    process.exitCode = EXIT.internal;
  }
}
