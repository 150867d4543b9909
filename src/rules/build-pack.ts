/** Build step's half in src/: the rule pack `npm run build` writes (scripts/rulepack.mjs), validated and normalized. */
import { normalizeCheck } from '../checks/index.js';
import { readCatalogFiles } from '../enrich/catalog.js';
import { catalogDir } from '../package.js';
import { loadRules } from './load.js';
import type { RulePack } from './pack.js';

/** The pack `npm run build` writes: every built-in rule validated, with its checks' options defaulted, and the catalogs. */
export function buildPack(): RulePack {
  const rules = loadRules([], { usePack: false }).map((r) => ({
    ...r,
    check: normalizeCheck(r.check),
    applies_to: { ...r.applies_to, ...(r.applies_to.when ? { when: normalizeCheck(r.applies_to.when) } : {}) },
    ...(r.escalate ? { escalate: r.escalate.map((e) => ({ ...e, when: normalizeCheck(e.when) })) } : {}),
  }));
  return { rules, catalog: readCatalogFiles(catalogDir()) };
}
