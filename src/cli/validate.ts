/** `phi-audit validate`: the same pipeline, stopped before any rule runs. */
import { audit } from '../audit.js';
import { EXIT, type ExitCode } from './exit.js';
import { reportProblems } from './run.js';

export async function validateCommand(paths: string[]): Promise<ExitCode> {
  const result = await audit({ paths, evaluate: false });
  if (!result.ok) return reportProblems(result.diagnostics);
  const s = result.report.summary;
  const files = result.report.files.length;
  process.stdout.write(`ok: ${files} file${files === 1 ? '' : 's'}, ${s.nodes} nodes, ${s.flows} flows; PHI reaches ${s.phi_holders} nodes\n`);
  return EXIT.clean;
}
