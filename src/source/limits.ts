/**
 * Stated input limits (issue 10, cause 8): past them a map is refused with a message naming the file, the limit and
 * how to raise it, rather than read for minutes into gigabytes. The CLI reads the limits from the environment
 * (cli/env.ts, the one place); the library takes them as the `limits` option of `audit()`.
 */

export interface InputLimits {
  /** Largest map file, in bytes (PHI_AUDIT_MAX_FILE_MB). */
  readonly maxFileBytes: number;
  /** Largest total of all map files of a run, in bytes (PHI_AUDIT_MAX_TOTAL_MB). */
  readonly maxTotalBytes: number;
  /** Longest line, in characters (PHI_AUDIT_MAX_LINE_KB, in units of 1,024 characters). */
  readonly maxLineLength: number;
  /** The most nodes (values, list items, mappings) YAML aliases may add to a file once expanded (PHI_AUDIT_MAX_ALIAS_NODES). */
  readonly maxAliasNodes: number;
}

const MB = 1024 * 1024;

/**
 * A generated map of 50,000 nodes is 14 MB and real maps are far smaller, so 64 MB a file and 128 MB in all leave
 * room while refusing the 200 MB map that took 111 s and 4.4 GB. A map's lines are short (the flow style puts a node
 * or a flow on a line), so 1 Mi characters only refuses a file that is one huge line (a 50 MB line took 1.8 GB).
 * Aliases in a map repeat defaults (`<<: *defaults`): a million added nodes is far beyond that, where a 269 KB file
 * under the alias-count limit expanded to 0.96 GB.
 */
export const DEFAULT_LIMITS: InputLimits = {
  maxFileBytes: 64 * MB,
  maxTotalBytes: 128 * MB,
  maxLineLength: 1024 * 1024,
  maxAliasNodes: 1_000_000,
};

/**
 * Block mappings and lists nested deeper than this are refused before parsing. The yaml package recurses per level
 * and runs out of stack near 900 (a 3,000-level file took 14 s to fail with "Maximum call stack size exceeded"); a
 * map needs about six. Not adjustable: past the stack the parser fails at a point that varies from run to run.
 */
export const MAX_BLOCK_DEPTH = 128;

/** The environment variable that raises each limit, as the messages name it. */
export const LIMIT_VARIABLES: Readonly<Record<keyof InputLimits, string>> = {
  maxFileBytes: 'PHI_AUDIT_MAX_FILE_MB',
  maxTotalBytes: 'PHI_AUDIT_MAX_TOTAL_MB',
  maxLineLength: 'PHI_AUDIT_MAX_LINE_KB',
  maxAliasNodes: 'PHI_AUDIT_MAX_ALIAS_NODES',
};

/** The unit each variable counts in. */
export const LIMIT_UNITS: Readonly<Record<keyof InputLimits, number>> = {
  maxFileBytes: MB,
  maxTotalBytes: MB,
  maxLineLength: 1024,
  maxAliasNodes: 1,
};

/** "raise it with PHI_AUDIT_MAX_FILE_MB=128": a value twice the limit, in the variable's unit. */
export function howToRaise(limit: keyof InputLimits, limits: InputLimits): string {
  const next = Math.ceil((2 * limits[limit]) / LIMIT_UNITS[limit]);
  return `raise the limit with the environment variable ${LIMIT_VARIABLES[limit]}=${next} (or the ${limit} option of audit())`;
}

export function megabytes(bytes: number): string {
  return `${(bytes / MB).toFixed(1)} MB`;
}

/** A line's content ends with a block scalar's header: `key: |`, `- >-`, `|2 # note`. */
const BLOCK_SCALAR_HEADER = /(?:^|[\s:-])[|>][-+1-9]{0,2}$/;
/** A line's content ends a key with nothing after it but properties: `key:`, `key: &base`, `key: !!map`. */
const OPENS_BELOW = /:(?:\s+[&!]\S*)*$/;

/**
 * What the content of line [col, end) leaves behind: a block scalar's header, a key with nothing after it, or
 * neither. Most lines end in a plain character with no comment, and are told apart without copying the line.
 */
function lineEnding(text: string, col: number, end: number): 'scalar' | 'opens' | undefined {
  let last = end - 1;
  while (last >= col && (text.charCodeAt(last) === 0x20 || text.charCodeAt(last) === 0x0d)) last--;
  const c = text.charCodeAt(last);
  // Searches stay inside the line: a file of one long line must not be searched once per line.
  let comment = false;
  for (let i = col; i <= last && !comment; i++) comment = text.charCodeAt(i) === 0x23; // #
  let word = last;
  while (word >= col && text.charCodeAt(word) !== 0x20) word--;
  const property = text.charCodeAt(word + 1) === 0x26 || text.charCodeAt(word + 1) === 0x21; // & or !
  const plain = c !== 0x3a && c !== 0x7c && c !== 0x3e && c !== 0x2d && c !== 0x2b && !(c >= 0x31 && c <= 0x39); // : | > - + 1-9
  if (!comment && plain && !property) return undefined;
  const body = lineBody(text, col, end);
  if (BLOCK_SCALAR_HEADER.test(body)) return 'scalar';
  return OPENS_BELOW.test(body) ? 'opens' : undefined;
}

/** The content of line [col, end) without its trailing comment and spaces. */
function lineBody(text: string, col: number, end: number): string {
  let line = text.slice(col, end);
  const hash = line.indexOf(' #');
  if (hash >= 0) line = line.slice(0, hash);
  return line.trimEnd();
}

/**
 * The first line longer than `maxLine` (its offset and length), or the first block mapping or list nested deeper
 * than MAX_BLOCK_DEPTH, in one pass. Depth is read from indentation: a line more indented than the one above opens a
 * level when that line left something open (`key:`, `- `, `? `), and each `- ` that starts a line's content opens
 * one more. A more indented line under anything else continues a scalar, and the lines of a block scalar (`|`, `>`)
 * are text: neither opens a level, however they are indented.
 */
export function shapeProblem(text: string, maxLine: number): { kind: 'line'; offset: number; length: number } | { kind: 'depth'; offset: number } | undefined {
  const indents: number[] = [];
  let opens = true;
  // While >= 0: lines indented more than this are a block scalar's text.
  let scalarAbove = -1;
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    if (end - start > maxLine) return { kind: 'line', offset: start, length: end - start };
    let col = start;
    while (col < end && text.charCodeAt(col) === 0x20) col++;
    const c = text.charCodeAt(col);
    const indent = col - start;
    // Blank and comment lines open nothing; neither do the lines of a block scalar.
    if (col < end && c !== 0x23 && c !== 0x0d && !(scalarAbove >= 0 && indent > scalarAbove)) {
      scalarAbove = -1;
      const deeper = indents.length > 0 && indent > indents[indents.length - 1]!;
      if (!deeper || opens) {
        while (indents.length > 0 && indents[indents.length - 1]! >= indent) indents.pop();
        indents.push(indent);
        opens = false;
        // `- - - x`: each `- ` opens a list inside the last; a bare `-` or `?` leaves its entry open below.
        while ((c === 0x2d || c === 0x3f) && text.charCodeAt(col) === c && (text.charCodeAt(col + 1) === 0x20 || col + 1 === end)) {
          col += 2;
          while (col < end && text.charCodeAt(col) === 0x20) col++;
          indents.push(col - start);
          opens = col >= end;
        }
        if (indents.length > MAX_BLOCK_DEPTH) return { kind: 'depth', offset: col };
      }
      const ending = lineEnding(text, col, end);
      if (ending === 'scalar') scalarAbove = indent;
      else if (ending === 'opens') opens = true;
    }
    start = end + 1;
  }
  return undefined;
}

/**
 * How many nodes aliases add to a value once it is expanded (as the schema's copy expands it), or a number above
 * `limit` as soon as that is certain. `anchored` are the anchored nodes' values: aliases resolve to these very
 * objects. The walk stops once the growth passes `limit`, so it costs O(distinct nodes + limit).
 */
export function aliasGrowth(root: unknown, anchored: readonly unknown[], limit: number): number {
  const anchors = new Set<unknown>();
  for (const a of anchored) if (a !== null && typeof a === 'object') anchors.add(a);
  if (anchors.size === 0) return 0;
  const sizes = new Map<unknown, number>();
  const walked = new Set<unknown>();
  let growth = 0;
  // The expanded size of v; each anchored value is walked once, every later occurrence is growth.
  const size = (v: unknown): number => {
    if (v === null || typeof v !== 'object') return 1;
    const known = sizes.get(v);
    if (known !== undefined) {
      growth += known;
      return known;
    }
    if (anchors.has(v)) {
      if (walked.has(v)) return 0; // an alias to a node still open: the readers refuse it anyway
      walked.add(v);
    } else {
      // Only a merge key repeats an unanchored object: count it as growth the second time it is walked.
      if (walked.has(v)) growth++;
      walked.add(v);
    }
    let total = 1;
    for (const child of Array.isArray(v) ? v : Object.values(v)) {
      total += size(child);
      if (growth > limit) return total;
    }
    if (anchors.has(v)) sizes.set(v, total);
    return total;
  };
  size(root);
  return growth;
}
