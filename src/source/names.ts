/** How inputs name things: files as the user should see them, and ids (nodes, rules, catalog entries). */
import path from 'node:path';

/** Ids in maps, rules and catalogs: lowercase letters, digits, '.', '_' or '-', starting with a letter or digit. */
export const ID_PATTERN = /^[a-z0-9][a-z0-9._-]*$/;

/** How a file is named in messages: relative to the working folder when inside it. */
export function displayPath(abs: string, cwd: string): string {
  const rel = path.relative(cwd, abs);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel.split(path.sep).join('/') : abs;
}
