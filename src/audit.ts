/**
 * The one pipeline: load → propagate → enrich → evaluate → triage → report. The CLI and the library both call
 * `audit()`; every input problem of every kind (flags, map files, rule files) is collected and returned at once.
 */
import path from 'node:path';
import type { Catalog } from './enrich/catalog.js';
import type { Enricher, LiveSummary } from './enrich/enricher.js';
import { createFactStore } from './enrich/facts.js';
import { evaluate } from './evaluate/evaluate.js';
import { propagate } from './graph/propagate.js';
import { discoverMapFiles } from './map/discover.js';
import { loadMap } from './map/load.js';
import type { PhiMap } from './map/model.js';
import { isCalendarDate } from './map/schema.js';
import { collapseUnknownIds, folderName, isRootHere, runRoot, type SystemFiles, splitSystems } from './map/systems.js';
import { TOOL_NAME, toolVersion } from './package.js';
import { buildReport } from './report/build.js';
import type { Report } from './report/model.js';
import { loadRules } from './rules/load.js';
import { bundledCatalog } from './rules/pack.js';
import type { LoadedRule, Severity } from './rules/schema.js';
import { type Diagnostic, InputError, noPosition } from './source/diagnostics.js';
import type { InputLimits } from './source/limits.js';
import { applyAcceptances, checkAcceptances } from './triage/accept.js';
import { applyBaseline, type Baseline, readBaseline } from './triage/baseline.js';
import { triage } from './triage/triage.js';

export type Stage = 'load map' | 'load rules' | 'propagate' | 'enrich' | 'evaluate' | 'triage' | 'report';

export interface AuditOptions {
  /** Map files, folders or globs; none = the working folder. */
  paths?: readonly string[];
  cwd?: string;
  /** YYYY-MM-DD: "today" for BAA terms. Default: today (UTC). */
  asOf?: string;
  /** Lowest severity that blocks (default high). */
  failOn?: Severity | 'none';
  /** Folders of a team's own rules, beside the built-in ones. */
  rules?: readonly string[];
  /** Rules already loaded: used instead of loading the built-in and `rules` folders. */
  loadedRules?: readonly LoadedRule[];
  /** The catalogs to judge hosting and vendors by. Default: the bundled ones. */
  catalog?: Catalog;
  /** Evidence sources beyond the map, run after propagation. */
  enrichers?: readonly Enricher[];
  /** False: load and propagate only, as `phi-audit validate` does (no rules, no findings). */
  evaluate?: boolean;
  /** Input size limits (default DEFAULT_LIMITS; the CLI reads them from PHI_AUDIT_MAX_* variables). */
  limits?: InputLimits;
  /** A baseline file (`--baseline`): findings it records are marked existing and only new ones block. */
  baseline?: string;
  /** A baseline already read: used instead of reading `baseline`. */
  loadedBaseline?: Baseline;
  /** Called as each stage ends, with its duration (PHI_AUDIT_TIMING). */
  onStage?: (stage: Stage, ms: number) => void;
}

export type AuditResult = { ok: true; report: Report } | { ok: false; diagnostics: Diagnostic[] };

export function today(): string {
  return new Date().toISOString().slice(0, 10);
}

function asOfProblems(asOf: string): Diagnostic[] {
  return isCalendarDate(asOf) ? [] : [noPosition('--as-of', `"${asOf}" is not a date: write YYYY-MM-DD, e.g. ${today()}`)];
}

/** Runs `step`, adding its InputError's diagnostics to `problems` (anything else is our bug, and propagates). */
function collect<T>(problems: Diagnostic[], step: () => T): T | undefined {
  try {
    return step();
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    problems.push(...err.diagnostics);
    return undefined;
  }
}

function timer(onStage: AuditOptions['onStage']): (stage: Stage) => void {
  let since = performance.now();
  return (stage) => {
    const now = performance.now();
    onStage?.(stage, now - since);
    since = now;
  };
}

/** Load the map at `paths` and audit it. */
export async function audit(options: AuditOptions = {}): Promise<AuditResult> {
  const problems: Diagnostic[] = [];
  const lap = timer(options.onStage);
  if (options.asOf !== undefined) problems.push(...asOfProblems(options.asOf));
  const cwd = options.cwd !== undefined ? { cwd: options.cwd } : {};
  const map = collect(problems, () => loadMap(options.paths ?? [], { ...cwd, ...(options.limits ? { limits: options.limits } : {}) }));
  lap('load map');
  const evaluating = options.evaluate !== false;
  const rules = evaluating ? (options.loadedRules ?? collect(problems, () => loadRules(options.rules ?? [], cwd))) : [];
  if (evaluating && !options.loadedRules) lap('load rules');
  let baseline = options.loadedBaseline;
  if (baseline === undefined && options.baseline !== undefined && evaluating) {
    const read = readBaseline(options.baseline, options.cwd);
    if (read.ok) baseline = read.baseline;
    else problems.push(...read.diagnostics);
  }
  if (problems.length > 0 || !map || !rules) return { ok: false, diagnostics: problems };
  return auditMap(map, { ...options, loadedRules: rules, ...(baseline !== undefined ? { loadedBaseline: baseline } : {}) });
}

/** Audit a map already loaded (the library's entry for maps built in memory). */
export async function auditMap(map: PhiMap, options: Omit<AuditOptions, 'paths' | 'cwd'> = {}): Promise<AuditResult> {
  const lap = timer(options.onStage);
  const asOf = options.asOf ?? today();
  const dateProblems = asOfProblems(asOf);
  if (dateProblems.length > 0) return { ok: false, diagnostics: dateProblems };
  const failOn = options.failOn ?? 'high';
  const evaluating = options.evaluate !== false;
  const rules = evaluating ? (options.loadedRules ?? []) : [];

  const phi = propagate(map);
  lap('propagate');

  const facts = createFactStore(map);
  const problems: Diagnostic[] = [];
  let live: LiveSummary | undefined;
  for (const enricher of evaluating ? (options.enrichers ?? []) : []) {
    const result = await enricher.enrich({ map, phi }, facts);
    problems.push(...(result.diagnostics ?? []));
    live = result.live ?? live;
  }
  if (problems.length > 0) return { ok: false, diagnostics: problems };
  lap('enrich');

  let evaluation: ReturnType<typeof evaluate> = { findings: [], outcomes: new Map() };
  if (evaluating) {
    // The catalogs are evidence the caller hands in; the bundled ones are read here, in plain sight, when not.
    const catalog = options.catalog ?? bundledCatalog();
    evaluation = evaluate({ map, phi, facts, catalog, rules, asOf });
  }
  lap('evaluate');

  const findings = triage({ findings: evaluation.findings, rules });
  // Accepted risks: entries no run may pass are input errors; the rest mark the findings they match.
  const acceptanceProblems = evaluating ? checkAcceptances(map.accepted ?? [], rules) : [];
  if (acceptanceProblems.length > 0) return { ok: false, diagnostics: acceptanceProblems };
  const accepted = evaluating ? applyAcceptances(map.accepted ?? [], findings, asOf) : [];
  const baseline = options.loadedBaseline !== undefined ? applyBaseline(options.loadedBaseline, findings) : undefined;
  lap('triage');

  const report = buildReport({
    tool: { name: TOOL_NAME, version: toolVersion() },
    asOf,
    failOn,
    map,
    phi,
    rules,
    findings,
    outcomes: evaluation.outcomes,
    facts,
    ...(live ? { live } : {}),
    accepted,
    ...(baseline !== undefined ? { baseline } : {}),
  });
  lap('report');
  return { ok: true, report };
}

/** One system's report, and the folder whose phi-map.yaml roots it (docs/map-format.md, "Several systems"). */
export interface SystemReport {
  /** The system's name (`system:`), else its root folder. */
  name: string;
  /** The root folder as the user sees it (`.` for the working folder). */
  root: string;
  report: Report;
}

export type SystemsResult = { ok: true; systems: SystemReport[] } | { ok: false; diagnostics: Diagnostic[] };

/**
 * Audit every system the paths hold, apart (see map/systems.ts): one report a system, in root-folder order. With no
 * paths and no phi-map.yaml in the working folder, the nearest one above it roots the run (`onNotice` says which).
 */
export async function auditSystems(options: AuditOptions & { onNotice?: (message: string) => void } = {}): Promise<SystemsResult> {
  const cwd = options.cwd ?? process.cwd();
  let paths = options.paths ?? [];
  let only: string | undefined;
  if (paths.length === 0) {
    const rootFile = runRoot(cwd);
    if (rootFile) {
      const why = isRootHere(cwd) ? 'this phi-map.yaml is part_of another system' : 'no phi-map.yaml here';
      options.onNotice?.(`${why}: using the map rooted at ${path.relative(cwd, rootFile).split(path.sep).join('/')} (and the files below it)`);
      only = path.dirname(rootFile);
      paths = [only];
    }
  }
  // Every problem at once, in the order audit() gives them: --as-of, the maps, then the rules.
  const problems: Diagnostic[] = options.asOf !== undefined ? asOfProblems(options.asOf) : [];
  const files = collect(problems, () => discoverMapFiles(paths, cwd, { nestedRoots: true }));
  const ruleProblems: Diagnostic[] = [];
  const rules = options.evaluate === false ? [] : (options.loadedRules ?? collect(ruleProblems, () => loadRules(options.rules ?? [], { cwd })));
  if (!files) return { ok: false, diagnostics: [...problems, ...ruleProblems] };
  const scanned = path.resolve(cwd, paths.length === 1 ? paths[0]! : '.');
  const split = splitSystems(files, scanned, cwd);
  if (split.diagnostics.length > 0) return { ok: false, diagnostics: [...problems, ...split.diagnostics, ...ruleProblems] };
  const systems = only !== undefined ? split.systems.filter((s) => s.root === only) : split.systems;
  const reports: SystemReport[] = [];
  for (const system of systems) {
    // Rules that did not load: the maps are still read, so their problems are reported with the rules'.
    const result = await audit({ ...options, cwd, paths: system.files, ...(rules ? { loadedRules: rules } : { evaluate: false }) });
    if (!result.ok) problems.push(...collapseUnknownIds(result.diagnostics, system, cwd));
    else reports.push({ name: result.report.system ?? rootName(system, cwd), root: rootName(system, cwd), report: result.report });
  }
  problems.push(...ruleProblems);
  if (problems.length > 0) return { ok: false, diagnostics: dedupe(problems) };
  return { ok: true, systems: reports };
}

function rootName(system: SystemFiles, cwd: string): string {
  return folderName(system.root, cwd);
}

/** Flag problems (--as-of) are found once per system: said once. */
function dedupe(list: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return list.filter((d) => {
    const key = JSON.stringify([d.file, d.line, d.column, d.message]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
