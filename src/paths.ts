/** Where the package's own files live, whether run from dist/ (modules or the bundled CLI) or under node_modules. */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The nearest folder above this file whose package.json is phi-audit's. */
function packageRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'phi-audit') return dir;
    const up = path.dirname(dir);
    if (up === dir) throw new Error('phi-audit: cannot find its own package.json');
    dir = up;
  }
}

export const PACKAGE_ROOT = packageRoot();
export const BUILTIN_RULES_DIR = path.join(PACKAGE_ROOT, 'rules');
export const CATALOG_DIR = path.join(BUILTIN_RULES_DIR, 'catalog');
