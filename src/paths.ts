/** Where the package's own files live, whether run from dist/ or installed under node_modules. */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const PACKAGE_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const BUILTIN_RULES_DIR = path.join(PACKAGE_ROOT, 'rules');
export const CATALOG_DIR = path.join(BUILTIN_RULES_DIR, 'catalog');
