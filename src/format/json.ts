import type { FindingAcceptance, Formatter, ProblemFormatter, ReportFinding } from '../report/model.js';

const str = JSON.stringify;

/** The version of the JSON findings contract this writes (docs/map-format.md, "JSON findings"). */
const JSON_FORMAT_VERSION = '1.1';

/** Text JSON writes as is: no quote, backslash or control character. Ids and rule names always are. */
const PLAIN = /^[\w.@:/ -]*$/;
const quote = (s: string): string => (PLAIN.test(s) ? `"${s}"` : str(s));

/**
 * A finding as the JSON contract writes it (docs/map-format.md, "JSON findings"; the PHI path's key is `path`),
 * written by hand in the order JSON.stringify would give: a 300,000-finding report spends most of its time here.
 * What findings share is serialized once: a rule's id, title and citations, each file's name, each list of
 * classes (the engine hands the same array to every finding on one target), and the path of consecutive findings on
 * one target.
 */
function writer(): (f: ReportFinding) => string {
  const perRule = new Map<string, string>();
  const perFile = new Map<string, string>();
  const lists = new WeakMap<readonly string[], string>();
  const list = (l: readonly string[]): string => {
    let s = lists.get(l);
    if (s === undefined) lists.set(l, (s = str(l)));
    return s;
  };
  // Every finding one entry accepts shares its acceptance: written once.
  const acceptances = new WeakMap<FindingAcceptance, string>();
  const acceptance = (a: FindingAcceptance): string => {
    let text = acceptances.get(a);
    if (text === undefined) {
      const { pattern, location: _, ...fields } = a;
      acceptances.set(a, (text = str({ entry: pattern, ...fields })));
    }
    return text;
  };
  // A PHI path is made when read: consecutive findings on one target get the same array, written once.
  let lastPath: readonly string[] | undefined;
  let lastPathText = '';
  const path = (l: readonly string[]): string => {
    if (l !== lastPath) {
      lastPath = l;
      lastPathText = str(l);
    }
    return lastPathText;
  };
  return (f) => {
    let rule = perRule.get(f.rule);
    if (rule === undefined) perRule.set(f.rule, (rule = `"rule":${str(f.rule)},"title":${str(f.title)}`));
    let file = perFile.get(f.location.file);
    if (file === undefined) perFile.set(f.location.file, (file = `{"file":${str(f.location.file)},"line":`));
    return (
      `{"id":${quote(f.id)},${rule},"severity":"${f.severity}","status":"${f.status}","cite":${list(f.cite)},` +
      `"target":${quote(f.target)},"target_type":"${f.target_type}","message":${str(f.message)},"path":${path(f.phiPath)},` +
      `"location":${file}${f.location.line},"column":${f.location.column}},"phi":${list(f.phi)}` +
      `${f.records !== undefined ? `,"records":${f.records}` : ''},"evidence":${str(f.evidence)}` +
      `${f.folded_under !== undefined ? `,"folded_under":${quote(f.folded_under)}` : ''}` +
      `${f.accepted !== undefined ? `,"accepted":${acceptance(f.accepted)}` : ''}${f.baseline !== undefined ? `,"baseline":"${f.baseline}"` : ''}}`
    );
  };
}

/**
 * The JSON findings contract. The report is pretty-printed, with one finding per line (easy to grep and diff, and
 * quick to write for 300,000 findings). Each rule's remediation is given once, under `rules`, rather than repeated in
 * every finding. Findings are written in batches, never as one huge string.
 */
export const formatJson: Formatter = function* (report) {
  const fired = new Set(report.findings.map((f) => f.rule));
  const rules = Object.fromEntries(
    report.rules
      .filter((r) => fired.has(r.id))
      .map((r) => [r.id, { title: r.title, severity: r.severity, cite: r.cite.map((c) => c.text), remediation: r.remediation }]),
  );
  const head = {
    format_version: JSON_FORMAT_VERSION,
    tool: report.tool,
    as_of: report.as_of,
    system: report.system,
    files: report.files,
    summary: report.summary,
    assertions: report.assertions,
    ...(report.live ? { live: report.live } : {}),
    // PHI-MAP 1.1 section 6: every acceptance with its state; with --baseline, its counts and the fixed ids.
    accepted: report.accepted.map((a) => ({ ...a, location: { file: a.location.file, line: a.location.line, column: a.location.column } })),
    ...(report.baseline !== undefined
      ? { baseline: { file: report.baseline.file, new: report.baseline.new, existing: report.baseline.existing }, fixed: report.baseline.fixed }
      : {}),
  };
  const header = JSON.stringify({ ...head, rules, findings: [] }, null, 2);
  const findings = report.findings;
  if (findings.length === 0) {
    yield `${header}\n`;
    return;
  }
  // The header ends with `"findings": []\n}`: open the list there and write one finding a line.
  yield `${header.slice(0, header.length - '[]\n}'.length)}[\n`;
  const write = writer();
  let batch = '';
  for (let i = 0; i < findings.length; i++) {
    batch += `    ${write(findings[i]!)}${i + 1 < findings.length ? ',' : ''}\n`;
    if (batch.length > 1 << 16) {
      yield batch;
      batch = '';
    }
  }
  yield `${batch}  ]\n}\n`;
};

/**
 * A run stopped by input problems (exit 2): the same contract's head, with `diagnostics` and a summary that says
 * nothing was checked, so a CI step that uploads the file has one.
 */
export const formatJsonProblems: ProblemFormatter = function* (problems) {
  const n = problems.diagnostics.length;
  const body = {
    format_version: JSON_FORMAT_VERSION,
    tool: problems.tool,
    summary: { checked: false, problems: n, message: `${n} problem${n === 1 ? '' : 's'} to fix; nothing was checked.` },
    diagnostics: problems.diagnostics.map((d) => ({ file: d.file, line: d.line, column: d.column, message: d.message })),
  };
  yield `${JSON.stringify(body, null, 2)}\n`;
};
