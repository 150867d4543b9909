/**
 * Baselines: today's findings recorded by id, so CI on an existing system fails only on new ones.
 *
 * A finding's id (RULE@TARGET) is the whole key: no line number, message or severity goes into it, so moving lines,
 * adding nodes or rewording a rule neither resurrects a recorded finding nor hides a new one. The file is small JSON
 * (`format_version`, the tool, when it was made, and one entry per id with its rule, target and severity, sorted by
 * id, so it diffs well under version control). Read with positions (JSON is YAML to source/yaml.ts), so a damaged
 * file is an input error at its line and column.
 */
import path from 'node:path';
import { z } from 'zod';
import type { Finding } from '../evaluate/finding.js';
import type { BaselineReport, Report } from '../report/model.js';
import { SEVERITIES } from '../rules/schema.js';
import { atStart, type Diagnostic, noPosition } from '../source/diagnostics.js';
import { readRegularFile } from '../source/files.js';
import { issuesToDiagnostics } from '../source/issues.js';
import { parseYaml } from '../source/yaml.js';

export const BASELINE_FORMAT_VERSION = '1';

const BaselineFile = z.strictObject({
  format_version: z.literal(BASELINE_FORMAT_VERSION, { message: `expected format_version "${BASELINE_FORMAT_VERSION}"` }),
  tool: z.strictObject({ name: z.string(), version: z.string() }),
  created: z.string(),
  findings: z.array(
    z.strictObject({
      id: z.string().regex(/^[^@\s]+@[^@\s]+$/, { message: 'expected a finding id, RULE@TARGET' }),
      rule: z.string(),
      target: z.string(),
      severity: z.enum(SEVERITIES),
    }),
  ),
});

export interface Baseline {
  /** As the user named it. */
  readonly file: string;
  readonly ids: ReadonlySet<string>;
}

export type BaselineRead = { ok: true; baseline: Baseline } | { ok: false; diagnostics: Diagnostic[] };

const REMAKE = 'write a new one with --write-baseline FILE';

/** Read and check a baseline file; every problem is a diagnostic with its position. */
export function readBaseline(file: string, cwd: string = process.cwd()): BaselineRead {
  const read = readRegularFile(path.resolve(cwd, file), 'baseline file');
  if (!read.ok) return { ok: false, diagnostics: [noPosition(file, `--baseline: ${read.message} (${REMAKE})`)] };
  if (read.text.trim() === '') return { ok: false, diagnostics: [atStart(file, `--baseline: the file is empty (${REMAKE})`)] };
  // A good file is read as JSON (a baseline of 60,000 findings is 7 MB); only a bad one is read again for positions.
  let value: unknown;
  try {
    value = JSON.parse(read.text);
  } catch {
    value = undefined;
  }
  if (value !== undefined) {
    const checked = BaselineFile.safeParse(value);
    if (checked.success) return { ok: true, baseline: { file, ids: new Set(checked.data.findings.map((f) => f.id)) } };
  }
  const parsed = parseYaml(file, read.text, 'a baseline file');
  if (!parsed.ok) return { ok: false, diagnostics: parsed.diagnostics.map((d) => ({ ...d, message: `${d.message} (a baseline file is JSON; ${REMAKE})` })) };
  const checked = BaselineFile.safeParse(parsed.value);
  if (!checked.success) return { ok: false, diagnostics: issuesToDiagnostics(parsed.source, BaselineFile, parsed.value, checked.error.issues) };
  return { ok: true, baseline: { file, ids: new Set(checked.data.findings.map((f) => f.id)) } };
}

/** Mark each finding new or existing; the ids the baseline has and no finding of this run has are fixed. */
export function applyBaseline(baseline: Baseline, findings: readonly Finding[]): BaselineReport {
  const seen = new Set<string>();
  let fresh = 0;
  let existing = 0;
  for (const f of findings) {
    seen.add(f.id);
    if (baseline.ids.has(f.id)) {
      f.baseline = 'existing';
      if (f.folded_under === undefined) existing++;
    } else {
      f.baseline = 'new';
      if (f.folded_under === undefined) fresh++;
    }
  }
  const fixed = [...baseline.ids].filter((id) => !seen.has(id)).sort();
  return { file: baseline.file, new: fresh, existing, fixed };
}

/** The baseline file for a report: every finding (folded ones too, so fixing a root cause brings none back as new). */
export function* formatBaseline(report: Report, created: string): Iterable<string> {
  const byId = new Map<string, { id: string; rule: string; target: string; severity: string }>();
  for (const f of report.findings) if (!byId.has(f.id)) byId.set(f.id, { id: f.id, rule: f.rule, target: f.target, severity: f.severity });
  const ids = [...byId.keys()].sort();
  const head = JSON.stringify({ format_version: BASELINE_FORMAT_VERSION, tool: report.tool, created, findings: [] }, null, 2);
  if (ids.length === 0) {
    yield `${head}\n`;
    return;
  }
  yield `${head.slice(0, head.length - '[]\n}'.length)}[\n`;
  // One entry a line, written in batches: a 300,000-finding baseline never becomes one string.
  let batch = '';
  for (let i = 0; i < ids.length; i++) {
    batch += `    ${JSON.stringify(byId.get(ids[i]!))}${i + 1 < ids.length ? ',' : ''}\n`;
    if (batch.length > 1 << 16) {
      yield batch;
      batch = '';
    }
  }
  yield `${batch}  ]\n}\n`;
}
