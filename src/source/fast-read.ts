/**
 * The fast path for map files. js-yaml's event parser reads YAML several times faster than the yaml package builds
 * its syntax tree, and its events carry source offsets. One pass over them builds the value, mirroring what the
 * exact path (yaml.ts: the yaml package, YAML 1.2 core schema, merge keys) gives, and an index of where the root,
 * every top-level section, every section entry (`stores/ID`, `data_classes/ID`) and every flow item starts.
 *
 * This path never reports an error. Whatever it is not sure of (a js-yaml error, tags, directives, several
 * documents, a duplicate, empty or non-text key, merge keys it does not mirror, aliases that could expand past the
 * exact path's bound, tabs, unusual line breaks) makes it decline, and the exact path reads the file and reports
 * every problem at its position.
 */
import { EVENT_ID, getScalarValue, parseEvents, SCALAR_STYLE, type Event, type ScalarEvent } from 'js-yaml';
import { MAX_ALIAS_COUNT } from './yaml.js';

const NONE = -1;
const COLLECTION_BLOCK = 1;
/** The exact path rejects implicit keys longer than 1024 characters; keys this long are left to it. */
const MAX_KEY = 1000;

/** Where a top-level section and its entries sit; NONE wherever an offset is not known to be exact. */
export interface SectionIndex {
  readonly key: string;
  /** Offset of the section's key, as the yaml package's syntax tree gives it. */
  readonly keyOffset: number;
  /** Offset of the section's value node (its key's offset when the value is empty). */
  valueOffset: number;
  kind: 'map' | 'seq' | 'other';
  /** A mapping's entries: key → entry number, and the keys in order. */
  readonly entries: Map<string, number>;
  readonly keys: string[];
  /** Per entry: a mapping's key offset, or a list item's node offset when it is a mapping. */
  readonly offsets: number[];
  /** Per entry: where its first line starts, when the entry can be cut out of the file on its own. */
  readonly starts: number[];
  /** The value is a block collection (entries one per line). */
  block: boolean;
  /** Offset just past the section key's line. */
  headerEnd: number;
  /** Offset where the section ends; NONE when it cannot be parsed on its own. */
  end: number;
  /** Entries can be parsed one at a time, each under a copy of the section's key line. */
  sliced: boolean;
}

export interface MapIndex {
  /** Offset of the root mapping node; NONE when unknown. */
  rootOffset: number;
  readonly sections: Map<string, SectionIndex>;
}

interface Anchored {
  /** The node is still open: an alias to it would be recursive. */
  open: boolean;
  value: unknown;
  isMap: boolean;
  /** Alias resolutions the exact path makes each time it converts this node (merges convert their source again). */
  conv: number;
  /** How deeply aliases nest inside this node. */
  depth: number;
  used: boolean;
}

interface Frame {
  isMap: boolean;
  value: Record<string, unknown> | unknown[];
  /** 1: the root; 2: a section's value; 3: a section's entry. */
  level: number;
  /** The node's offset as the yaml package gives it (NONE when unknown). */
  offset: number;
  /** The node's first character, properties included. */
  first: number;
  anchor: Anchored | undefined;
  conv: number;
  depth: number;
  key: string | undefined;
  hasKey: boolean;
  keyIsMerge: boolean;
  merges: number;
  /** Keys a merge put here, which a later explicit key may still override. */
  merged: Set<string> | undefined;
  /** This sequence is the value of a merge key: its items merge into the parent mapping. */
  mergeSeq: boolean;
  count: number;
  section: SectionIndex | undefined;
}

class Decline extends Error {}
const decline = (): never => {
  throw new Decline();
};

const hasOwn = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);

/** Set like the yaml package's toJS does: an inherited name (`__proto__`, `toString`) becomes an own property. */
function setKey(obj: Record<string, unknown>, key: string, value: unknown): void {
  if (key in obj) Object.defineProperty(obj, key, { value, writable: true, enumerable: true, configurable: true });
  else obj[key] = value;
}

// The yaml package's YAML 1.2 core schema, in its resolution order (core/schema.js): null, bool, int (octal,
// decimal, hex), float (nan/inf, exponent, plain). js-yaml's own core schema differs (a 400-digit integer is text
// there, Infinity here), so plain scalars are resolved here.
const INT = /^[-+]?[0-9]+$/;
const OCT = /^0o[0-7]+$/;
const HEX = /^0x[0-9a-fA-F]+$/;
const NAN_INF = /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;
const EXP = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/;
const FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/;

export function resolvePlain(s: string): unknown {
  if (s === '') return null;
  const c = s.charCodeAt(0);
  switch (c) {
    case 0x7e: // ~
      return s === '~' ? null : s;
    case 0x6e: // n
    case 0x4e: // N
      return s === 'null' || s === 'Null' || s === 'NULL' ? null : s;
    case 0x74: // t
    case 0x54: // T
      return s === 'true' || s === 'True' || s === 'TRUE' ? true : s;
    case 0x66: // f
    case 0x46: // F
      return s === 'false' || s === 'False' || s === 'FALSE' ? false : s;
  }
  if (!(c === 0x2b || c === 0x2d || c === 0x2e || (c >= 0x30 && c <= 0x39))) return s;
  if (OCT.test(s)) return parseInt(s.substring(2), 8);
  if (INT.test(s)) return parseInt(s, 10);
  if (HEX.test(s)) return parseInt(s.substring(2), 16);
  if (NAN_INF.test(s)) return s.slice(-3).toLowerCase() === 'nan' ? NaN : s[0] === '-' ? -Infinity : Infinity;
  if (EXP.test(s) || FLOAT.test(s)) return parseFloat(s);
  return s;
}

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** Offset of the line after the one holding `offset`. */
function nextLine(text: string, offset: number): number {
  const nl = text.indexOf('\n', offset);
  return nl < 0 ? text.length : nl + 1;
}

const SPACES = /^ *$/;
const DASH = /^ *- +$/;

// Line breaks and marks the two parsers may read differently; rare in maps, so such files take the exact path.
const UNSURE_TEXT = /\t|\r(?!\n)|[\u0085\u2028\u2029]|.\ufeff/s;

const MARKER = /^(?:---|\.\.\.)(?=[ \r\n]|$)/gm;
const BLANK_OR_COMMENTS = /^(?:[ ]*(?:#.*)?(?:\r?\n|$))*$/;

/**
 * Whether the file has a `---` and a `...` marker; undefined unless there is at most one of each, `---` before any
 * content and `...` after it, each alone on its line (a comment aside). The yaml package reads anything else as
 * several documents, which js-yaml may not.
 */
function markers(text: string): { start: boolean; end: boolean } | undefined {
  let start = 0;
  let end = 0;
  for (const m of text.matchAll(MARKER)) {
    const lineEnd = text.indexOf('\n', m.index);
    const after = lineEnd < 0 ? text.length : lineEnd + 1;
    if (!BLANK_OR_COMMENTS.test(text.slice(m.index + 3, after))) return undefined;
    if (m[0] === '---') {
      if (++start > 1 || end > 0 || !BLANK_OR_COMMENTS.test(text.slice(text.charCodeAt(0) === 0xfeff ? 1 : 0, m.index))) return undefined;
    } else if (++end > 1 || !BLANK_OR_COMMENTS.test(text.slice(after))) return undefined;
  }
  return { start: start > 0, end: end > 0 };
}

/** Read a map file fast: its value and an index of positions, or undefined to leave it to the exact path. */
export function readFast(text: string): { value: Record<string, unknown>; index: MapIndex } | undefined {
  const marks = UNSURE_TEXT.test(text) ? undefined : markers(text);
  if (!marks) return undefined;
  let events: Event[];
  try {
    events = parseEvents(text, {});
  } catch {
    return undefined;
  }
  // js-yaml also takes an indented `---` for a document start; the yaml package does not.
  const doc = events[0];
  if (doc?.type !== EVENT_ID.DOCUMENT || doc.explicitStart !== marks.start || doc.explicitEnd !== marks.end) return undefined;
  try {
    return build(text, events);
  } catch (err) {
    if (err instanceof Decline) return undefined;
    throw err;
  }
}

function build(text: string, events: Event[]): { value: Record<string, unknown>; index: MapIndex } {
  const index: MapIndex = { rootOffset: NONE, sections: new Map() };
  const stack: Frame[] = [];
  // The latest node for each anchor name, as the exact path resolves aliases (the last anchor before the alias).
  const anchors = new Map<string, Anchored>();
  const used: Anchored[] = [];
  let root: unknown;
  let rootConv = 0;
  let documents = 0;

  const top = (): Frame | undefined => stack[stack.length - 1];

  const mergeInto = (frame: Frame, source: unknown): void => {
    if (source === null || typeof source !== 'object' || Array.isArray(source)) decline();
    const obj = frame.value as Record<string, unknown>;
    const src = source as Record<string, unknown>;
    for (const k of Object.keys(src)) {
      if (!hasOwn(obj, k)) {
        Object.defineProperty(obj, k, { value: src[k], writable: true, enumerable: true, configurable: true });
        (frame.merged ??= new Set()).add(k);
      }
    }
  };

  /** A key arrived in `frame` (a mapping). */
  const addKey = (frame: Frame, value: unknown, ev: ScalarEvent): void => {
    const plain = ev.style === SCALAR_STYLE.PLAIN;
    if (ev.valueStart === NONE || value === null) decline(); // an empty or null key: the two parsers name it differently
    const start = plain ? ev.valueStart : ev.valueStart - 1;
    const end = plain ? ev.valueEnd : ev.valueEnd + 1;
    if (end - start > MAX_KEY || (!ev.fast && text.slice(start, end).includes('\n'))) decline();
    const colon = text.indexOf(':', end);
    if (colon >= 0 && colon - start > MAX_KEY && text.slice(end, colon).trim() === '') decline();
    const key = typeof value === 'string' ? value : String(value);
    if (key === '<<') {
      if (!plain || ++frame.merges > 1) decline(); // a quoted "<<", or two merge keys in one mapping
      frame.keyIsMerge = true;
    } else {
      const obj = frame.value as Record<string, unknown>;
      if (hasOwn(obj, key) && !frame.merged?.has(key)) decline(); // a duplicate key: the exact path reports it
      frame.keyIsMerge = false;
    }
    frame.key = key;
    frame.hasKey = true;
    const props = ev.anchorStart !== NONE;
    const keyOffset = props ? NONE : start;
    const first = props ? ev.anchorStart - 1 : start;
    // A mapping's node starts at its first key, properties excluded (js-yaml's start includes them).
    if (frame.count === 0 && (props || text.charCodeAt(frame.offset) === 0x3f)) frame.offset = NONE;
    if (frame.level === 1) {
      if (key === '<<') decline();
      const section: SectionIndex = {
        key,
        keyOffset,
        valueOffset: NONE,
        kind: 'other',
        entries: new Map(),
        keys: [],
        offsets: [],
        starts: [],
        block: false,
        headerEnd: nextLine(text, end),
        // Only a section whose key starts its line (after a byte order mark) can be parsed on its own.
        end: props || !(first === 0 || text.charCodeAt(first - 1) === 0x0a || (first === 1 && text.charCodeAt(0) === 0xfeff)) ? NONE : 0,
        sliced: false,
      };
      index.sections.set(key, section);
    } else if (frame.level === 2 && frame.section && key !== '<<') {
      const s = frame.section;
      s.entries.set(key, s.offsets.length);
      s.keys.push(key);
      s.offsets.push(keyOffset);
      const ls = lineStart(text, first);
      s.starts.push(SPACES.test(text.slice(ls, first)) ? ls : NONE);
    }
  };

  /** A finished node (`offset`: where the yaml package puts it; `first`: its first character) arrived in the top frame. */
  const add = (value: unknown, offset: number, first: number, conv: number, depth: number): void => {
    const frame = top();
    if (!frame) {
      if (root !== undefined) decline();
      root = value;
      rootConv = conv;
      return;
    }
    frame.conv += conv;
    if (depth > frame.depth) frame.depth = depth;
    if (!frame.isMap) {
      if (frame.mergeSeq) {
        mergeInto(stack[stack.length - 2]!, value);
        return;
      }
      (frame.value as unknown[]).push(value);
      if (frame.level === 2 && frame.section) {
        const s = frame.section;
        s.offsets.push(offset);
        const ls = first === NONE ? NONE : lineStart(text, first);
        s.starts.push(ls !== NONE && DASH.test(text.slice(ls, first)) ? ls : NONE);
      }
      frame.count++;
      return;
    }
    if (!frame.hasKey) decline(); // a collection or an alias as a key
    if (frame.keyIsMerge) mergeInto(frame, value);
    else {
      const key = frame.key!;
      setKey(frame.value as Record<string, unknown>, key, value);
      frame.merged?.delete(key);
      if (frame.level === 1) {
        const s = index.sections.get(key)!;
        // An empty value has no text of its own: the tree points at the key.
        s.valueOffset = offset === EMPTY ? s.keyOffset : offset;
      }
    }
    frame.hasKey = false;
    frame.keyIsMerge = false;
    frame.count++;
  };

  const open = (isMap: boolean, start: number, anchorStart: number, anchorEnd: number, style: number): void => {
    const parent = top();
    if (parent?.isMap && !parent.hasKey) decline(); // a collection as a key
    const props = anchorStart !== NONE;
    let anchor: Anchored | undefined;
    if (props) {
      anchor = { open: true, value: undefined, isMap, conv: 0, depth: 0, used: false };
      anchors.set(text.slice(anchorStart, anchorEnd), anchor);
    }
    let mergeSeq = false;
    if (parent && parent.isMap && parent.hasKey && parent.keyIsMerge) {
      if (!isMap) {
        if (props) decline();
        mergeSeq = true;
      }
    } else if (parent?.mergeSeq && !isMap) decline(); // a list inside a merge list
    const level = parent ? parent.level + 1 : 1;
    let section: SectionIndex | undefined;
    if (level === 2 && parent!.isMap && !parent!.keyIsMerge) {
      section = index.sections.get(parent!.key!)!;
      section.kind = isMap ? 'map' : 'seq';
      section.block = style === COLLECTION_BLOCK;
    }
    stack.push({
      isMap,
      value: isMap ? {} : [],
      level,
      offset: props ? NONE : start,
      first: props ? anchorStart - 1 : start,
      anchor,
      conv: 0,
      depth: 0,
      key: undefined,
      hasKey: false,
      keyIsMerge: false,
      merges: 0,
      merged: undefined,
      mergeSeq,
      count: 0,
      section,
    });
  };

  const close = (): void => {
    const frame = stack.pop()!;
    if (frame.isMap && frame.hasKey) decline();
    if (frame.mergeSeq) {
      // The merge key's pair is done: its items are merged already.
      const parent = top()!;
      parent.conv += frame.conv;
      if (frame.depth > parent.depth) parent.depth = frame.depth;
      parent.hasKey = false;
      parent.keyIsMerge = false;
      parent.count++;
      return;
    }
    if (frame.level === 2 && frame.section) checkEntries(frame);
    if (frame.level === 1) {
      if (!frame.isMap) decline();
      checkKeys([...index.sections.keys()], frame.value as Record<string, unknown>);
      index.rootOffset = frame.offset;
    }
    if (frame.anchor) Object.assign(frame.anchor, { open: false, value: frame.value, conv: frame.conv, depth: frame.depth });
    add(frame.value, frame.offset, frame.first, frame.conv, frame.depth);
  };

  /** The index must name exactly the entries the value holds, in the same order, or positions could be wrong. */
  const checkEntries = (frame: Frame): void => {
    const s = frame.section!;
    if (frame.isMap) checkKeys(s.keys, frame.value as Record<string, unknown>);
    else if (s.offsets.length !== (frame.value as unknown[]).length) decline();
  };

  const alias = (name: string, at: number): void => {
    const target = anchors.get(name);
    if (!target || target.open) return decline(); // unknown (the exact path reports it) or recursive
    if (!target.used) {
      target.used = true;
      used.push(target);
    }
    const frame = top();
    // The exact path resolves each alias once; a merge converts its source again, resolving the aliases inside it.
    const merging = frame !== undefined && ((frame.isMap && frame.hasKey && frame.keyIsMerge) || frame.mergeSeq);
    if (merging && !target.isMap) decline();
    add(target.value, NONE, at, 1 + (merging ? target.conv : 0), 1 + target.depth);
  };

  for (const ev of events) {
    switch (ev.type) {
      case EVENT_ID.DOCUMENT:
        if (++documents > 1 || ev.directives.length > 0) decline();
        break;
      case EVENT_ID.SCALAR: {
        if (ev.tagStart !== NONE) decline();
        const plain = ev.style === SCALAR_STYLE.PLAIN;
        const raw = ev.valueStart === NONE ? '' : ev.fast ? text.slice(ev.valueStart, ev.valueEnd) : getScalarValue(text, ev);
        const value = plain ? resolvePlain(raw) : raw;
        const frame = top();
        if (frame?.isMap && !frame.hasKey) {
          if (ev.anchorStart !== NONE) anchors.set(text.slice(ev.anchorStart, ev.anchorEnd), { open: false, value, isMap: false, conv: 0, depth: 0, used: false });
          addKey(frame, value, ev);
          break;
        }
        if (frame && ((frame.isMap && frame.keyIsMerge) || frame.mergeSeq)) decline(); // a merge source that is no mapping
        if (ev.anchorStart !== NONE) anchors.set(text.slice(ev.anchorStart, ev.anchorEnd), { open: false, value, isMap: false, conv: 0, depth: 0, used: false });
        const props = ev.anchorStart !== NONE;
        const block = ev.style === SCALAR_STYLE.LITERAL_BLOCK || ev.style === SCALAR_STYLE.FOLDED_BLOCK;
        const start = ev.valueStart === NONE ? EMPTY : block ? NONE : plain ? ev.valueStart : ev.valueStart - 1;
        add(value, props ? NONE : start, props ? ev.anchorStart - 1 : start < 0 ? NONE : start, 0, 0);
        break;
      }
      case EVENT_ID.MAPPING:
      case EVENT_ID.SEQUENCE:
        if (ev.tagStart !== NONE) decline();
        open(ev.type === EVENT_ID.MAPPING, ev.start, ev.anchorStart, ev.anchorEnd, ev.style);
        break;
      case EVENT_ID.ALIAS:
        alias(text.slice(ev.anchorStart, ev.anchorEnd), ev.anchorStart - 1);
        break;
      case EVENT_ID.POP:
        if (stack.length > 0) close();
        break;
    }
  }
  if (root === null || typeof root !== 'object' || Array.isArray(root)) decline();

  // The exact path fails once an anchor's uses times the aliases nested in it exceed MAX_ALIAS_COUNT. Every count
  // it keeps is at most 1 + the resolutions it makes in all (rootConv), so this bound is safe.
  for (const a of used) if ((rootConv + 1) ** (a.depth + 1) > MAX_ALIAS_COUNT) decline();

  finishSections(text, index);
  return { value: root as Record<string, unknown>, index };
}

/** Marks an empty scalar: its node has no text, so the tree points at its key instead. */
const EMPTY = -2;

function checkKeys(keys: string[], value: Record<string, unknown>): void {
  const actual = Object.keys(value);
  if (actual.length !== keys.length) decline();
  // Integer-like keys come first in a JS object whatever the file's order; build the same object to compare.
  const probe: Record<string, unknown> = {};
  for (const k of keys) setKey(probe, k, true);
  const expected = Object.keys(probe);
  for (let i = 0; i < actual.length; i++) if (actual[i] !== expected[i]) decline();
}

/** Where each section ends, and whether its entries can be cut out one by one. */
function finishSections(text: string, index: MapIndex): void {
  const list = [...index.sections.values()];
  for (let i = 0; i < list.length; i++) {
    const s = list[i]!;
    if (s.end === NONE) continue;
    const next = list[i + 1];
    if (next && next.end === NONE) {
      s.end = NONE;
      continue;
    }
    s.end = next ? next.keyOffset : text.length;
    if (!s.block || s.starts.length === 0) continue;
    let ok = s.starts[0]! >= s.headerEnd;
    for (let j = 1; ok && j < s.starts.length; j++) ok = s.starts[j]! > s.starts[j - 1]!;
    s.sliced = ok && s.starts.every((x) => x !== NONE) && s.starts[s.starts.length - 1]! < s.end;
  }
}
