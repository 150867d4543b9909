/**
 * Which systems a run reads (docs/map-format.md, "Several systems in one repository").
 *
 * Each folder holding a `phi-map.yaml` (or `.yml`) is the root of one system: the system is that file plus every map
 * file below its folder, down to the next folder with a root of its own. Systems have separate namespaces and are
 * audited apart. A root file may join another system with `part_of: FOLDER` (relative to its own folder): its files
 * then merge into that system's namespace. Map files under no root form one system of their own, as before.
 *
 * Run with no paths from a folder that has no root file, phi-audit looks for one upward (as linters find their
 * config), stopping at the repository's top (a folder holding `.git`) or the filesystem's root.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { type Diagnostic, noPosition } from '../source/diagnostics.js';
import { displayPath } from '../source/names.js';

const ROOT_FILES = ['phi-map.yaml', 'phi-map.yml'];

function isRootFile(file: string): boolean {
  return ROOT_FILES.includes(path.basename(file).toLowerCase());
}

/** Whether `dir` holds a phi-map.yaml (or .yml). */
export function isRootHere(dir: string): boolean {
  return ROOT_FILES.some((name) => existsSync(path.join(dir, name)));
}

/**
 * The nearest folder above `cwd` holding a root file, when `cwd` holds none; undefined when there is none up to the
 * repository's top (the first folder with `.git`, itself included) or the filesystem's root.
 */
function findRootAbove(cwd: string): string | undefined {
  let dir = path.resolve(cwd);
  if (isRootHere(dir) || existsSync(path.join(dir, '.git'))) return undefined;
  for (;;) {
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
    if (isRootHere(dir)) return dir;
    if (existsSync(path.join(dir, '.git'))) return undefined;
  }
}

function rootFileIn(dir: string): string | undefined {
  return ROOT_FILES.map((name) => path.join(dir, name)).find((f) => existsSync(f));
}

/**
 * The root file a run with no paths starts from, when it is not the working folder's own: the nearest above it (see
 * findRootAbove), or, where that file or the working folder's own declares `part_of:`, the root it joins (followed to
 * its end). Undefined when the working folder's own walk is the run.
 */
export function runRoot(cwd: string): string | undefined {
  const here = path.resolve(cwd);
  let dir = isRootHere(here) ? here : findRootAbove(here);
  const seen = new Set<string>();
  while (dir !== undefined && !seen.has(dir)) {
    seen.add(dir);
    const declared = partOf(rootFileIn(dir)!);
    const target = declared ? path.resolve(dir, declared.target) : undefined;
    if (!target || !isRootHere(target)) break;
    dir = target;
  }
  if (dir === undefined || dir === here) return undefined;
  return rootFileIn(dir);
}

export interface SystemFiles {
  /** The folder of the system's root file (absolute); the scanned folder for files under no root. */
  root: string;
  /** The root file, when the system has one. */
  rootFile?: string;
  /** Every map file of the system, sorted. */
  files: string[];
}

/** `part_of:` at the top level of a root file, read before the file is parsed (the split decides what is merged). */
const PART_OF = /^part_of:[ \t]*(["']?)([^"'#\r\n]*?)\1[ \t]*(?:#.*)?$/m;

function partOf(rootFile: string): { target: string; line: number } | undefined {
  let text: string;
  try {
    text = readFileSync(rootFile, 'utf8');
  } catch {
    return undefined; // the load reports it
  }
  const m = PART_OF.exec(text);
  if (!m || m[2]!.trim() === '') return undefined;
  return { target: m[2]!.trim(), line: text.slice(0, m.index).split('\n').length };
}

/**
 * Splits the files a run found into systems (see the top of this file). One system when there is at most one root
 * file, or every root joins one system: the run is then exactly what it was before systems existed.
 */
export function splitSystems(files: readonly string[], scanned: string, cwd: string): { systems: SystemFiles[]; diagnostics: Diagnostic[] } {
  const roots = files.filter(isRootFile).map((f) => path.dirname(f));
  const diagnostics: Diagnostic[] = [];
  if (new Set(roots).size <= 1) return { systems: [{ root: roots[0] ?? scanned, ...rootFileOf(files, roots[0]), files: [...files] }], diagnostics };
  // Which root each root folder joins (`part_of:`), followed to its end.
  const joins = new Map<string, string>();
  for (const root of new Set(roots)) {
    const rootFile = rootFileOf(files, root).rootFile!;
    const declared = partOf(rootFile);
    if (!declared) continue;
    const target = path.resolve(root, declared.target);
    if (target === root || !roots.includes(target)) {
      diagnostics.push({
        file: displayPath(rootFile, cwd),
        line: declared.line,
        column: 1,
        message:
          target === root
            ? "part_of names this file's own folder: name the folder of the phi-map.yaml this system belongs to, e.g. `part_of: ..`"
            : `part_of names ${declared.target}, but no phi-map.yaml was read there: name the folder of the phi-map.yaml this system belongs to, and scan a folder that holds both`,
      });
      continue;
    }
    joins.set(root, target);
  }
  const final = (root: string): string => {
    const seen = new Set<string>();
    let at = root;
    while (joins.has(at) && !seen.has(at)) {
      seen.add(at);
      at = joins.get(at)!;
    }
    return at;
  };
  const bySystem = new Map<string, string[]>();
  for (const file of files) {
    // The nearest folder at or above the file's that is a root.
    let dir = path.dirname(file);
    let root: string | undefined;
    for (;;) {
      if (roots.includes(dir)) {
        root = dir;
        break;
      }
      const parent = path.dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
    const key = root === undefined ? '' : final(root);
    bySystem.set(key, [...(bySystem.get(key) ?? []), file]);
  }
  const systems = [...bySystem.entries()]
    .map(([root, list]) => (root === '' ? { root: scanned, files: list } : { root, ...rootFileOf(files, root), files: list }))
    .sort((a, b) => (a.root < b.root ? -1 : a.root > b.root ? 1 : 0));
  return { systems, diagnostics };
}

function rootFileOf(files: readonly string[], root: string | undefined): { rootFile?: string } {
  if (root === undefined) return {};
  const file = files.find((f) => isRootFile(f) && path.dirname(f) === root);
  return file ? { rootFile: file } : {};
}

/** Messages of reference errors that name an id (node, environment or data class) no file read declares. */
const UNKNOWN_ID =
  /^(?:flow (?:from|to) "([^"]+)" is not a declared|\S+ names "([^"]+)", which is not declared|subprocessor "([^"]+)" is not declared|hosting names vendor "([^"]+)", which is not declared|risk_analysis\.scope names "([^"]+)"|environment "([^"]+)" is not declared|unknown data class "([^"]+)")/;

/** How many unknown-id errors are shown before the rest are counted. */
const SHOWN = 5;

/**
 * Reference errors when the files read hold no root file: most likely the ids are declared in files that were not
 * read. More than a few become the first few plus one line saying so, instead of a screenful of cascading errors.
 */
export function collapseUnknownIds(diagnostics: readonly Diagnostic[], system: SystemFiles, cwd: string): Diagnostic[] {
  if (system.rootFile) return [...diagnostics];
  const unknown = diagnostics.filter((d) => UNKNOWN_ID.test(d.message));
  if (unknown.length <= SHOWN) return [...diagnostics];
  const ids = new Set(
    unknown.map(
      (d) =>
        UNKNOWN_ID.exec(d.message)!
          .slice(1)
          .find((x) => x !== undefined)!,
    ),
  );
  const kept = new Set(unknown.slice(0, SHOWN));
  const where = folderName(system.root, cwd);
  const some = [...ids].slice(0, 5).join(', ');
  return [
    ...diagnostics.filter((d) => !unknown.includes(d) || kept.has(d)),
    noPosition(
      where,
      `${unknown.length} references point at ${ids.size} id${ids.size === 1 ? '' : 's'} not declared in the files read (${some}${ids.size > 5 ? ', …' : ''}), and no phi-map.yaml was among them: these ids are most likely declared elsewhere in the map: run phi-audit from the folder holding the map's phi-map.yaml, or name every file of the map; ${unknown.length - SHOWN} more like the above not shown`,
    ),
  ];
}

/** A folder as the user sees it: `.` for the working folder, relative below it, absolute elsewhere. */
export function folderName(dir: string, cwd: string): string {
  return path.resolve(dir) === path.resolve(cwd) ? '.' : displayPath(dir, cwd);
}
