/** Build step: validate the built-in rules and catalogs and write dist/rulepack.json (see rules/pack.ts). */
import { writeFileSync } from 'node:fs';
import { readCatalogFiles } from '../catalog/catalog.js';
import { formatDiagnostic, InputError } from '../load/diagnostics.js';
import { CATALOG_DIR } from '../paths.js';
import { normalizeCheck } from '../rules/functions.js';
import { loadRules } from '../rules/load.js';
import { PACK_FILE, type RulePack } from '../rules/pack.js';

try {
  const rules = loadRules([], { usePack: false }).map((r) => ({
    ...r,
    check: normalizeCheck(r.check),
    applies_to: { ...r.applies_to, ...(r.applies_to.when ? { when: normalizeCheck(r.applies_to.when) } : {}) },
    ...(r.escalate ? { escalate: r.escalate.map((e) => ({ ...e, when: normalizeCheck(e.when) })) } : {}),
  }));
  const pack: RulePack = { rules, catalog: readCatalogFiles(CATALOG_DIR) };
  writeFileSync(PACK_FILE, JSON.stringify(pack));
} catch (err) {
  if (!(err instanceof InputError)) throw err;
  process.stderr.write(`${err.diagnostics.map(formatDiagnostic).join('\n')}\nthe built-in rule pack has errors; fix them and build again\n`);
  process.exitCode = 2;
}
