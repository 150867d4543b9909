/**
 * `phi-audit report`: the gap report for a compliance lead and an auditor, as one self-contained HTML file or as
 * Markdown. Flags → audit() → the input files' SHA-256 → format → write.
 */
import { createHash } from 'node:crypto';
import { closeSync, constants, fstatSync, openSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { audit } from '../audit.js';
import { loadFormatter, loadProblemFormatter } from '../format/registry.js';
import { TOOL_NAME, toolVersion } from '../package.js';
import type { InputDigest, Report } from '../report/model.js';
import type { Severity } from '../rules/schema.js';
import { type Diagnostic, noPosition } from '../source/diagnostics.js';
import { escapeTerminal } from '../source/escape.js';
import { errnoText } from '../source/files.js';
import { readEnv } from './env.js';
import { type ExitCode, exitForReport } from './exit.js';
import { emit } from './output.js';
import { OutputError, reportProblems } from './run.js';

export const REPORT_FORMATS = ['html', 'markdown'] as const;

export interface AuditFlags {
  failOn: Severity | 'none';
  asOf?: string;
  rules: string[];
  /** A baseline file: the report says what is new since it, and only new findings block. */
  baseline?: string;
}

export interface ReportFlags extends AuditFlags {
  format: (typeof REPORT_FORMATS)[number];
  output?: string;
}

/** Runs the audit a command reports on: the report, or the exit code of its input problems (already printed). */
export async function auditForCommand(
  paths: string[],
  flags: AuditFlags,
  onProblems?: (d: readonly Diagnostic[]) => Promise<void>,
): Promise<Report | ExitCode> {
  const env = readEnv();
  const stop = async (diagnostics: readonly Diagnostic[]) => {
    await onProblems?.(diagnostics);
    return reportProblems(diagnostics);
  };
  if (env.problems.length > 0) return stop(env.problems.map(([name, message]) => noPosition(name, message)));
  const result = await audit({
    paths,
    limits: env.limits,
    failOn: flags.failOn,
    rules: flags.rules,
    ...(flags.asOf !== undefined ? { asOf: flags.asOf } : {}),
    ...(flags.baseline !== undefined ? { baseline: flags.baseline } : {}),
  });
  if (!result.ok) return stop(result.diagnostics);
  return result.report;
}

/**
 * The SHA-256 of each input file's bytes, read again as regular files once the audit has read them (a file that
 * changed in between gives the digest of what is there now). A file that can no longer be read is exit 2.
 */
export function digestInputs(files: readonly string[], cwd = process.cwd()): InputDigest[] {
  return files.map((file) => {
    let fd: number | undefined;
    try {
      fd = openSync(path.resolve(cwd, file), constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
      if (!fstatSync(fd).isFile()) throw new Error('it is no longer a regular file');
      const bytes = readFileSync(fd);
      return { file, bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
    } catch (err) {
      throw new OutputError(noPosition(file, `cannot read the file again to compute its SHA-256 for the report: ${errnoText(err)}`));
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
  });
}

export async function reportCommand(paths: string[], flags: ReportFlags): Promise<ExitCode> {
  // Stopped by input problems (exit 2), a report file asked for still gets written, saying so: a CI upload has a file.
  const writeProblems = async (diagnostics: readonly Diagnostic[]) => {
    if (flags.output === undefined) return;
    const write = await loadProblemFormatter(flags.format);
    if (write) emit(write({ tool: { name: TOOL_NAME, version: toolVersion() }, diagnostics }, { color: false }), flags.output, { what: 'report' });
  };
  const report = await auditForCommand(paths, flags, writeProblems);
  if (typeof report === 'number') return report;
  const inputs = digestInputs(report.files);
  const format = await loadFormatter(flags.format);
  const generated = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
  emit(format(report, { color: false, inputs, generated }), flags.output, { what: 'report', inputs: report.files });
  if (flags.output !== undefined) {
    const s = report.summary;
    process.stderr.write(
      `phi-audit: gap report (${flags.format}) with ${s.findings} findings (${s.blocking} at or above --fail-on ${s.fail_on}) written to ${escapeTerminal(flags.output)}\n`,
    );
  }
  return exitForReport(report);
}
