/**
 * Output for a run over several systems (docs/map-format.md, "Several systems in one repository"): each system's
 * report written by the usual formatter, one after the other. Text and Markdown get a heading a system; JSON is one
 * document, `{ format_version, tool, as_of, summary, systems: [{ name, root, report }] }`, each `report` exactly the
 * single-system document; SARIF is one log with a run a system.
 */
import type { SystemReport } from '../audit.js';
import { type Format, loadFormatter } from '../format/registry.js';
import type { FormatOptions, Formatter, Report } from '../report/model.js';
import { escapeMarkdown, escapeTerminal } from '../source/escape.js';

/** Summary fields that describe the run, not a system's content: the same for every system. */
const PER_RUN = new Set(['rules', 'fail_on']);

/** Counts added up, nested counts (by severity, by status) too; anything else as the first system has it. */
function addUp(into: Record<string, unknown>, from: object, top: boolean): void {
  for (const [key, value] of Object.entries(from)) {
    const had = Object.hasOwn(into, key) ? into[key] : undefined;
    if (top && PER_RUN.has(key)) {
      if (had === undefined) into[key] = value;
    } else if (typeof value === 'number') into[key] = (typeof had === 'number' ? had : 0) + value;
    else if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      const nested = had !== null && typeof had === 'object' ? (had as Record<string, unknown>) : {};
      addUp(nested, value, false);
      into[key] = nested;
    } else if (had === undefined) into[key] = value;
  }
}

/** The summary of all systems, with how many there are. */
function combinedSummary(reports: readonly Report[]): Record<string, unknown> {
  const out: Record<string, unknown> = { systems: reports.length };
  for (const r of reports) addUp(out, r.summary, true);
  return out;
}

function* jsonDocument(format: Formatter, systems: readonly SystemReport[], options: FormatOptions): Generator<string> {
  const first = systems[0]!.report;
  const head = JSON.stringify({ format_version: '1.1', tool: first.tool, as_of: first.as_of, summary: combinedSummary(systems.map((s) => s.report)) }, null, 2);
  yield `${head.slice(0, -2)},\n  "systems": [\n`;
  for (const [i, s] of systems.entries()) {
    yield `{"name":${JSON.stringify(s.name)},"root":${JSON.stringify(s.root)},"report":\n`;
    yield* format(s.report, options);
    yield `}${i + 1 < systems.length ? ',' : ''}\n`;
  }
  yield '  ]\n}\n';
}

function* sarifLog(format: Formatter, systems: readonly SystemReport[], options: FormatOptions): Generator<string> {
  let log: { runs: unknown[] } | undefined;
  for (const s of systems) {
    const one = JSON.parse([...format(s.report, options)].join('')) as { runs: unknown[] };
    if (log) log.runs.push(...one.runs);
    else log = one;
  }
  yield `${JSON.stringify(log, null, 2)}\n`;
}

function* sections(format: Format, formatter: Formatter, systems: readonly SystemReport[], options: FormatOptions): Generator<string> {
  for (const [i, s] of systems.entries()) {
    const title = `system ${s.name} (${s.root}), ${i + 1} of ${systems.length}`;
    yield format === 'markdown' ? `${i > 0 ? '\n' : ''}# ${escapeMarkdown(title)}\n\n` : `${i > 0 ? '\n' : ''}=== ${escapeTerminal(title)} ===\n`;
    yield* formatter(s.report, options);
  }
}

/** Every system's report in one output, in the chosen format. */
export async function formatSystems(format: Format, systems: readonly SystemReport[], options: FormatOptions): Promise<Iterable<string>> {
  const formatter = await loadFormatter(format);
  if (format === 'json') return jsonDocument(formatter, systems, options);
  if (format === 'sarif') return sarifLog(formatter, systems, options);
  return sections(format, formatter, systems, options);
}

/** A line on stderr for what the run chose by itself (the root found above the working folder). */
export function noticeOnStderr(message: string): void {
  process.stderr.write(`phi-audit: ${escapeTerminal(message)}\n`);
}
