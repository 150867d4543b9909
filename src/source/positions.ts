/**
 * The one place where YAML nodes become `file:line:column`. Everything else carries a `SourceRef`
 * (a parsed file plus a path inside it) and asks this module for a position only when it prints.
 */
import { isMap, isPair, isScalar, isSeq, LineCounter, type Document, type Node, type Pair } from 'yaml';

export type YamlPath = readonly (string | number)[];

export interface SourceFile {
  /** The path as the user should see it (relative to the working folder when inside it). */
  readonly path: string;
  readonly lines: LineCounter;
  /** The syntax tree, when the file was parsed whole: every path can be located. */
  readonly doc?: Document.Parsed;
  /**
   * Without a tree (a large file parsed in pieces, see chunked.ts): offsets of node ids (`stores/ID`) and flow items
   * (`flows/N`) only. Deeper paths resolve to their node or flow. Such a file is reparsed whole when it has errors.
   */
  readonly anchors?: ReadonlyMap<string, number>;
}

export function anchorKey(section: string, key: string | number): string {
  return `${section}/${key}`;
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
 * Character offset of `path` in `source`.
 * - `at: 'key'` points at the key of the last segment (unknown keys, ids); `at: 'value'` at its value.
 * When the path is not fully present (a missing field), the deepest existing ancestor is used.
 */
function offsetIn(ref: SourceRef, at: 'key' | 'value'): number {
  if (!ref.source.doc) {
    const [section, key] = ref.path;
    return (section !== undefined && key !== undefined ? ref.source.anchors?.get(anchorKey(String(section), key)) : undefined) ?? 0;
  }
  const w = walk(ref.source.doc, ref.path);
  if (w.complete) {
    const keyOffset = w.pair ? offsetOf(w.pair.key as Node) : undefined;
    // An empty value (`audit_log:` with nothing after it) has no text of its own: point at its key.
    const empty = w.node != null && w.node.range != null && w.node.range[0] === w.node.range[1];
    const valueOffset = empty ? undefined : offsetOf(w.node);
    const offset = at === 'key' ? (keyOffset ?? valueOffset) : (valueOffset ?? keyOffset);
    if (offset !== undefined) return offset;
  } else {
    // Missing field: point at the key of the deepest present ancestor (the object the field belongs to).
    const offset = offsetOf(w.pair?.key as Node | undefined) ?? offsetOf(w.node);
    if (offset !== undefined) return offset;
  }
  return 0;
}

export function locate(ref: SourceRef, at: 'key' | 'value' = 'value'): Position {
  return fromOffset(ref.source, offsetIn(ref, at));
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
