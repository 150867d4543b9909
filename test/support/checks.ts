/**
 * Running one check function on one target of a small map, the way the evaluator does: options go through the
 * function's zod schema (`ctx.check`, which also fails closed on facts no source could read), facts come from the map's fact store (after any live observations), and every
 * fact the check reads is recorded, so a test can say what a check looked at as well as what it concluded.
 */
import type { CheckResult, CheckSpec, Target } from '../../src/checks/types.js';
import { type Catalog, type CatalogData, catalogFrom } from '../../src/enrich/catalog.js';
import { createFactStore, type Fact, type Observation } from '../../src/enrich/facts.js';
import { checkContext } from '../../src/evaluate/evaluate.js';
import { propagate } from '../../src/graph/propagate.js';
import type { PhiMap } from '../../src/map/model.js';
import { bundledCatalog } from '../../src/rules/pack.js';
import { mapOf } from './audit.js';

/** The date BAA terms are judged on unless a test gives its own. */
export const AS_OF = '2026-06-01';

export interface RunOptions {
  /** YYYY-MM-DD; default AS_OF. */
  asOf?: string;
  /** Default: the bundled catalogs (dist/rulepack.json when built, else rules/catalog/*.yaml). */
  catalog?: Catalog;
  /** What a live source saw, fed to the fact store before the check runs: verified, contradicted or unavailable. */
  observations?: readonly Observation[];
}

export interface CheckRun {
  result: CheckResult;
  /** Every fact read, in order, repeats included. */
  reads: Fact[];
  /** The facts read, each once (by subject, field and provenance), as a finding's evidence lists them. */
  evidence: Fact[];
  target: Target;
}

let bundled: Catalog | undefined;
const defaultCatalog = (): Catalog => (bundled ??= bundledCatalog());

/** Run `spec` (a rule file's `check:`, options not yet validated) on the node or flow `targetId` of the map. */
export function runOn(map: string | PhiMap, targetId: string, spec: CheckSpec, options: RunOptions = {}): CheckRun {
  const phiMap = typeof map === 'string' ? mapOf(map) : map;
  const facts = createFactStore(phiMap);
  for (const o of options.observations ?? []) facts.observe(o);
  const reads: Fact[] = [];
  const { ctx, nodes, flows } = checkContext(
    { map: phiMap, phi: propagate(phiMap), facts, catalog: options.catalog ?? defaultCatalog(), asOf: options.asOf ?? AS_OF },
    (fact) => {
      reads.push(fact);
    },
  );
  const target: Target | undefined = nodes.get(targetId) ?? flows.find((f) => f.id === targetId);
  if (!target)
    throw new Error(`no node or flow "${targetId}" in the map (nodes: ${[...nodes.keys()].join(', ')}; flows: ${flows.map((f) => f.id).join(', ')})`);
  const result = ctx.check(spec, target);
  return { result, reads, evidence: dedupe(reads), target };
}

function dedupe(list: readonly Fact[]): Fact[] {
  const seen = new Set<string>();
  return list.filter((f) => {
    const key = `${f.subject}\u0000${f.field}\u0000${f.provenance}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** A catalog made for a test, so a row does not depend on what the bundled catalog says this month. */
export function catalogOf(data: { cloud?: Partial<CatalogData['cloud']>; vendors?: Partial<CatalogData['vendors']> }): Catalog {
  return catalogFrom({
    cloud: { providers: {}, ...data.cloud },
    vendors: { vendors: {}, ...data.vendors },
  });
}
