/**
 * The one place where paths in a YAML file become `file:line:column`. Everything else carries a `SourceRef`
 * (a read file plus a path inside it) and asks this module for a position only when it prints.
 */
import { type Document, isMap, isPair, isScalar, isSeq, type Node, type Pair } from 'yaml';

export type YamlPath = readonly (string | number)[];

/** Line starts of a file: offset → 1-based line and column. The yaml package's LineCounter is one. */
export interface LineTable {
  linePos(offset: number): { line: number; col: number };
}

/** Finds a path's offset in a file read without a whole syntax tree (see fast-positions.ts). */
export interface PathLocator {
  offset(path: YamlPath, at: 'key' | 'value'): number;
}

export interface SourceFile {
  /** The path as the user should see it (relative to the working folder when inside it). */
  readonly path: string;
  readonly lines: LineTable;
  /** The syntax tree, when the file was parsed whole by the exact path. */
  readonly doc?: Document.Parsed;
  /** Otherwise (the fast path): a locator that gives the same offsets the tree would. */
  readonly locator?: PathLocator;
}

export interface Position {
  file: string;
  line: number;
  column: number;
}

export interface SourceRef {
  readonly source: SourceFile;
  readonly path: YamlPath;
}

/** Line starts of `text`, found the way the yaml package's lexer reports them (after every `\n`). */
export function lineTable(text: string): LineTable {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return {
    linePos(offset: number) {
      // The same binary search as the yaml package's LineCounter.linePos.
      let low = 0;
      let high = starts.length;
      while (low < high) {
        const mid = (low + high) >> 1;
        if (starts[mid]! < offset) low = mid + 1;
        else high = mid;
      }
      if (starts[low] === offset) return { line: low + 1, col: 1 };
      if (low === 0) return { line: 0, col: offset };
      return { line: low, col: offset - starts[low - 1]! + 1 };
    },
  };
}

// Large maps (a `stores:` section with thousands of ids) are indexed once, so locating stays O(1).
const INDEX_FROM = 16;
const pairIndex = new WeakMap<object, Map<string, Pair>>();

function findPair(map: { items: Pair[] }, key: string): Pair | undefined {
  if (map.items.length < INDEX_FROM) {
    return map.items.find((p) => keyText(p) === key);
  }
  let index = pairIndex.get(map);
  if (!index) {
    index = new Map();
    for (const p of map.items) {
      const k = keyText(p);
      if (k !== undefined && !index.has(k)) index.set(k, p);
    }
    pairIndex.set(map, index);
  }
  return index.get(key);
}

function keyText(p: Pair): string | undefined {
  const k = p.key;
  if (isScalar(k)) return String(k.value);
  return k == null ? undefined : String(k);
}

interface Walked {
  /** Deepest node reached along the path. */
  node: Node | null;
  /** The pair whose key is the last path segment, when the path ends on a map key. */
  pair?: Pair;
  /** True when the whole path was found. */
  complete: boolean;
}

function walk(doc: Document.Parsed, path: YamlPath): Walked {
  let node: Node | null = doc.contents as Node | null;
  let pair: Pair | undefined;
  for (const seg of path) {
    if (isMap(node)) {
      const p = findPair(node as unknown as { items: Pair[] }, String(seg));
      if (!p) return { node, pair, complete: false };
      pair = p;
      node = (p.value as Node | null) ?? null;
    } else if (isSeq(node) && typeof seg === 'number') {
      const item = node.items[seg];
      if (item === undefined) return { node, pair, complete: false };
      pair = undefined;
      node = isPair(item) ? ((item.value as Node | null) ?? null) : (item as Node);
    } else {
      return { node, pair, complete: false };
    }
  }
  return { node, pair, complete: true };
}

function offsetOf(n: { range?: [number, number, number] | null } | null | undefined): number | undefined {
  return n?.range?.[0];
}

/**
 * Character offset of `path` in a parsed document, or undefined when nothing along it has a position.
 * - `at: 'key'` points at the key of the last segment (unknown keys, ids); `at: 'value'` at its value.
 * When the path is not fully present (a missing field), the deepest existing ancestor is used.
 */
export function offsetInDoc(doc: Document.Parsed, path: YamlPath, at: 'key' | 'value'): number | undefined {
  const w = walk(doc, path);
  if (w.complete) {
    const keyOffset = w.pair ? offsetOf(w.pair.key as Node) : undefined;
    // An empty value (`audit_log:` with nothing after it) has no text of its own: point at its key.
    const empty = w.node != null && w.node.range != null && w.node.range[0] === w.node.range[1];
    const valueOffset = empty ? undefined : offsetOf(w.node);
    return at === 'key' ? (keyOffset ?? valueOffset) : (valueOffset ?? keyOffset);
  }
  // Missing field: point at the key of the deepest present ancestor (the object the field belongs to).
  return offsetOf(w.pair?.key as Node | undefined) ?? offsetOf(w.node);
}

function offsetIn(ref: SourceRef, at: 'key' | 'value'): number {
  const { doc, locator } = ref.source;
  if (doc) return offsetInDoc(doc, ref.path, at) ?? 0;
  return locator ? locator.offset(ref.path, at) : 0;
}

export function locate(ref: SourceRef, at: 'key' | 'value' = 'value'): Position {
  return locateOffset(ref.source, offsetIn(ref, at));
}

/**
 * A place in a file that outlives the parsed document: the file's line table plus a character offset. The loaded
 * map keeps only anchors, so the YAML syntax tree (several times the size of the data) is freed once loading ends.
 */
export interface Anchor {
  readonly file: Pick<SourceFile, 'path' | 'lines'>;
  readonly offset: number;
}

// One slim {path, lines} per file, shared by its anchors, so no anchor keeps the document alive.
const slim = new WeakMap<SourceFile, Anchor['file']>();

export function anchorOf(ref: SourceRef, at: 'key' | 'value'): Anchor {
  let file = slim.get(ref.source);
  if (!file) {
    file = { path: ref.source.path, lines: ref.source.lines };
    slim.set(ref.source, file);
  }
  return { file, offset: offsetIn(ref, at) };
}

export function position(anchor: Anchor): Position {
  return locateOffset(anchor.file, anchor.offset);
}

/** Position of a raw character offset (YAML parser errors carry offsets). */
export function locateOffset(source: Pick<SourceFile, 'path' | 'lines'>, offset: number): Position {
  const { line, col } = source.lines.linePos(offset);
  return { file: source.path, line, column: col };
}

export function formatPath(path: YamlPath): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else out += out === '' ? seg : `.${seg}`;
  }
  return out;
}
