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
import { duplicateKeys } from './yaml.js';
import { anchorKey, type SourceFile } from './positions.js';
import { parsePieces } from './pieces-parallel.js';

/** Files smaller than this are parsed whole: the pieces would save nothing. */
export const CHUNKED_FROM = 1 << 20;
/** A piece's size; its syntax tree takes about 60 times this. */
const PIECE = 64 << 10;

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

/** One piece to parse: a section's header line and a run of its body, with where both sit in the file. */
export interface PieceJob {
  key: string;
  headerLine: string;
  body: string;
  /** File offsets of the header line and of the body. */
  sectionStart: number;
  from: number;
}

/** What a piece gives: the section's value for this run, and the file offsets of its keys or items. */
export interface PieceResult {
  part: unknown;
  /** For a mapping: its keys and their file offsets; for a sequence: its items' file offsets. */
  keys: [string, number][];
  items: number[];
}

/** Parse one piece; null when anything about it means the file must be parsed whole. */
export function parsePiece(job: PieceJob): PieceResult | null {
  const doc = parseDocument(job.headerLine + job.body, { uniqueKeys: false, prettyErrors: false, merge: false });
  if (doc.errors.length > 0 || duplicateKeys(doc).length > 0 || !isMap(doc.contents)) return null;
  const pairs = doc.contents.items as Pair[];
  if (pairs.length !== 1 || !isScalar(pairs[0]!.key) || String(pairs[0]!.key.value) !== job.key) return null;
  // Offsets in the piece map back to the file: the header is the section's own first line.
  const h = job.headerLine.length;
  const toFile = (offset: number) => (offset < h ? job.sectionStart + offset : job.from + offset - h);
  const body = pairs[0]!.value;
  const keys: [string, number][] = [];
  const items: number[] = [];
  if (isMap(body)) {
    for (const p of body.items as Pair[]) {
      if (!isScalar(p.key)) return null;
      keys.push([String(p.key.value), toFile(p.key.range?.[0] ?? 0)]);
    }
  } else if (isSeq(body)) {
    for (const item of body.items) items.push(toFile((item as { range?: number[] }).range?.[0] ?? 0));
  }
  return { part: (doc.toJS() as Record<string, unknown>)[job.key], keys, items };
}

function plan(text: string, pieceSize: number): PieceJob[] | undefined {
  const list = sections(text);
  if (!list || list.length === 0) return undefined;
  const jobs: PieceJob[] = [];
  const seen = new Set<string>();
  for (const sec of list) {
    if (seen.has(sec.key)) return undefined;
    seen.add(sec.key);
    const header = text.slice(sec.start, sec.bodyStart);
    const headerLine = header.endsWith('\n') ? header : `${header}\n`;
    const job = (from: number, to: number): PieceJob => ({ key: sec.key, headerLine, body: text.slice(from, to), sectionStart: sec.start, from });
    // The whole section when small, else runs of its items under a copy of the header line.
    if (sec.end - sec.start <= pieceSize || sec.bodyStart >= sec.end) {
      jobs.push(job(sec.bodyStart, sec.end));
      continue;
    }
    const starts = itemStarts(text, sec.bodyStart, sec.end);
    if (!starts || starts.length === 0) return undefined;
    let from = sec.bodyStart;
    for (let i = 1; i < starts.length; i++) {
      if (starts[i]! - from >= pieceSize) {
        jobs.push(job(from, starts[i]!));
        from = starts[i]!;
      }
    }
    jobs.push(job(from, sec.end));
  }
  return jobs;
}

/** Parse a large map file in pieces; undefined when the file must be parsed whole. */
export function parseChunked(
  displayPath: string,
  text: string,
  /** Tests make pieces of small files to compare them with a whole parse. */
  sizes: { from: number; piece: number } = { from: CHUNKED_FROM, piece: PIECE },
): { source: SourceFile; value: Record<string, unknown> } | undefined {
  if (text.length < sizes.from || NEEDS_WHOLE.test(text) || text.includes('\t')) return undefined;
  const jobs = plan(text, sizes.piece);
  if (!jobs) return undefined;
  const results = parsePieces(jobs);
  if (!results) return undefined;

  const value: Record<string, unknown> = {};
  const anchors = new Map<string, number>();
  const seenKeys = new Map<string, Set<string>>();
  let flowIndex = 0;
  for (let i = 0; i < jobs.length; i++) {
    const { key } = jobs[i]!;
    const r = results[i]!;
    let seen = seenKeys.get(key);
    if (!seen) seenKeys.set(key, (seen = new Set()));
    for (const [k, offset] of r.keys) {
      if (seen.has(k)) return undefined; // a key repeated across pieces: the whole parse reports it
      seen.add(k);
      if (NODE_SECTIONS.has(key)) anchors.set(anchorKey(key, k), offset);
    }
    if (key === 'flows') for (const offset of r.items) anchors.set(anchorKey('flows', flowIndex++), offset);
    const prev = value[key];
    const part = r.part;
    if (prev === undefined) value[key] = part;
    else if (Array.isArray(prev) && Array.isArray(part)) for (const x of part) prev.push(x);
    else if (prev && part && typeof prev === 'object' && typeof part === 'object' && !Array.isArray(prev) && !Array.isArray(part)) Object.assign(prev, part);
    else return undefined;
  }
  return { source: { path: displayPath, lines: lineCounter(text), anchors }, value };
}
