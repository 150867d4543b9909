/** `phi-audit scan`: flags → audit() → format → write. */
import { auditSystems } from '../audit.js';
import { type Format, loadFormatter } from '../format/registry.js';
import type { Severity } from '../rules/schema.js';
import { noPosition } from '../source/diagnostics.js';
import { escapeTerminal } from '../source/escape.js';
import { readEnv } from './env.js';
import { type ExitCode, exitForReport } from './exit.js';
import { emit, useColor } from './output.js';
import { reportProblems } from './run.js';
import { noticeOnStderr, writeSystems } from './systems.js';

export interface ScanFlags {
  format: Format;
  output?: string;
  failOn: Severity | 'none';
  asOf?: string;
  rules: string[];
  color?: boolean;
}

export async function scanCommand(paths: string[], flags: ScanFlags): Promise<ExitCode> {
  const env = readEnv();
  const mib = () => (process.memoryUsage().rss / 2 ** 20).toFixed(0);
  const onStage = env.timing ? (stage: string, ms: number) => process.stderr.write(`timing: ${stage} ${ms.toFixed(0)} ms, rss ${mib()} MiB\n`) : undefined;
  if (env.problems.length > 0) return reportProblems(env.problems.map(([name, message]) => noPosition(name, message)));
  const result = await auditSystems({
    paths,
    onNotice: noticeOnStderr,
    limits: env.limits,
    failOn: flags.failOn,
    rules: flags.rules,
    ...(flags.asOf !== undefined ? { asOf: flags.asOf } : {}),
    ...(onStage ? { onStage } : {}),
  });
  if (!result.ok) return reportProblems(result.diagnostics);
  // Several systems (map/systems.ts): each report in one output.
  if (result.systems.length > 1)
    return writeSystems(result.systems, flags.format, flags.output, { color: useColor(flags.color, flags.output !== undefined, env) });
  const report = result.systems[0]!.report;
  const started = performance.now();
  // Formatting is lazy: pieces are made as they are written.
  const format = await loadFormatter(flags.format);
  // Never over an input of this run (the maps it describes, rule files, ...): see output.ts.
  emit(format(report, { color: useColor(flags.color, flags.output !== undefined, env) }), flags.output, { what: 'report', inputs: report.files });
  onStage?.('format and write', performance.now() - started);
  if (flags.output !== undefined) {
    const s = report.summary;
    process.stderr.write(`phi-audit: ${s.findings} findings (${s.blocking} at or above --fail-on ${s.fail_on}) written to ${escapeTerminal(flags.output)}\n`);
  }
  return exitForReport(report);
}
