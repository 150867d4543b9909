/** Runs a command and turns its outcome, or its failure, into an exit code (see exit.ts). */
import { type Diagnostic, formatDiagnostic, InputError } from '../source/diagnostics.js';
import { escapeTerminal } from '../source/escape.js';
import { readEnv } from './env.js';
import { EXIT, type ExitCode } from './exit.js';

/** A result that could not be written, or an output file refused (output.ts): printed as one line, exit 2. */
export class OutputError extends Error {
  readonly diagnostic: Diagnostic;

  constructor(diagnostic: Diagnostic) {
    super(diagnostic.message);
    this.name = 'OutputError';
    this.diagnostic = diagnostic;
  }
}

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
    // The run itself went fine: only its result could not be written where asked. One line, no "nothing was checked".
    if (err instanceof OutputError) {
      process.stderr.write(`${formatDiagnostic(err.diagnostic)}\n`);
      process.exitCode = EXIT.input;
      return;
    }
    // Our bug, not the user's: say so plainly, without a stack trace unless asked for.
    const e = err as Error;
    process.stderr.write(`phi-audit: internal error: ${escapeTerminal(e.message)}\nPlease report it; set PHI_AUDIT_DEBUG=1 for details.\n`);
    if (readEnv().debug) process.stderr.write(`${e.stack ?? ''}\n`);
    process.exitCode = EXIT.internal;
  }
}
