/**
 * The built-in rule pack, precompiled. `npm run build` validates rules/*.yaml and rules/catalog/*.yaml and writes them
 * as one JSON file, so a scan starts without parsing 30 YAML files. The pack is used only while it is newer than
 * every file it was made from; edit a rule and the YAML is read again until the next build.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { type Catalog, type CatalogData, catalogFrom, loadCatalog } from '../enrich/catalog.js';
import { builtinRulesDir, catalogDir, packageRoot } from '../package.js';
import type { LoadedRule } from './schema.js';

export const packFile = (): string => path.join(packageRoot(), 'dist', 'rulepack.json');

export interface RulePack {
  rules: LoadedRule[];
  catalog: CatalogData;
}

function newestSource(): number {
  let newest = 0;
  for (const dir of [builtinRulesDir(), catalogDir()]) {
    newest = Math.max(newest, statSync(dir).mtimeMs);
    for (const f of readdirSync(dir)) {
      if (f.endsWith('.yaml') || f.endsWith('.yml')) newest = Math.max(newest, statSync(path.join(dir, f)).mtimeMs);
    }
  }
  return newest;
}

let cached: RulePack | null | undefined;

/** The pack, or undefined when it is missing or older than the YAML it was made from. */
export function readPack(): RulePack | undefined {
  if (cached !== undefined) return cached ?? undefined;
  cached = null;
  try {
    if (statSync(packFile()).mtimeMs >= newestSource()) cached = JSON.parse(readFileSync(packFile(), 'utf8')) as RulePack;
  } catch {
    // No pack (a source checkout before its first build): the YAML is read instead.
  }
  return cached ?? undefined;
}

/** The bundled catalogs: from the pack when it is current, else read from their YAML. */
export function bundledCatalog(): Catalog {
  const pack = readPack();
  return pack ? catalogFrom(pack.catalog) : loadCatalog(catalogDir());
}
