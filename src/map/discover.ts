/** Which files make up the map: docs/map-format.md, "Files and discovery". */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type FastGlob from 'fast-glob';
import type Ignore from 'ignore';
import { type Diagnostic, InputError, noPosition } from '../source/diagnostics.js';

// Globbing is needed only for folders and patterns; a scan of named files starts without loading it.
const require = createRequire(import.meta.url);
const fastGlob = (): typeof FastGlob => require('fast-glob') as typeof FastGlob;
const ignoreRules = (): typeof Ignore => require('ignore') as typeof Ignore;

const ROOT_NAMES = ['phi-map.yaml', 'phi-map.yml'];
const PATTERN = '**/*.phi.{yaml,yml}';
const ALWAYS_SKIPPED = ['**/node_modules/**', '**/.git/**'];

/** Files below `dir` that are part of a map, git-ignored folders and node_modules skipped. */
function discoverIn(dir: string): string[] {
  const fg = fastGlob();
  const found = fg.sync([...ROOT_NAMES, PATTERN], { cwd: dir, ignore: ALWAYS_SKIPPED, dot: false, onlyFiles: true });
  const ignores = fg.sync('**/.gitignore', { cwd: dir, ignore: ALWAYS_SKIPPED, dot: true, onlyFiles: true });
  if (ignores.length === 0) return found.map((f) => path.join(dir, f));
  const ignore = ignoreRules();
  const rules = ignores.map((g) => ({ base: path.posix.dirname(g), ig: ignore().add(readFileSync(path.join(dir, g), 'utf8')) }));
  return found
    .filter((f) =>
      rules.every(({ base, ig }) => {
        if (base !== '.' && !f.startsWith(`${base}/`)) return true;
        const rel = base === '.' ? f : f.slice(base.length + 1);
        return !ig.ignores(rel);
      }),
    )
    .map((f) => path.join(dir, f));
}

/**
 * Resolve the command's paths (files, folders or globs; none = the working folder) into a sorted list of files.
 * Throws InputError when a given path matches nothing, or when nothing at all is found.
 */
export function discoverMapFiles(inputs: readonly string[], cwd = process.cwd()): string[] {
  const files = new Set<string>();
  const problems: Diagnostic[] = [];
  const targets = inputs.length > 0 ? inputs : ['.'];
  for (const input of targets) {
    const abs = path.resolve(cwd, input);
    if (existsSync(abs)) {
      if (statSync(abs).isDirectory()) {
        const found = discoverIn(abs);
        if (found.length === 0 && inputs.length > 0) {
          problems.push(noPosition(input, `no PHI map in this folder: expected phi-map.yaml or *.phi.yaml files (run \`phi-audit init\` to start one)`));
        }
        for (const f of found) files.add(f);
      } else {
        files.add(abs);
      }
    } else if (fastGlob().isDynamicPattern(input)) {
      const matched = fastGlob().sync(input, { cwd, ignore: ALWAYS_SKIPPED, onlyFiles: true, absolute: true });
      if (matched.length === 0) problems.push(noPosition(input, 'the pattern matches no file'));
      for (const f of matched) files.add(path.normalize(f));
    } else {
      problems.push(noPosition(input, 'no such file or folder'));
    }
  }
  if (problems.length > 0) throw new InputError(problems);
  if (files.size === 0) {
    throw new InputError([
      noPosition(
        inputs.length > 0 ? inputs.join(' ') : '.',
        'no PHI map found: looked for phi-map.yaml, phi-map.yml and **/*.phi.yaml; run `phi-audit init` to write a starter map',
      ),
    ]);
  }
  return [...files].sort();
}
