/**
 * The fast path for large map files. The yaml package's syntax tree costs about 60 bytes of memory per byte of
 * YAML, so a 10 MB map would need over a gigabyte parsed whole. A map is a handful of top-level sections, each a
 * long list of ids or flows, so a large file is parsed in pieces of a bounded size: a section, or a run of a
 * section's items under a copy of its header line. Only the values and the offsets of node ids and flow items are
 * kept; each piece's syntax tree is dropped as soon as it is read.
 *
 * This path never reports an error. Anything it is not sure of (anchors and aliases, tags, directives, several
 * documents, a top-level line it does not recognise, a piece that does not parse, a repeated key) makes it give up,
 * and the file is parsed whole, which reports every problem with its exact position.
 */
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Pair } from 'yaml';
import { duplicateKeys } from './parse.js';
import { anchorKey, type SourceFile } from './positions.js';

/** Files smaller than this are parsed whole: the pieces would save nothing. */
export const CHUNKED_FROM = 1 << 20;
/** A piece's size; its syntax tree takes about 60 times this. */
const PIECE = 256 << 10;

const TOP_KEY = /^([a-z_][a-z0-9_]*)[ \t]*:(?:[ \t]|$)/;
const NODE_SECTIONS = new Set(['vendors', 'services', 'stores', 'logs']);
// Anchors, aliases, tags, directives, document markers, complex keys and merge keys need the whole document.
const NEEDS_WHOLE = /(?:^|[\s[{,])[&*!][^\s]|^%|^---|^\.\.\.|^\?|<<\s*:/m;

interface Section {
  key: string;
  /** Offset of the key line, of the first line after it, and of the section's end. */
  start: number;
  bodyStart: number;
  end: number;
}

function lineCounter(text: string): LineCounter {
  const lines = new LineCounter();
  lines.addNewLine(0);
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lines.addNewLine(i + 1);
  return lines;
}

function sections(text: string): Section[] | undefined {
  const out: Section[] = [];
  let pos = 0;
  while (pos < text.length) {
    const nl = text.indexOf('\n', pos);
    const lineEnd = nl < 0 ? text.length : nl;
    const c = text[pos];
    if (c !== undefined && c !== ' ' && c !== '\t' && c !== '#' && c !== '\n' && c !== '\r') {
      const m = TOP_KEY.exec(text.slice(pos, Math.min(lineEnd, pos + 200)));
      if (!m) return undefined;
      const last = out[out.length - 1];
      if (last) last.end = pos;
      out.push({ key: m[1]!, start: pos, bodyStart: nl < 0 ? text.length : nl + 1, end: text.length });
    } else if (out.length === 0 && c !== '#' && text.slice(pos, lineEnd).trim() !== '') {
      return undefined; // indented content before any key
    }
    pos = lineEnd + 1;
  }
  return out;
}

/** Offsets where the items of a section's body start: lines at the body's own indentation. */
function itemStarts(text: string, from: number, to: number): number[] | undefined {
  const starts: number[] = [];
  let indent = -1;
  let seq = false;
  let pos = from;
  while (pos < to) {
    const nl = text.indexOf('\n', pos);
    const lineEnd = nl < 0 || nl > to ? to : nl;
    let i = pos;
    while (i < lineEnd && text[i] === ' ') i++;
    const c = text[i];
    if (i < lineEnd && c !== '#' && c !== '\r') {
      const width = i - pos;
      if (indent < 0) {
        indent = width;
        seq = c === '-';
        if (indent === 0 && !seq) return undefined;
      }
      if (width === indent) {
        if (seq ? c !== '-' : !/[a-z0-9"']/i.test(c ?? '')) return undefined;
        starts.push(pos);
      } else if (width < indent) return undefined;
    }
    pos = lineEnd + 1;
  }
  return starts;
}

/** Parse a large map file in pieces; undefined when the file must be parsed whole. */
export function parseChunked(displayPath: string, text: string): { source: SourceFile; value: Record<string, unknown> } | undefined {
  if (text.length < CHUNKED_FROM || NEEDS_WHOLE.test(text) || text.includes('\t')) return undefined;
  const list = sections(text);
  if (!list || list.length === 0) return undefined;
  const value: Record<string, unknown> = {};
  const anchors = new Map<string, number>();
  let flowIndex = 0;

  for (const sec of list) {
    if (sec.key in value) return undefined;
    const header = text.slice(sec.start, sec.bodyStart);
    const headerLine = header.endsWith('\n') ? header : `${header}\n`;
    // Pieces: the whole section when small, else runs of its items under a copy of the header line.
    let pieces: [number, number][];
    if (sec.end - sec.start <= PIECE || sec.bodyStart >= sec.end) {
      pieces = [[sec.bodyStart, sec.end]];
    } else {
      const starts = itemStarts(text, sec.bodyStart, sec.end);
      if (!starts || starts.length === 0) return undefined;
      pieces = [];
      let from = sec.bodyStart;
      for (let i = 1; i < starts.length; i++) {
        if (starts[i]! - from >= PIECE) {
          pieces.push([from, starts[i]!]);
          from = starts[i]!;
        }
      }
      pieces.push([from, sec.end]);
    }
    const seenKeys = new Set<string>();
    for (const [from, to] of pieces) {
      const piece = headerLine + text.slice(from, to);
      const doc = parseDocument(piece, { uniqueKeys: false, prettyErrors: false, merge: false });
      if (doc.errors.length > 0 || duplicateKeys(doc).length > 0 || !isMap(doc.contents)) return undefined;
      const pairs = doc.contents.items as Pair[];
      if (pairs.length !== 1 || !isScalar(pairs[0]!.key) || String(pairs[0]!.key.value) !== sec.key) return undefined;
      // Offsets in the piece map back to the file: the header is the section's own first line.
      const toFile = (offset: number) => (offset < headerLine.length ? sec.start + offset : from + offset - headerLine.length);
      const body = pairs[0]!.value;
      if (NODE_SECTIONS.has(sec.key) && isMap(body)) {
        for (const p of body.items as Pair[]) {
          if (!isScalar(p.key)) return undefined;
          const id = String(p.key.value);
          if (seenKeys.has(id)) return undefined;
          seenKeys.add(id);
          anchors.set(anchorKey(sec.key, id), toFile(p.key.range?.[0] ?? 0));
        }
      } else if (sec.key === 'flows' && isSeq(body)) {
        for (const item of body.items) anchors.set(anchorKey('flows', flowIndex++), toFile((item as { range?: number[] }).range?.[0] ?? 0));
      } else if (pieces.length > 1 && isMap(body)) {
        for (const p of body.items as Pair[]) {
          const k = isScalar(p.key) ? String(p.key.value) : undefined;
          if (k === undefined || seenKeys.has(k)) return undefined;
          seenKeys.add(k);
        }
      }
      const part = (doc.toJS() as Record<string, unknown>)[sec.key];
      const prev = value[sec.key];
      if (prev === undefined) value[sec.key] = part;
      else if (Array.isArray(prev) && Array.isArray(part)) prev.push(...part);
      else if (prev && part && typeof prev === 'object' && typeof part === 'object' && !Array.isArray(prev) && !Array.isArray(part)) Object.assign(prev, part);
      else return undefined;
    }
  }
  return { source: { path: displayPath, lines: lineCounter(text), anchors }, value };
}
