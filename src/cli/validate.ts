/** `phi-audit validate`: the same pipeline, stopped before any rule runs. */
import { audit } from '../audit.js';
import { noPosition } from '../source/diagnostics.js';
import { readEnv } from './env.js';
import { EXIT, type ExitCode } from './exit.js';
import { reportProblems } from './run.js';

export async function validateCommand(paths: string[]): Promise<ExitCode> {
  const env = readEnv();
  if (env.problems.length > 0) return reportProblems(env.problems.map(([name, message]) => noPosition(name, message)));
  const result = await audit({ paths, evaluate: false, limits: env.limits });
  if (!result.ok) return reportProblems(result.diagnostics);
  const s = result.report.summary;
  const files = result.report.files.length;
  process.stdout.write(`ok: ${files} file${files === 1 ? '' : 's'}, ${s.nodes} nodes, ${s.flows} flows; PHI reaches ${s.phi_holders} nodes\n`);
  return EXIT.clean;
}
