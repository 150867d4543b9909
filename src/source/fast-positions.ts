/**
 * Positions in a file read by the fast path, exactly as the exact path's syntax tree would give them, without
 * parsing the whole file. Node ids and flow items (every node and flow needs one) come straight from the index.
 * A deeper path is found by parsing only its entry (a copy of the section's key line plus the entry's lines) with
 * the yaml package and mapping the offset back; failing that its section; and only as a last resort the whole
 * file, parsed once when first needed.
 */
import { type Document, isMap, isSeq, parseDocument } from 'yaml';
import type { MapIndex, SectionIndex } from './fast-read.js';
import { offsetInDoc, type PathLocator, type YamlPath } from './positions.js';

const NONE = -1;
/** Entries parsed recently, kept for the next diagnostics (several usually concern one entry). */
const CACHE = 64;

/** A piece of the file parsed on its own: offsets below `header` map to `headerAt`, the rest to `bodyAt`. */
interface Piece {
  doc: Document.Parsed;
  header: number;
  headerAt: number;
  bodyAt: number;
}

const parse = (text: string): Document.Parsed => parseDocument(text, { uniqueKeys: false, prettyErrors: false, merge: true });

export class FastLocator implements PathLocator {
  private readonly pieces = new Map<string, Piece | null>();
  private whole: Document.Parsed | undefined;

  constructor(
    private readonly text: string,
    private readonly index: MapIndex,
  ) {}

  offset(path: YamlPath, at: 'key' | 'value'): number {
    return this.fromIndex(path, at) ?? this.fromPiece(path, at) ?? this.fromWhole(path, at);
  }

  /** What the index knows for sure: the root, section keys and values, entry keys, flow items, missing entries. */
  private fromIndex(path: YamlPath, at: 'key' | 'value'): number | undefined {
    const { rootOffset, sections } = this.index;
    if (path.length === 0) return known(rootOffset);
    const s = sections.get(String(path[0]));
    // A missing section: the tree points at the root mapping.
    if (!s) return known(rootOffset);
    if (path.length === 1) return known(at === 'key' ? s.keyOffset : s.valueOffset);
    const n = entryOf(s, path[1]!);
    // A missing entry, or a path into a scalar: the tree points at the section's key.
    if (n === undefined) return known(s.keyOffset);
    if (path.length === 2 && (at === 'key' || s.kind === 'seq')) return known(s.offsets[n]!);
    return undefined;
  }

  private fromPiece(path: YamlPath, at: 'key' | 'value'): number | undefined {
    const s = this.index.sections.get(String(path[0]));
    if (!s || s.end === NONE) return undefined;
    const n = path.length >= 2 ? entryOf(s, path[1]!) : undefined;
    const piece = n !== undefined && s.sliced ? this.entryPiece(s, n) : this.sectionPiece(s);
    if (!piece) return undefined;
    // Inside an entry's piece the list item is the first and only one.
    const inner = piece.header > 0 && s.kind === 'seq' ? [path[0]!, 0, ...path.slice(2)] : path;
    const o = offsetInDoc(piece.doc, inner, at);
    if (o === undefined) return 0;
    return o < piece.header ? piece.headerAt + o : piece.bodyAt + (o - piece.header);
  }

  private fromWhole(path: YamlPath, at: 'key' | 'value'): number {
    this.whole ??= parse(this.text);
    return offsetInDoc(this.whole, path, at) ?? 0;
  }

  private entryPiece(s: SectionIndex, n: number): Piece | undefined {
    const id = `${s.key}\0${n}`;
    let piece = this.pieces.get(id);
    if (piece === undefined) {
      const header = this.text.slice(s.keyOffset, s.headerEnd);
      const from = s.starts[n]!;
      const doc = parse(header + this.text.slice(from, s.starts[n + 1] ?? s.end));
      // The piece must hold just this entry, or it is not the file's structure.
      const body = sectionBody(doc, s.key);
      const entryKey = s.keys[n];
      const ok =
        body !== undefined &&
        (s.kind === 'seq'
          ? isSeq(body) && body.items.length === 1
          : isMap(body) && body.items.length === 1 && String((body.items[0]!.key as { value?: unknown } | null)?.value) === entryKey);
      piece = ok ? { doc, header: header.length, headerAt: s.keyOffset, bodyAt: from } : null;
      this.remember(id, piece);
    }
    return piece ?? this.sectionPiece(s);
  }

  private sectionPiece(s: SectionIndex): Piece | undefined {
    const id = s.key;
    let piece = this.pieces.get(id);
    if (piece === undefined) {
      const doc = parse(this.text.slice(s.keyOffset, s.end));
      piece = sectionBody(doc, s.key) !== undefined ? { doc, header: 0, headerAt: s.keyOffset, bodyAt: s.keyOffset } : null;
      this.remember(id, piece);
    }
    return piece ?? undefined;
  }

  private remember(id: string, piece: Piece | null): void {
    if (this.pieces.size >= CACHE) this.pieces.delete(this.pieces.keys().next().value!);
    this.pieces.set(id, piece);
  }
}

function known(offset: number): number | undefined {
  return offset >= 0 ? offset : undefined;
}

/** Entry number of a path segment in a section, as the tree walk would find it; undefined when there is none. */
function entryOf(s: SectionIndex, seg: string | number): number | undefined {
  if (s.kind === 'map') return s.entries.get(String(seg));
  if (s.kind === 'seq') return typeof seg === 'number' && seg >= 0 && seg < s.offsets.length && Number.isInteger(seg) ? seg : undefined;
  return undefined;
}

/** The value of a piece's single top-level key, when the piece parsed cleanly into exactly that. */
function sectionBody(doc: Document.Parsed, key: string): unknown {
  if (doc.errors.length > 0 || !isMap(doc.contents) || doc.contents.items.length !== 1) return undefined;
  const pair = doc.contents.items[0]!;
  if (String((pair.key as { value?: unknown } | null)?.value) !== key) return undefined;
  return pair.value ?? undefined;
}
