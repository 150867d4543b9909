/** Runs a command and turns its outcome into an exit code; the only place that knows about exit codes. */
import { InputError } from '../source/diagnostics.js';

export async function run(command: () => Promise<number>): Promise<void> {
  try {
    process.exitCode = await command();
  } catch (err) {
    if (err instanceof InputError) {
      process.stderr.write(`${err.message}\n`);
      const n = err.diagnostics.length;
      process.stderr.write(`phi-audit: ${n} problem${n === 1 ? '' : 's'} to fix; nothing was checked.\n`);
      process.exitCode = 2;
      return;
    }
    // Our bug, not the user's: say so plainly, without a stack trace unless asked for.
    const e = err as Error;
    process.stderr.write(`phi-audit: internal error: ${e.message}\nPlease report it; set PHI_AUDIT_DEBUG=1 for details.\n`);
    if (process.env.PHI_AUDIT_DEBUG) process.stderr.write(`${e.stack ?? ''}\n`);
    process.exitCode = 3;
  }
}
