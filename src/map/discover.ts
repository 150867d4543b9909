/**
 * Which files make up the map: docs/map-format.md, "Files and discovery".
 *
 * Only regular files are read. What a folder walk or a glob finds is checked before anything is opened:
 * - a FIFO, device, socket or folder named like a map is skipped with a warning (a FIFO is never opened);
 * - a symbolic link to a file is followed only when its real path is inside the folder being walked (or the glob's
 *   fixed part), else it is skipped with a warning; links to folders are never followed, so `loop -> .` or a link
 *   to `/` cannot make the walk repeat itself or leave the folder (a folder they point to inside it is walked anyway);
 * - one file is read once, however many names (symlinks, hard links) it is found under.
 * A path named on the command line is read wherever it points, but it too must be (or link to) a regular file or a
 * folder: anything else is an error. A folder that cannot be read is an error naming it, never a silent gap.
 */
import { type Dirent, lstatSync, readdirSync, readlinkSync, realpathSync, type Stats, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type FastGlob from 'fast-glob';
import type Ignore from 'ignore';
import { type Diagnostic, InputError, noPosition } from '../source/diagnostics.js';
import { describeKind, errnoText, lookAtFound, type OnWarning, readRegularFile, recordInput, warnOnStderr } from '../source/files.js';
import { displayPath } from '../source/names.js';

// Globbing is needed only for patterns, .gitignore rules only for folders: a scan of named files loads neither.
const require = createRequire(import.meta.url);
const fastGlob = (): typeof FastGlob => require('fast-glob') as typeof FastGlob;
const ignoreRules = (): typeof Ignore => require('ignore') as typeof Ignore;

const ROOT_NAMES = new Set(['phi-map.yaml', 'phi-map.yml']);
const NESTED_NAME = /\.phi\.ya?ml$/;
const ALWAYS_SKIPPED = ['**/node_modules/**', '**/.git/**'];

/** Whether a file name is one discovery picks up (`phi-map.yaml` at a folder's top, `*.phi.yaml` anywhere). */
export function isMapFileName(name: string): boolean {
  return ROOT_NAMES.has(name.toLowerCase()) || NESTED_NAME.test(name.toLowerCase());
}

/** A brace glob expands to one pattern per alternative before any folder is read: more than this is refused. */
const MAX_GLOB_ALTERNATIVES = 1024;

/**
 * How many patterns `pattern`'s braces expand to (`{a,b}{c,d}` is 4, `{1..100}` is 100), counted without expanding
 * them. An unclosed or comma-less brace is literal, as in the glob library.
 */
function braceAlternatives(pattern: string): number {
  let i = 0;
  // A sequence runs to a ',' or '}' at this depth; its count is the product of its groups'.
  const sequence = (depth: number): number => {
    let product = 1;
    while (i < pattern.length) {
      const c = pattern[i]!;
      if (c === '\\') {
        i += 2;
        continue;
      }
      if (depth > 0 && (c === ',' || c === '}')) return product;
      if (c === '{') {
        const start = i;
        i++;
        const group = alternatives(depth + 1);
        if (group === undefined) {
          i = start + 1; // literal '{'
          continue;
        }
        product *= group;
        continue;
      }
      i++;
    }
    return product;
  };
  // After '{': alternatives separated by ',' up to the matching '}'; undefined when the brace is literal.
  const alternatives = (depth: number): number | undefined => {
    const start = i;
    let sum = 0;
    let commas = 0;
    for (;;) {
      sum += sequence(depth);
      if (i >= pattern.length) return undefined;
      if (pattern[i] === ',') {
        commas++;
        i++;
        continue;
      }
      i++; // '}'
      if (commas > 0) return sum;
      const range = /^(-?\d+|[a-zA-Z])\.\.(-?\d+|[a-zA-Z])(?:\.\.(-?\d+))?$/.exec(pattern.slice(start, i - 1));
      if (!range) return 1;
      const [from, to] = [range[1]!, range[2]!].map((v) => (/^-?\d+$/.test(v) ? Number(v) : v.charCodeAt(0)));
      const step = Math.abs(Number(range[3] ?? 1)) || 1;
      return Math.floor(Math.abs(to! - from!) / step) + 1;
    }
  };
  return sequence(0);
}

export interface DiscoverOptions {
  /** Called for each file a walk or glob found and skipped (not a regular file, or a link leading out of the folder). */
  onWarning?: OnWarning;
  /** Also pick up a phi-map.yaml below a walked folder's top: the root of another system (map/systems.ts). */
  nestedRoots?: boolean;
}

interface Candidate {
  abs: string;
  /** The file's stats, symlinks followed: always a regular file. */
  st: Stats;
  /** Found through a symbolic link: a real name for the same file is preferred. */
  viaLink: boolean;
}

class Discovery {
  readonly candidates: Candidate[] = [];
  readonly problems: Diagnostic[] = [];

  constructor(
    private readonly cwd: string,
    private readonly onWarning: OnWarning,
    private readonly nestedRoots = false,
  ) {}

  show(abs: string): string {
    return displayPath(abs, this.cwd);
  }

  problem(abs: string, message: string): void {
    this.problems.push(noPosition(this.show(abs), message));
  }

  skip(abs: string, reason: string): void {
    this.onWarning(noPosition(this.show(abs), `warning: skipped: ${reason}`));
  }

  /**
   * A file a walk or glob found under `rootReal` (a real path), as its directory entry says it is. Adds it when it
   * is, or links inside the root to, a regular file; otherwise skips it with a warning. Never opens it.
   */
  found(abs: string, isLink: boolean, rootReal: string): void {
    const found = lookAtFound(abs, isLink, rootReal);
    if (found.kind === 'skip') this.skip(abs, found.reason);
    else if (found.kind === 'unreadable') this.problem(abs, found.message);
    // A folder named like a map: the walk goes into it, a glob just matched it.
    else if (found.kind === 'file') this.candidates.push({ abs, st: found.st, viaLink: isLink });
  }

  /** Map files below `root` (a folder): node_modules, hidden entries and git-ignored paths skipped. */
  walk(root: string): number {
    const before = this.candidates.length;
    let rootReal: string;
    try {
      rootReal = realpathSync(root);
    } catch (err) {
      this.problem(root, `cannot read the folder: ${errnoText(err)}`);
      return 0;
    }
    type Rule = { base: string; ig: Ignore.Ignore };
    const ignored = (rules: readonly Rule[], rel: string, isDir: boolean): boolean =>
      rules.some(({ base, ig }) => {
        if (base !== '' && !rel.startsWith(`${base}/`)) return false;
        const sub = base === '' ? rel : rel.slice(base.length + 1);
        return ig.ignores(isDir ? `${sub}/` : sub);
      });
    const stack: { dir: string; rel: string; rules: readonly Rule[] }[] = [{ dir: root, rel: '', rules: [] }];
    for (let next = stack.pop(); next; next = stack.pop()) {
      const { dir, rel } = next;
      let entries: Dirent[];
      try {
        entries = readdirSync(dir, { withFileTypes: true });
      } catch (err) {
        this.problem(dir, `cannot read the folder: ${errnoText(err)}`);
        continue;
      }
      let rules = next.rules;
      const gitignore = entries.find((e) => e.name === '.gitignore' && !e.isDirectory());
      if (gitignore) {
        const rule = this.gitignore(path.join(dir, '.gitignore'), gitignore.isSymbolicLink(), rootReal);
        if (rule) rules = [...rules, { base: rel, ig: ignoreRules()().add(rule) }];
      }
      const subdirs: typeof stack = [];
      for (const e of entries) {
        if (e.name.startsWith('.') || e.name === 'node_modules') continue;
        const childRel = rel === '' ? e.name : `${rel}/${e.name}`;
        const abs = path.join(dir, e.name);
        if (e.isDirectory()) {
          if (!ignored(rules, childRel, true)) subdirs.push({ dir: abs, rel: childRel, rules });
          continue;
        }
        // A phi-map.yaml below the top is the root of another system: read only when systems are split (systems.ts).
        const wanted = NESTED_NAME.test(e.name) || (ROOT_NAMES.has(e.name) && (rel === '' || this.nestedRoots));
        if (!wanted || ignored(rules, childRel, false)) continue;
        this.found(abs, e.isSymbolicLink(), rootReal);
      }
      stack.push(...subdirs.reverse());
    }
    return this.candidates.length - before;
  }

  /** A .gitignore's text; a link out of the root or a special file is skipped with a warning, an unreadable one is a problem. */
  gitignore(file: string, isLink: boolean, rootReal: string): string | undefined {
    const found = lookAtFound(file, isLink, rootReal);
    if (found.kind === 'skip') this.skip(file, found.reason);
    else if (found.kind === 'unreadable') this.problem(file, found.message);
    if (found.kind !== 'file') return undefined;
    const read = readRegularFile(file, '.gitignore file');
    if (read.ok) return read.text;
    this.problem(file, read.message);
    return undefined;
  }

  /** Files matching a glob: links to folders not followed, links to files only inside the glob's fixed part. */
  glob(pattern: string): number {
    const alternatives = braceAlternatives(pattern);
    if (alternatives > MAX_GLOB_ALTERNATIVES) {
      this.problems.push(
        noPosition(
          pattern,
          `the pattern's braces expand to ${alternatives > 1e15 ? 'more than 10^15' : alternatives} patterns, more than the ${MAX_GLOB_ALTERNATIVES} allowed: name the folder, or write a shorter pattern`,
        ),
      );
      return 0;
    }
    const fg = fastGlob();
    const segments = pattern.split('/');
    const firstDynamic = segments.findIndex((s) => fg.isDynamicPattern(s));
    const fixed = firstDynamic < 0 ? '' : segments.slice(0, firstDynamic).join('/');
    const base = path.resolve(this.cwd, fixed === '' && pattern.startsWith('/') ? '/' : fixed);
    let baseReal: string;
    try {
      baseReal = realpathSync(base);
    } catch {
      return 0; // the fixed part does not exist: the pattern matches nothing
    }
    let entries: FastGlob.Entry[];
    try {
      entries = fg.sync(pattern, {
        cwd: this.cwd,
        ignore: ALWAYS_SKIPPED,
        onlyFiles: false,
        absolute: true,
        objectMode: true,
        followSymbolicLinks: false,
        suppressErrors: false,
      });
    } catch (err) {
      const at = (err as NodeJS.ErrnoException).path;
      this.problems.push(noPosition(at ? this.show(at) : pattern, `cannot read ${at ? 'the folder' : `the files matching ${pattern}`}: ${errnoText(err)}`));
      return 0;
    }
    let matched = 0;
    for (const e of entries) {
      if (e.dirent.isDirectory()) continue;
      matched++;
      this.found(path.normalize(e.path), e.dirent.isSymbolicLink(), baseReal);
    }
    return matched;
  }

  /** A path named on the command line: a folder to walk, or a file read wherever it points. */
  named(input: string, abs: string): 'missing' | 'done' {
    let st: Stats;
    try {
      st = statSync(abs);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
        this.problems.push(noPosition(input, `cannot read it: ${errnoText(err)}`));
        return 'done';
      }
      let target: string | undefined;
      try {
        if (lstatSync(abs).isSymbolicLink()) target = readlinkSync(abs);
      } catch {
        // not there at all
      }
      if (target === undefined) return 'missing';
      this.problems.push(noPosition(input, `is a symbolic link to ${target}, which does not exist`));
      return 'done';
    }
    if (st.isDirectory()) {
      const before = this.problems.length;
      if (this.walk(abs) === 0 && this.problems.length === before) {
        this.problems.push(noPosition(input, `no PHI map in this folder: expected phi-map.yaml or *.phi.yaml files (run \`phi-audit init\` to start one)`));
      }
    } else if (st.isFile()) {
      let viaLink = false;
      try {
        viaLink = lstatSync(abs).isSymbolicLink();
      } catch {
        // gone since: the read reports it
      }
      this.candidates.push({ abs, st, viaLink });
    } else {
      this.problems.push(noPosition(input, `is ${describeKind(st)}, not a regular file: name a PHI map file (*.yaml) or a folder of them`));
    }
    return 'done';
  }

  /** Each file once (by device and inode), under a real name when it has one, sorted by path. */
  files(): string[] {
    const byIdentity = new Map<string, Candidate>();
    const order = [...this.candidates].sort((a, b) => Number(a.viaLink) - Number(b.viaLink) || (a.abs < b.abs ? -1 : a.abs > b.abs ? 1 : 0));
    for (const c of order) {
      const key = `${c.st.dev}:${c.st.ino}`;
      if (!byIdentity.has(key)) byIdentity.set(key, c);
    }
    const chosen = [...byIdentity.values()];
    for (const c of chosen) recordInput(c.abs, c.st, 'map file');
    return chosen.map((c) => c.abs).sort();
  }
}

/**
 * Resolve the command's paths (files, folders or globs; none = the working folder) into a sorted list of files.
 * Throws InputError when a given path matches nothing, cannot be read or is not a regular file or folder, or when
 * nothing at all is found.
 */
export function discoverMapFiles(inputs: readonly string[], cwd = process.cwd(), options: DiscoverOptions = {}): string[] {
  const discovery = new Discovery(cwd, options.onWarning ?? warnOnStderr, options.nestedRoots);
  if (inputs.length === 0) {
    discovery.walk(path.resolve(cwd));
  }
  for (const input of inputs) {
    const abs = path.resolve(cwd, input);
    if (discovery.named(input, abs) === 'done') continue;
    if (fastGlob().isDynamicPattern(input)) {
      const before = discovery.problems.length;
      if (discovery.glob(input) === 0 && discovery.problems.length === before) discovery.problems.push(noPosition(input, 'the pattern matches no file'));
    } else {
      discovery.problems.push(noPosition(input, 'no such file or folder'));
    }
  }
  if (discovery.problems.length > 0) throw new InputError(discovery.problems);
  const files = discovery.files();
  if (files.length === 0) {
    throw new InputError([
      noPosition(
        inputs.length > 0 ? inputs.join(' ') : '.',
        'no PHI map found: looked for phi-map.yaml, phi-map.yml and **/*.phi.yaml; run `phi-audit init` to write a starter map',
      ),
    ]);
  }
  return files;
}
