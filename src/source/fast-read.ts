/**
 * The fast path for map files. js-yaml's event parser reads YAML several times faster than the yaml package builds
 * its syntax tree, and its events carry source offsets. One pass over them builds the value, mirroring what the
 * exact path (yaml.ts: the yaml package, YAML 1.2 core schema, merge keys) gives, and an index of where the root,
 * every top-level section, every section entry (`stores/ID`, `data_classes/ID`) and every flow item starts.
 *
 * This path never reports an error. Whatever it is not sure of (a js-yaml error, tags, directives, several
 * documents, a duplicate, empty, non-text or `__proto__` key, merge keys it does not mirror, aliases that could
 * expand past the exact path's bound, tabs, unusual line breaks) makes it decline, and the exact path reads the
 * file and reports every problem at its position.
 */
import { type DocumentEvent, EVENT_ID, type Event, getScalarValue, parseEvents, SCALAR_STYLE, type ScalarEvent } from 'js-yaml';
import { MAX_ALIAS_COUNT, RESERVED_KEY } from './yaml.js';

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
  /** The aliases inside this node. */
  aliases: readonly AliasUse[];
  /** How often the exact path resolves an alias to this node, and a bound on the aliases it counts inside it. */
  uses: number;
  cap: number;
}

/** An alias in the file; a merge key's alias makes the exact path convert its target again. */
interface AliasUse {
  target: Anchored;
  merge: boolean;
}

const NO_ALIASES: readonly AliasUse[] = [];

interface Frame {
  isMap: boolean;
  /** Block style (not `{ }` or `[ ]`). */
  block: boolean;
  value: Record<string, unknown> | unknown[];
  /** 1: the root; 2: a section's value; 3: a section's entry. */
  level: number;
  /** The node's offset as the yaml package gives it (NONE when unknown). */
  offset: number;
  /** The node's first character, properties included. */
  first: number;
  anchor: Anchored | undefined;
  /** The aliases inside this node so far. */
  aliases: AliasUse[] | undefined;
  key: string | undefined;
  /** Where the pending key's text ends. */
  keyEnd: number;
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
const decline = (why: string): never => {
  throw new Decline(why);
};

/** Names a plain object inherits (`toString`, `__proto__`...): the only keys that need more than an assignment. */
const INHERITED = new Set([...Object.getOwnPropertyNames(Object.prototype), '__proto__']);

/** Set like the yaml package's toJS does: an inherited name (`__proto__`, `toString`) becomes an own property. */
function setKey(obj: Record<string, unknown>, key: string, value: unknown): void {
  if (INHERITED.has(key)) Object.defineProperty(obj, key, { value, writable: true, enumerable: true, configurable: true });
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
/** A dash alone on its line (a comment aside): the item starts on a later line. */
const LONE_DASH = /^ *-(?: +#.*)? *\r?$/;
const BLANK_OR_COMMENT_LINE = /^ *(?:#.*)?\r?$/;

/** Where a list item's line starts: the line of its dash, when its node starts there or on a later line. */
function itemLine(text: string, first: number): number {
  const ls = lineStart(text, first);
  if (DASH.test(text.slice(ls, first))) return ls;
  if (!SPACES.test(text.slice(ls, first))) return NONE;
  for (let end = ls - 1; end > 0; ) {
    const start = lineStart(text, end);
    const line = text.slice(start, end);
    if (LONE_DASH.test(line)) return start;
    if (!BLANK_OR_COMMENT_LINE.test(line)) return NONE;
    end = start - 1;
  }
  return NONE;
}

// Line breaks and marks the two parsers may read differently; rare in maps, so such files take the exact path.
const UNSURE_TEXT = /[\t\u0085\u2028\u2029\ufeff]|\r(?!\n)/;

const MARKER = /^(?:---|\.\.\.)(?=[ \r\n]|$)/gm;
const BLANK_OR_COMMENTS = /^(?:[ ]*(?:#.*)?(?:\r?\n|$))*$/;

/**
 * Whether the file has a `---` and a `...` marker; undefined unless there is at most one of each, `---` before any
 * content and `...` after it, each alone on its line (a comment aside). The yaml package reads anything else as
 * several documents, which js-yaml may not.
 */
function markers(file: string): { start: boolean; end: boolean } | undefined {
  const text = file.charCodeAt(0) === 0xfeff ? file.slice(1) : file;
  let start = 0;
  let end = 0;
  for (const m of text.matchAll(MARKER)) {
    const lineEnd = text.indexOf('\n', m.index);
    const after = lineEnd < 0 ? text.length : lineEnd + 1;
    if (!BLANK_OR_COMMENTS.test(text.slice(m.index + 3, after))) return undefined;
    if (m[0] === '---') {
      if (++start > 1 || end > 0 || !BLANK_OR_COMMENTS.test(text.slice(0, m.index))) return undefined;
    } else if (++end > 1 || !BLANK_OR_COMMENTS.test(text.slice(after))) return undefined;
  }
  return { start: start > 0, end: end > 0 };
}

/**
 * A piece of the file parsed on its own. A large file is parsed in pieces so that only one piece's events are in
 * memory at a time: runs of whole top-level sections, and runs of a large section's entries under a copy of the
 * section's key line. Each piece is a valid document of its own whose events, less the wrapper its cut added,
 * are the whole file's events for that stretch.
 */
interface Piece {
  /** A copy of the section's key line, for a run of entries; empty otherwise. */
  header: string;
  /** Where the header's section starts, and the stretch of the file this piece holds. */
  headerAt: number;
  from: number;
  to: number;
  /** Wrapper events a cut added at the start (2: document and root; 4: also the section key and its value). */
  skip: 0 | 2 | 4;
  /** Closing events to leave for a later piece (2: root and document; 3: also the section's value). */
  keep: 0 | 2 | 3;
}

/**
 * About this many characters per piece. A piece's events take about 25 times its size; smaller pieces save little
 * more memory and parse slower (js-yaml reads 1 MB pieces about 1.7 times slower per byte than 4 MB ones).
 */
const PIECE = 4 << 20;

/** Read a map file fast: its value and an index of positions, or undefined to leave it to the exact path. */
export function readFast(
  text: string,
  /** Tests cut small files into pieces to compare them with reading them in one. */
  pieceSize = PIECE,
): (FastRead & { pieces: number }) | undefined {
  const marks = UNSURE_TEXT.test(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text) ? undefined : markers(text);
  if (!marks) return undefined;
  const whole: Piece[] = [{ header: '', headerAt: 0, from: 0, to: text.length, skip: 0, keep: 0 }];
  const pieces = text.length > pieceSize ? planPieces(text, pieceSize) : undefined;
  // Whatever goes wrong in pieces (a cut they do not confirm, or anything else) is no verdict: read it in one.
  for (const list of pieces ? [pieces, whole] : [whole]) {
    try {
      return { ...read(text, list, marks), pieces: list.length };
    } catch (err) {
      if (!(err instanceof Decline)) throw err;
    }
  }
  return undefined;
}

function read(text: string, pieces: readonly Piece[], marks: { start: boolean; end: boolean }): FastRead {
  const b = builder(text);
  pieces.forEach((piece, i) => {
    let events: Event[] = [];
    try {
      events = parseEvents(piece.header + text.slice(piece.from, piece.to), {});
    } catch {
      decline('js-yaml');
    }
    const doc = events[0];
    // js-yaml also takes an indented `---` for a document start; the yaml package does not.
    if (doc?.type !== EVENT_ID.DOCUMENT || doc.directives.length > 0) decline('document');
    if ((doc as DocumentEvent).explicitStart !== (i === 0 && marks.start) || (doc as DocumentEvent).explicitEnd !== (i === pieces.length - 1 && marks.end)) {
      decline('markers');
    }
    if (piece.header !== '' || piece.from > 0) shift(events, piece);
    b.feed(events, piece);
  });
  return b.finish();
}

/** Piece offsets to file offsets, in place. */
function shift(events: Event[], piece: Piece): void {
  const h = piece.header.length;
  const to = (o: number): number => (o < 0 ? o : o < h ? piece.headerAt + o : piece.from + o - h);
  // No value, anchor or tag spans the end of the header: ranges move as a whole.
  for (const ev of events) {
    if (ev.type === EVENT_ID.DOCUMENT || ev.type === EVENT_ID.POP) continue;
    if (ev.type === EVENT_ID.SCALAR && ev.valueStart >= 0) [ev.valueStart, ev.valueEnd] = [to(ev.valueStart), to(ev.valueStart) + ev.valueEnd - ev.valueStart];
    if (ev.type === EVENT_ID.MAPPING || ev.type === EVENT_ID.SEQUENCE) ev.start = to(ev.start);
    if (ev.anchorStart >= 0) [ev.anchorStart, ev.anchorEnd] = [to(ev.anchorStart), to(ev.anchorStart) + ev.anchorEnd - ev.anchorStart];
    if (ev.type !== EVENT_ID.ALIAS && ev.tagStart >= 0) [ev.tagStart, ev.tagEnd] = [to(ev.tagStart), to(ev.tagStart) + ev.tagEnd - ev.tagStart];
  }
}

/** Cut a large file into pieces, or undefined when its shape does not allow it. */
function planPieces(text: string, size: number): Piece[] | undefined {
  // Top-level keys start at column 0; so do comments, blank lines and document markers, which belong to no key.
  const tops: number[] = [];
  for (let p = text.charCodeAt(0) === 0xfeff ? 1 : 0; p < text.length; p = nextLine(text, p)) {
    const c = text.charCodeAt(p);
    if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x23) continue;
    // A list may sit at column 0 under its key (`flows:` then `- from: a`).
    const next = text.charCodeAt(p + 1);
    if (c === 0x2d && (next === 0x20 || next === 0x0a || next === 0x0d || Number.isNaN(next))) continue;
    // A directive, or an explicit key whose value line must stay with it.
    if (c === 0x25 || c === 0x3f || c === 0x3a) return undefined;
    if ((c === 0x2d || c === 0x2e) && MARKER_AT.test(text.slice(p, p + 4))) continue;
    tops.push(p);
  }
  if (tops.length === 0) return undefined;
  const pieces: Piece[] = [];
  let from = 0;
  const cut = (to: number, keep: 0 | 2 | 3, next: Partial<Piece>) => {
    const last = pieces[pieces.length - 1];
    pieces.push({ header: '', headerAt: 0, from, to, skip: last ? (last.keep === 3 ? 4 : 2) : 0, keep, ...next });
    from = to;
  };
  for (let i = 0; i < tops.length; i++) {
    const start = tops[i]!;
    const end = tops[i + 1] ?? text.length;
    // A large section is cut between its entries when their lines are clear; otherwise kept whole.
    const entries = end - start > size ? entryStarts(text, start, end) : undefined;
    if (!entries) {
      // Whole sections run together up to the piece size.
      if (end - from >= size) cut(end, 2, {});
      continue;
    }
    const header = text.slice(start, nextLine(text, start));
    let open = false;
    for (const e of entries) {
      if (e - from < size) continue;
      if (!open && from < start) cut(start, 2, {}); // the sections before this one, kept whole
      if (e - from < size) continue;
      cut(e, 3, open ? { header, headerAt: start } : {});
      open = true;
    }
    if (open) cut(end, 2, { header, headerAt: start });
  }
  if (from < text.length) cut(text.length, 0, {});
  const last = pieces[pieces.length - 1]!;
  last.keep = 0;
  return pieces.length > 1 ? pieces : undefined;
}

const MARKER_AT = /^(?:---|\.\.\.)(?:[ \r\n]|$)/;

/** Offsets of the lines where a section's entries start (its body's indentation), or undefined if unsure. */
function entryStarts(text: string, start: number, end: number): number[] | undefined {
  const starts: number[] = [];
  let indent = -1;
  let seq = false;
  for (let p = nextLine(text, start); p < end; p = nextLine(text, p)) {
    let i = p;
    while (text.charCodeAt(i) === 0x20) i++;
    const c = text.charCodeAt(i);
    if (c === 0x0a || c === 0x0d || c === 0x23 || i >= end) continue;
    const width = i - p;
    const dash = c === 0x2d && (text.charCodeAt(i + 1) === 0x20 || text.charCodeAt(i + 1) === 0x0a || text.charCodeAt(i + 1) === 0x0d);
    if (indent < 0) {
      indent = width;
      seq = dash;
      if (indent === 0 && !seq) return undefined;
    }
    if (width < indent) return undefined;
    if (width === indent) {
      if (seq !== dash || c === 0x3f || c === 0x3a) return undefined; // explicit keys are left whole
      starts.push(p);
    }
  }
  return starts.length > 1 ? starts.slice(1) : undefined;
}

/** What the fast path read; `anchored` holds each anchored node's value, to bound what aliases add (limits.ts). */
interface FastRead {
  value: Record<string, unknown>;
  index: MapIndex;
  anchored: unknown[];
}

/** The longest scalar shared through the builder's pool (ids, enum values, class names are all far shorter). */
const MAX_POOLED = 64;

/** A string with storage of its own (not a view into a larger one, not a tree of concatenations). */
function flatCopy(s: string): string {
  return JSON.parse(JSON.stringify(s)) as string;
}

function builder(text: string): { feed(events: Event[], piece: Piece): void; finish(): FastRead } {
  const index: MapIndex = { rootOffset: NONE, sections: new Map() };
  const stack: Frame[] = [];
  // The latest node for each anchor name, as the exact path resolves aliases (the last anchor before the alias).
  const anchors = new Map<string, Anchored>();
  const completed: Anchored[] = [];
  let root: unknown;
  let rootAliases: readonly AliasUse[] = NO_ALIASES;
  let documents = 0;

  const top = (): Frame | undefined => stack[stack.length - 1];
  // Scalars as the map keeps them. One string per distinct short text: an id recurs in every flow and reference that
  // names it. And no string that is a slice of the file: V8 makes a slice of 13 characters or more a view into its
  // parent, so one kept description would keep the whole file (50 MB for a 50 MB map); such texts are copied.
  const pool = new Map<string, string>();
  const own = (s: string): string => {
    if (s.length > MAX_POOLED) return flatCopy(s);
    let kept = pool.get(s);
    if (kept === undefined) {
      kept = s.length < 13 ? s : flatCopy(s);
      pool.set(kept, kept);
    }
    return kept;
  };
  const anchored = (name: string, value: unknown): void => {
    const a: Anchored = { open: false, value, isMap: false, aliases: NO_ALIASES, uses: 0, cap: 1 };
    anchors.set(name, a);
    completed.push(a);
  };

  const mergeInto = (frame: Frame, source: unknown): void => {
    if (source === null || typeof source !== 'object' || Array.isArray(source)) decline('merge source');
    const obj = frame.value as Record<string, unknown>;
    const src = source as Record<string, unknown>;
    for (const k of Object.keys(src)) {
      if (!Object.hasOwn(obj, k)) {
        Object.defineProperty(obj, k, { value: src[k], writable: true, enumerable: true, configurable: true });
        (frame.merged ??= new Set()).add(k);
      }
    }
  };

  /** A key arrived in `frame` (a mapping). */
  const addKey = (frame: Frame, value: unknown, ev: ScalarEvent): void => {
    const plain = ev.style === SCALAR_STYLE.PLAIN;
    if (ev.valueStart === NONE || value === null) decline('empty key'); // an empty or null key: the two parsers name it differently
    const start = plain ? ev.valueStart : ev.valueStart - 1;
    const end = plain ? ev.valueEnd : ev.valueEnd + 1;
    if (end - start > MAX_KEY || (!ev.fast && text.slice(start, end).includes('\n'))) decline('long key');
    let colon = end;
    while (text.charCodeAt(colon) === 0x20) colon++;
    if (colon - start > MAX_KEY) decline('long key');
    const key = typeof value === 'string' ? value : String(value);
    if (key === RESERVED_KEY) decline('reserved key'); // the exact path reports it where it is written
    if (key === '<<') {
      if (!plain || ++frame.merges > 1) decline('merge key'); // a quoted "<<", or two merge keys in one mapping
      frame.keyIsMerge = true;
    } else {
      const obj = frame.value as Record<string, unknown>;
      if (Object.hasOwn(obj, key) && !frame.merged?.has(key)) decline('duplicate key'); // the exact path reports it
      frame.keyIsMerge = false;
    }
    frame.key = key;
    frame.keyEnd = end;
    frame.hasKey = true;
    const props = ev.anchorStart !== NONE;
    const keyOffset = props ? NONE : start;
    const first = props ? ev.anchorStart - 1 : start;
    // A mapping's node starts at its first key, properties excluded (js-yaml's start includes them).
    if (frame.count === 0 && (props || text.charCodeAt(frame.offset) === 0x3f)) frame.offset = NONE;
    if (frame.level === 1) {
      if (key === '<<') decline('root merge');
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
  const add = (value: unknown, offset: number, first: number, aliases: readonly AliasUse[]): void => {
    const frame = top();
    if (!frame) {
      if (root !== undefined) decline('documents');
      root = value;
      rootAliases = aliases;
      return;
    }
    gather(frame, aliases);
    if (!frame.isMap) {
      if (frame.mergeSeq) {
        mergeInto(stack[stack.length - 2]!, value);
        return;
      }
      (frame.value as unknown[]).push(value);
      if (frame.level === 2 && frame.section) {
        const s = frame.section;
        s.offsets.push(offset);
        s.starts.push(first === NONE ? NONE : itemLine(text, first));
      }
      frame.count++;
      return;
    }
    if (!frame.hasKey) decline('complex key'); // a collection or an alias as a key
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
    if (parent?.isMap && !parent.hasKey) decline('complex key'); // a collection as a key
    // A block collection as a mapping's value starts on a line of its own; js-yaml also reads `a: &x b: 1`.
    if (parent?.isMap && style === COLLECTION_BLOCK) {
      const nl = text.indexOf('\n', parent.keyEnd);
      if (nl < 0 || nl >= start) decline('compact mapping');
    }
    const props = anchorStart !== NONE;
    let anchor: Anchored | undefined;
    if (props) {
      anchor = { open: true, value: undefined, isMap, aliases: NO_ALIASES, uses: 0, cap: 1 };
      anchors.set(text.slice(anchorStart, anchorEnd), anchor);
    }
    let mergeSeq = false;
    if (parent?.isMap && parent.hasKey && parent.keyIsMerge) {
      if (!isMap) {
        if (props) decline('merge list');
        mergeSeq = true;
      }
    } else if (parent?.mergeSeq && !isMap) decline('merge list'); // a list inside a merge list
    const level = parent ? parent.level + 1 : 1;
    let section: SectionIndex | undefined;
    if (level === 2 && parent!.isMap && !parent!.keyIsMerge) {
      section = index.sections.get(parent!.key!)!;
      section.kind = isMap ? 'map' : 'seq';
      section.block = style === COLLECTION_BLOCK;
    }
    stack.push({
      isMap,
      block: style === COLLECTION_BLOCK,
      value: isMap ? {} : [],
      level,
      offset: props ? NONE : start,
      first: props ? anchorStart - 1 : start,
      anchor,
      aliases: undefined,
      key: undefined,
      keyEnd: 0,
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
    if (frame.isMap && frame.hasKey) decline('open pair');
    if (frame.mergeSeq) {
      // The merge key's pair is done: its items are merged already.
      const parent = top()!;
      gather(parent, frame.aliases ?? NO_ALIASES);
      parent.hasKey = false;
      parent.keyIsMerge = false;
      parent.count++;
      return;
    }
    if (frame.level === 2 && frame.section) checkEntries(frame);
    if (frame.level === 1) {
      if (!frame.isMap) decline('root');
      checkKeys([...index.sections.keys()], frame.value as Record<string, unknown>);
      index.rootOffset = frame.offset;
    }
    const aliases = frame.aliases ?? NO_ALIASES;
    if (frame.anchor) {
      Object.assign(frame.anchor, { open: false, value: frame.value, aliases: [...aliases] });
      completed.push(frame.anchor);
    }
    add(frame.value, frame.offset, frame.first, aliases);
  };

  /** The index must name exactly the entries the value holds, in the same order, or positions could be wrong. */
  const checkEntries = (frame: Frame): void => {
    const s = frame.section!;
    if (frame.isMap) checkKeys(s.keys, frame.value as Record<string, unknown>);
    else if (s.offsets.length !== (frame.value as unknown[]).length) decline('entries');
  };

  const alias = (name: string, at: number): void => {
    const target = anchors.get(name);
    if (!target || target.open) throw new Decline('alias'); // unknown (the exact path reports it) or recursive
    const frame = top();
    const merging = frame !== undefined && ((frame.isMap && frame.hasKey && frame.keyIsMerge) || frame.mergeSeq);
    if (merging && !target.isMap) decline('merge source');
    add(target.value, NONE, at, [{ target, merge: merging }]);
  };

  /** A piece's events, less the wrapper its cut added, after checking that the wrapper is just that. */
  const feed = (events: Event[], piece: Piece): void => {
    const wrapper = events.slice(0, piece.skip);
    const section = piece.skip === 4 ? top() : undefined;
    const wrapped =
      wrapper.length === piece.skip &&
      (piece.skip === 0 ||
        (stack.length === piece.skip / 2 &&
          wrapper[1]!.type === EVENT_ID.MAPPING &&
          wrapper[1]!.anchorStart === NONE &&
          (piece.skip === 2 ||
            (wrapper[2]!.type === EVENT_ID.SCALAR &&
              wrapper[2]!.anchorStart === NONE &&
              section?.section !== undefined &&
              getScalarValue(text, wrapper[2]!) === section.section.key &&
              wrapper[3]!.type === (section.isMap ? EVENT_ID.MAPPING : EVENT_ID.SEQUENCE)))));
    const end = events.length - piece.keep;
    let closing = true;
    for (let i = end; i < events.length; i++) closing &&= events[i]!.type === EVENT_ID.POP;
    if (!wrapped || !closing) decline('cut');
    for (let i = piece.skip; i < end; i++) step(events[i]!);
    // What the piece leaves open must be just what the next piece continues: a block mapping at column 0 as the
    // root (an indented root would end at the cut), and for a run of entries, the section's block collection.
    if (stack.length !== (piece.keep === 0 ? 0 : piece.keep - 1)) decline('cut');
    const root = stack[0];
    if (
      root &&
      (!root.isMap || !root.block || !(root.first === 0 || text.charCodeAt(root.first - 1) === 0x0a || (root.first === 1 && text.charCodeAt(0) === 0xfeff)))
    ) {
      decline('cut');
    }
    if (piece.keep === 3 && !stack[1]!.block) decline('cut');
  };

  const step = (ev: Event): void => {
    switch (ev.type) {
      case EVENT_ID.DOCUMENT:
        if (++documents > 1) decline('documents');
        break;
      case EVENT_ID.SCALAR: {
        if (ev.tagStart !== NONE) decline('tag');
        const plain = ev.style === SCALAR_STYLE.PLAIN;
        const raw = ev.valueStart === NONE ? '' : own(ev.fast ? text.slice(ev.valueStart, ev.valueEnd) : getScalarValue(text, ev));
        const value = plain ? resolvePlain(raw) : raw;
        const frame = top();
        if (frame?.isMap && !frame.hasKey) {
          if (ev.anchorStart !== NONE) anchored(text.slice(ev.anchorStart, ev.anchorEnd), value);
          addKey(frame, value, ev);
          break;
        }
        if (frame && ((frame.isMap && frame.keyIsMerge) || frame.mergeSeq)) decline('merge source'); // a merge source that is no mapping
        if (ev.anchorStart !== NONE) anchored(text.slice(ev.anchorStart, ev.anchorEnd), value);
        const props = ev.anchorStart !== NONE;
        const block = ev.style === SCALAR_STYLE.LITERAL_BLOCK || ev.style === SCALAR_STYLE.FOLDED_BLOCK;
        const start = ev.valueStart === NONE ? EMPTY : block ? NONE : plain ? ev.valueStart : ev.valueStart - 1;
        add(value, props ? NONE : start, props ? ev.anchorStart - 1 : start < 0 ? NONE : start, NO_ALIASES);
        break;
      }
      case EVENT_ID.MAPPING:
      case EVENT_ID.SEQUENCE:
        if (ev.tagStart !== NONE) decline('tag');
        open(ev.type === EVENT_ID.MAPPING, ev.start, ev.anchorStart, ev.anchorEnd, ev.style);
        break;
      case EVENT_ID.ALIAS:
        alias(text.slice(ev.anchorStart, ev.anchorEnd), ev.anchorStart - 1);
        break;
      case EVENT_ID.POP:
        if (stack.length > 0) close();
        break;
    }
  };

  const finish = (): FastRead => {
    if (root === null || typeof root !== 'object' || Array.isArray(root)) decline('root');
    checkAliases(rootAliases, completed);
    finishSections(text, index);
    return { value: root as Record<string, unknown>, index, anchored: completed.map((a) => a.value) };
  };

  return { feed, finish };
}

/** Adds a child's aliases to a frame's. */
function gather(frame: Frame, aliases: readonly AliasUse[]): void {
  if (aliases.length === 0) return;
  frame.aliases ??= [];
  for (const a of aliases) frame.aliases.push(a);
}

/**
 * The exact path (the yaml package's toJS) fails once an anchor's resolutions times the aliases it counts inside
 * the anchored node exceed MAX_ALIAS_COUNT; this declines whenever an upper bound of that could. Each alias resolves
 * its anchor once, and a merge key converts its source again, resolving every alias inside it once more.
 */
function checkAliases(all: readonly AliasUse[], anchored: readonly Anchored[]): void {
  let budget = 100 * MAX_ALIAS_COUNT;
  const convert = (list: readonly AliasUse[]): void => {
    for (const a of list) {
      if (--budget < 0) decline('alias work');
      a.target.uses++;
      if (a.merge) convert(a.target.aliases);
    }
  };
  convert(all);
  // Anchored nodes in the order they ended, so every alias inside one points at a node already bounded.
  for (const a of anchored) {
    for (const inner of a.aliases) a.cap = Math.max(a.cap, (inner.target.uses + 1) * inner.target.cap);
    if (a.uses > 0 && (a.uses + 1) * a.cap > MAX_ALIAS_COUNT) decline('alias bound');
  }
}

/** Marks an empty scalar: its node has no text, so the tree points at its key instead. */
const EMPTY = -2;

function checkKeys(keys: string[], value: Record<string, unknown>): void {
  const actual = Object.keys(value);
  if (actual.length !== keys.length) decline('keys');
  // Integer-like keys come first in a JS object whatever the file's order; build the same object to compare.
  const probe: Record<string, unknown> = {};
  for (const k of keys) setKey(probe, k, true);
  const expected = Object.keys(probe);
  for (let i = 0; i < actual.length; i++) if (actual[i] !== expected[i]) decline('keys');
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
