/**
 * phi-audit's own files (rules, catalogs, package.json), whether run from dist/ (modules or the bundled CLI) or from
 * under node_modules. Nothing is read until asked: importing this module does no I/O.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const TOOL_NAME = 'phi-audit';

let root: string | undefined;
let version: string | undefined;

/** The nearest folder above this file whose package.json is phi-audit's. */
export function packageRoot(): string {
  if (root !== undefined) return root;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === TOOL_NAME) return (root = dir);
    const up = path.dirname(dir);
    if (up === dir) throw new Error('phi-audit: cannot find its own package.json');
    dir = up;
  }
}

export function toolVersion(): string {
  return (version ??= (JSON.parse(readFileSync(path.join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version);
}

export const builtinRulesDir = (): string => path.join(packageRoot(), 'rules');
export const catalogDir = (): string => path.join(builtinRulesDir(), 'catalog');
