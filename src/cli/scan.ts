/**
 * `phi-audit scan`: flags and `.phi-audit.yaml` → settings → audit() → each requested report → exit code.
 *
 * The option handling is in one place: `resolveScanSettings` (the flags main.ts parsed, with the config file filling
 * what the command line left out, config.ts) and `formatOptions` (what every formatter is told). A run stopped by
 * input problems (exit 2) still writes every requested report file that has a problem writer, carrying the problems.
 */
import { appendFileSync } from 'node:fs';
import { auditSystems, type SystemReport } from '../audit.js';
import { closestFormat, FORMATS, type Format, loadFormatter, loadProblemFormatter } from '../format/registry.js';
import { TOOL_NAME, toolVersion } from '../package.js';
import type { FormatOptions, ProblemReport, Report } from '../report/model.js';
import { showAtLeast } from '../report/view.js';
import { type Diagnostic, formatDiagnostic, noPosition } from '../source/diagnostics.js';
import { escapeTerminal } from '../source/escape.js';
import { errnoText } from '../source/files.js';
import { formatBaseline } from '../triage/baseline.js';
import { describeSettings, loadConfig, type OutputSpec, resolveSettings, type ScanFlagValues, type ScanSettings } from './config.js';
import { type CliEnv, readEnv } from './env.js';
import { EXIT, type ExitCode, exitForReport } from './exit.js';
import { boundHeapGrowth } from './heap.js';
import type { LiveFlags } from './live.js';
import { emit, useColor } from './output.js';
import { findRepoRoot, toolHomepage } from './repo-root.js';
import { digestInputs } from './report.js';
import { OutputError, reportProblems } from './run.js';
import { formatSystems, noticeOnStderr } from './systems.js';

/** What main.ts hands over: each flag as given on the command line, undefined where it was not. */
export interface ScanFlags extends ScanFlagValues, LiveFlags {
  /** A config file (`--config FILE`), or false for `--no-config`. */
  config?: string | false | undefined;
  showConfig?: boolean | undefined;
}

interface ResolvedOutput {
  readonly format: Format;
  readonly file?: string | undefined;
}

/** The settings for this run, or the problems with the flags and the config file. */
function resolveScanSettings(paths: readonly string[], flags: ScanFlags): { settings?: ScanSettings; outputs: ResolvedOutput[]; problems: Diagnostic[] } {
  const read = loadConfig(paths, flags.config);
  if (!read.ok) {
    // The config's own outputs are unknown; the command line's, when it names them well, still take the problems.
    const cli = resolveSettings({ ...flags }, undefined);
    const known = knownOutputs(cli.settings.outputs);
    const outputs = cli.diagnostics.length === 0 && known.problems.length === 0 ? known.outputs : [];
    return { outputs, problems: read.diagnostics };
  }
  const { settings, diagnostics } = resolveSettings(flags, read.config);
  const { outputs, problems } = knownOutputs(settings.outputs);
  // A command line that is wrong about its outputs writes none of them.
  if (diagnostics.length > 0 || problems.length > 0) return { outputs: [], problems: [...diagnostics, ...problems] };
  return { settings, outputs, problems: [] };
}

function knownOutputs(specs: readonly OutputSpec[]): { outputs: ResolvedOutput[]; problems: Diagnostic[] } {
  const outputs: ResolvedOutput[] = [];
  const problems: Diagnostic[] = [];
  for (const o of specs) {
    if ((FORMATS as string[]).includes(o.format)) outputs.push({ format: o.format as Format, file: o.file });
    else {
      const hint = closestFormat(o.format);
      problems.push(noPosition(o.from, `unknown format "${o.format}"${hint ? ` (did you mean "${hint}"?)` : ''}: use one of ${FORMATS.join(', ')}`));
    }
  }
  return { outputs, problems };
}

/** What every formatter of this run is told. */
function formatOptions(settings: ScanSettings, env: CliEnv, toFile: boolean, files: readonly string[]): FormatOptions {
  const color = useColor(settings.color?.value, toFile, env);
  const columns = process.stdout.columns;
  return {
    color,
    // Wrapped to a terminal's width only; piped or written to a file, a line is never broken.
    width: !toFile && process.stdout.isTTY === true && columns !== undefined && columns > 0 ? columns : undefined,
    compact: settings.compact.value,
    quiet: settings.quiet.value,
    sarifCategory: settings.sarifCategory?.value,
    srcRoot: findRepoRoot(files),
    homepage: toolHomepage(),
    sarifMaxResults: env.sarifMaxResults,
    onWarning: (message: string) => process.stderr.write(`phi-audit: warning: ${escapeTerminal(message)}\n`),
  };
}

/** Append to $GITHUB_STEP_SUMMARY; a summary that cannot be written is a warning, never the run's failure. */
function appendSummary(file: string, markdown: string): void {
  try {
    appendFileSync(file, markdown);
  } catch (err) {
    process.stderr.write(`phi-audit: warning: cannot write the job summary to ${escapeTerminal(file)} (GITHUB_STEP_SUMMARY): ${errnoText(err)}\n`);
  }
}

/** Exit 2: every requested report file whose format can carry problems gets them; then the problems on stderr. */
async function failWith(diagnostics: readonly Diagnostic[], outputs: readonly ResolvedOutput[]): Promise<ExitCode> {
  const problems: ProblemReport = { tool: { name: TOOL_NAME, version: toolVersion() }, diagnostics };
  for (const o of outputs) {
    // To standard output only the GitHub annotations: the problems are on stderr in every other case.
    if (o.file === undefined && o.format !== 'github') continue;
    const write = await loadProblemFormatter(o.format);
    if (write === undefined) continue;
    try {
      // Problem files name map files relative to the repository root too (SARIF, GitHub annotations).
      const srcRoot = findRepoRoot(diagnostics.filter((d) => d.line > 0).map((d) => d.file));
      emit(write(problems, { color: false, srcRoot }), o.file, { what: 'report' });
    } catch (err) {
      if (!(err instanceof OutputError)) throw err;
      process.stderr.write(`${formatDiagnostic(err.diagnostic)}\n`);
    }
  }
  return reportProblems(diagnostics);
}

/**
 * A scan over several systems (docs/map-format.md, "Several systems"): each output gets every system's report (text
 * and Markdown a section a system, JSON one document, SARIF a run a system). What keys on one system's finding ids
 * (baselines) or reads one set of accounts (live checks) is refused: name the system's folder to use it.
 */
async function writeSeveral(
  systems: readonly SystemReport[],
  settings: ScanSettings,
  outputs: readonly ResolvedOutput[],
  env: CliEnv,
  live: boolean,
): Promise<ExitCode> {
  const one = (what: string) =>
    noPosition(
      what,
      `works on one system at a time, and this run found ${systems.length} (${systems.map((s) => s.root).join(', ')}): scan one system's folder`,
    );
  const refused = [
    ...(settings.baseline !== undefined ? [one('--baseline')] : []),
    ...(settings.writeBaseline !== undefined ? [one('--write-baseline')] : []),
    ...(live ? [one('live checks (--aws, --evidence, --save-evidence)')] : []),
  ];
  if (refused.length > 0) return failWith(refused, outputs);
  const files = [...new Set(systems.flatMap((s) => s.report.files))];
  const quiet = settings.quiet.value;
  const ordered = [...outputs.filter((o) => o.file !== undefined), ...outputs.filter((o) => o.file === undefined)];
  for (const o of ordered) {
    const shown = settings.minSeverity !== undefined ? systems.map((s) => ({ ...s, report: showAtLeast(s.report, settings.minSeverity!.value) })) : systems;
    emit(await formatSystems(o.format, shown, formatOptions(settings, env, o.file !== undefined, files)), o.file, { what: 'report', inputs: files });
    if (o.file !== undefined && !quiet) {
      const findings = systems.reduce((n, s) => n + s.report.summary.findings, 0);
      const blocking = systems.reduce((n, s) => n + s.report.summary.blocking, 0);
      process.stderr.write(
        `phi-audit: ${systems.length} systems, ${findings} findings (${blocking} at or above --fail-on ${settings.failOn.value}) written to ${escapeTerminal(o.file)}\n`,
      );
    }
  }
  return systems.some((s) => exitForReport(s.report) === EXIT.findings) ? EXIT.findings : EXIT.clean;
}

export async function scanCommand(paths: string[], flags: ScanFlags): Promise<ExitCode> {
  boundHeapGrowth();
  const env = readEnv();
  const mib = () => (process.memoryUsage().rss / 2 ** 20).toFixed(0);
  const onStage = env.timing ? (stage: string, ms: number) => process.stderr.write(`timing: ${stage} ${ms.toFixed(0)} ms, rss ${mib()} MiB\n`) : undefined;
  const { settings, outputs, problems } = resolveScanSettings(paths, flags);
  problems.push(...env.problems.map(([name, message]) => noPosition(name, message)));
  if (problems.length > 0 || settings === undefined) return failWith(problems, outputs);
  if (flags.showConfig) {
    process.stdout.write(describeSettings(settings));
    return EXIT.clean;
  }
  // Live checks (--aws, --evidence): their module, and the AWS SDK, load only when asked for.
  const live =
    flags.aws || flags.evidence !== undefined || flags.saveEvidence !== undefined || flags.profile !== undefined || flags.region !== undefined
      ? await (await import('./live.js')).liveEnrichers(flags)
      : undefined;

  const result = await auditSystems({
    paths,
    onNotice: noticeOnStderr,
    limits: env.limits,
    failOn: settings.failOn.value,
    rules: settings.rules.value,
    ...(settings.asOf !== undefined ? { asOf: settings.asOf.value } : {}),
    ...(settings.baseline !== undefined ? { baseline: settings.baseline.value } : {}),
    ...(onStage ? { onStage } : {}),
    ...(live ? { enrichers: live.enrichers } : {}),
  });
  if (!result.ok) return failWith(result.diagnostics, outputs);
  // Several systems (map/systems.ts): every report in each output, and the worst exit code.
  if (result.systems.length > 1) return writeSeveral(result.systems, settings, outputs, env, live !== undefined);
  const full = result.systems[0]!.report;
  live?.finish(full);
  const started = performance.now();
  const shown: Report = settings.minSeverity !== undefined ? showAtLeast(full, settings.minSeverity.value) : full;
  const quiet = settings.quiet.value;
  // Files first, standard output last, so a terminal's last lines are the report's summary.
  const ordered = [...outputs.filter((o) => o.file !== undefined), ...outputs.filter((o) => o.file === undefined)];
  for (const o of ordered) {
    // Formatting is lazy: pieces are made as they are written. Never over an input of this run (see output.ts).
    const format = await loadFormatter(o.format);
    // The gap reports carry the SHA-256 of every input, so a report can stand as evidence of what was checked.
    const gap = o.format === 'html' || o.format === 'markdown';
    const options = { ...formatOptions(settings, env, o.file !== undefined, full.files), ...(gap ? { inputs: digestInputs(full.files) } : {}) };
    emit(format(shown, options), o.file, { what: 'report', inputs: full.files });
    if (o.file !== undefined && !quiet) {
      const s = full.summary;
      process.stderr.write(`phi-audit: ${s.findings} findings (${s.blocking} at or above --fail-on ${s.fail_on}) written to ${escapeTerminal(o.file)}\n`);
    }
  }
  // In a GitHub Actions job, `--format github` also writes the job summary (appended, as each step's is).
  if (env.githubStepSummary !== undefined && outputs.some((o) => o.format === 'github')) {
    const { githubSummary } = await import('../format/github.js');
    appendSummary(env.githubStepSummary, githubSummary(shown, formatOptions(settings, env, true, full.files)));
  }
  if (settings.writeBaseline !== undefined) {
    const file = settings.writeBaseline.value;
    emit(formatBaseline(full, new Date().toISOString()), file, { what: 'report', inputs: full.files });
    if (!quiet) process.stderr.write(`phi-audit: baseline of ${new Set(full.findings.map((f) => f.id)).size} findings written to ${escapeTerminal(file)}\n`);
  }
  onStage?.('format and write', performance.now() - started);
  return exitForReport(full);
}
