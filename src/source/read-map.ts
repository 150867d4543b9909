/**
 * The map-file reader: one function, two paths. The fast path (fast-read.ts: js-yaml events, an index of positions)
 * reads a valid map several times faster than the yaml package; when it is unsure of anything it declines, and the
 * exact path (yaml.ts: the yaml package's syntax tree) reads the file and reports every problem at its position.
 * Both give the same value, and the same position for every path (fast-positions.ts).
 */

import { FastLocator } from './fast-positions.js';
import { readFast } from './fast-read.js';
import { lineTable } from './positions.js';
import { type ParseResult, parseYaml } from './yaml.js';

/** `fast`: read by the fast path, in this many pieces. */
export type MapSource = ParseResult & { fast?: { pieces: number } };

export interface ReadOptions {
  /** False reads with the exact path only (tests compare the two). */
  fast?: boolean;
  /** Characters per piece the fast path parses at a time (tests cut small files into pieces). */
  pieceSize?: number;
}

export function readMapSource(displayName: string, text: string, options: ReadOptions = {}): MapSource {
  if (options.fast !== false) {
    const read = readFast(text, options.pieceSize);
    if (read) {
      const source = { path: displayName, lines: lineTable(text), locator: new FastLocator(text, read.index) };
      return { ok: true, source, value: read.value, fast: { pieces: read.pieces } };
    }
  }
  return parseYaml(displayName, text, 'a PHI map');
}
