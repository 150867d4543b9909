/**
 * The one place where YAML nodes become `file:line:column`. Everything else carries a `SourceRef`
 * (a parsed file plus a path inside it) and asks this module for a position only when it prints.
 */
import { isMap, isPair, isScalar, isSeq, LineCounter, type Document, type Node, type Pair } from 'yaml';

export type YamlPath = readonly (string | number)[];

export interface SourceFile {
  /** The path as the user should see it (relative to the working folder when inside it). */
  readonly path: string;
  readonly text: string;
  readonly doc: Document.Parsed;
  readonly lines: LineCounter;
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

function fromOffset(source: SourceFile, offset: number): Position {
  const { line, col } = source.lines.linePos(offset);
  return { file: source.path, line, column: col };
}

/**
 * Position of `path` in `source`.
 * - `at: 'key'` points at the key of the last segment (unknown keys, ids); `at: 'value'` at its value.
 * When the path is not fully present (a missing field), the deepest existing ancestor is used.
 */
export function locate(ref: SourceRef, at: 'key' | 'value' = 'value'): Position {
  const { source, path } = ref;
  const w = walk(source.doc, path);
  if (w.complete) {
    const keyOffset = w.pair ? offsetOf(w.pair.key as Node) : undefined;
    const valueOffset = offsetOf(w.node);
    const offset = at === 'key' ? (keyOffset ?? valueOffset) : (valueOffset ?? keyOffset);
    if (offset !== undefined) return fromOffset(source, offset);
  } else {
    // Missing field: point at the key of the deepest present ancestor (the object the field belongs to).
    const offset = offsetOf(w.pair?.key as Node | undefined) ?? offsetOf(w.node);
    if (offset !== undefined) return fromOffset(source, offset);
  }
  return { file: source.path, line: 1, column: 1 };
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
