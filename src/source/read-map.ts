/**
 * The map-file reader: one function, two paths. The fast path (fast-read.ts: js-yaml events, an index of positions)
 * reads a valid map several times faster than the yaml package; when it is unsure of anything it declines, and the
 * exact path (yaml.ts: the yaml package's syntax tree) reads the file and reports every problem at its position.
 * Both give the same value, and the same position for every path (fast-positions.ts).
 */

import { FastLocator } from './fast-positions.js';
import { readFast } from './fast-read.js';
import { aliasGrowth, DEFAULT_LIMITS, type InputLimits } from './limits.js';
import { lineTable } from './positions.js';
import { type ParseResult, parseYaml, shapeDiagnostic } from './yaml.js';

/** `fast`: read by the fast path, in this many pieces. */
export type MapSource = ParseResult & { fast?: { pieces: number } };

export interface ReadOptions {
  /** False reads with the exact path only (tests compare the two). */
  fast?: boolean;
  /** Characters per piece the fast path parses at a time (tests cut small files into pieces). */
  pieceSize?: number;
  /** Line length and alias expansion limits (limits.ts). */
  limits?: InputLimits;
}

export function readMapSource(displayName: string, text: string, options: ReadOptions = {}): MapSource {
  const limits = options.limits ?? DEFAULT_LIMITS;
  // Before either reader: both recurse per level of nesting, and a huge line costs many times its size.
  const shape = shapeDiagnostic(displayName, text, 'a PHI map', limits);
  if (shape) return { ok: false, diagnostics: [shape] };
  if (options.fast !== false) {
    const read = readFast(text, options.pieceSize);
    // Aliases past the limit: the exact path refuses them, at the first alias.
    if (read && aliasGrowth(read.value, read.anchored, limits.maxAliasNodes) <= limits.maxAliasNodes) {
      const source = { path: displayName, lines: lineTable(text), locator: new FastLocator(text, read.index) };
      return { ok: true, source, value: read.value, fast: { pieces: read.pieces } };
    }
  }
  return parseYaml(displayName, text, 'a PHI map', limits);
}
