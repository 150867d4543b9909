/** What the CI formats need to know about where they run: the repository root, and the project's home page. */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { packageRoot } from '../package.js';

/**
 * The repository a scan's maps are in: the nearest folder at or above the first map file that has a `.git` (a folder,
 * or a file in a worktree or submodule). SARIF and the GitHub annotations name files relative to it, as GitHub does.
 * With no map file, or no repository above it, the working folder.
 */
export function findRepoRoot(files: readonly string[], cwd: string = process.cwd()): string {
  const first = files[0];
  if (first === undefined) return cwd;
  let dir = path.dirname(path.resolve(cwd, first));
  for (;;) {
    if (existsSync(path.join(dir, '.git'))) return dir;
    const up = path.dirname(dir);
    if (up === dir) return cwd;
    dir = up;
  }
}

/** package.json's `homepage` (or its repository's web address), for SARIF's `informationUri`; undefined when absent. */
export function toolHomepage(): string | undefined {
  try {
    const pkg = JSON.parse(readFileSync(path.join(packageRoot(), 'package.json'), 'utf8')) as { homepage?: unknown; repository?: unknown };
    const repo = typeof pkg.repository === 'object' && pkg.repository !== null ? (pkg.repository as { url?: unknown }).url : pkg.repository;
    for (const candidate of [pkg.homepage, repo]) {
      if (typeof candidate !== 'string') continue;
      const url = candidate.replace(/^git\+/, '').replace(/\.git$/, '');
      if (/^https:\/\/[^\s]+$/.test(url)) return url;
    }
  } catch {
    // no readable package.json: no home page
  }
  return undefined;
}
