/** `phi-audit validate`: the same pipeline, stopped before any rule runs. */
import { auditSystems } from '../audit.js';
import { noPosition } from '../source/diagnostics.js';
import { escapeTerminal } from '../source/escape.js';
import { readEnv } from './env.js';
import { EXIT, type ExitCode } from './exit.js';
import { reportProblems } from './run.js';
import { noticeOnStderr } from './systems.js';

export async function validateCommand(paths: string[]): Promise<ExitCode> {
  const env = readEnv();
  if (env.problems.length > 0) return reportProblems(env.problems.map(([name, message]) => noPosition(name, message)));
  const result = await auditSystems({ paths, evaluate: false, limits: env.limits, onNotice: noticeOnStderr });
  if (!result.ok) return reportProblems(result.diagnostics);
  for (const { name, root, report } of result.systems) {
    const s = report.summary;
    const files = report.files.length;
    const which = result.systems.length > 1 ? `system ${escapeTerminal(name)} (${escapeTerminal(root)}): ` : '';
    process.stdout.write(`${which}ok: ${files} file${files === 1 ? '' : 's'}, ${s.nodes} nodes, ${s.flows} flows; PHI reaches ${s.phi_holders} nodes\n`);
  }
  return EXIT.clean;
}
