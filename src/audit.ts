/** The library's main entry: load → propagate → evaluate, returning findings as data. */
import { catalogFrom, loadCatalog, type Catalog } from './enrich/catalog.js';
import { evaluate } from './evaluate/evaluate.js';
import { SEVERITY_RANK, type Finding, type ScanResult, type Summary } from './evaluate/finding.js';
import { propagate } from './graph/propagate.js';
import { loadMap } from './map/load.js';
import type { PhiMap } from './map/model.js';
import { CATALOG_DIR } from './paths.js';
import { loadRules } from './rules/load.js';
import { readPack } from './rules/pack.js';
import { SEVERITIES, type LoadedRule, type Severity } from './rules/schema.js';
import { TOOL_NAME, TOOL_VERSION } from './version.js';

export interface ScanOptions {
  /** YYYY-MM-DD; "today" for BAA expiry. Default: today (UTC). */
  asOf?: string;
  /** Extra rule folders (`--rules`). */
  rules?: readonly string[];
  failOn?: Severity | 'none';
  cwd?: string;
  /** Rules already loaded (skips loading). */
  loadedRules?: readonly LoadedRule[];
}

export function today(): string {
  return new Date().toISOString().slice(0, 10);
}

export function isBlocking(f: Finding, failOn: Severity | 'none'): boolean {
  return failOn !== 'none' && SEVERITY_RANK[f.severity] >= SEVERITY_RANK[failOn];
}

export function scanMap(map: PhiMap, rules: readonly LoadedRule[], options: ScanOptions = {}): ScanResult {
  const asOf = options.asOf ?? today();
  const failOn = options.failOn ?? 'high';
  const phi = propagate(map);
  let catalog: Catalog | undefined;
  const loadBundledCatalog = (): Catalog => {
    const pack = readPack();
    return pack ? catalogFrom(pack.catalog) : loadCatalog(CATALOG_DIR);
  };
  const findings = evaluate(map, phi, rules, { asOf, catalog: () => (catalog ??= loadBundledCatalog()) });

  const by_severity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Summary['by_severity'];
  const by_status = { fail: 0, unknown: 0 };
  let blocking = 0;
  for (const f of findings) {
    by_severity[f.severity]++;
    by_status[f.status]++;
    if (isBlocking(f, failOn)) blocking++;
  }
  return {
    tool: { name: TOOL_NAME, version: TOOL_VERSION },
    as_of: asOf,
    system: map.system,
    files: [...map.files],
    summary: {
      nodes: map.nodes.size,
      flows: map.flows.length,
      phi_holders: phi.phiHolders.length,
      phi_flows: map.flows.filter((f) => phi.carriesPhi(f.id)).length,
      rules: rules.length,
      findings: findings.length,
      by_severity,
      by_status,
      fail_on: failOn,
      blocking,
    },
    findings,
  };
}

/** Load the map at `paths` and the rules, and scan. Throws InputError for anything the user must fix. */
export function scan(paths: readonly string[], options: ScanOptions = {}): ScanResult {
  const map = loadMap(paths, options.cwd !== undefined ? { cwd: options.cwd } : {});
  const rules = options.loadedRules ?? loadRules(options.rules ?? [], options.cwd !== undefined ? { cwd: options.cwd } : {});
  return scanMap(map, rules, options);
}
