/**
 * The map-file reader: one function, two paths. The fast path (fast-read.ts: js-yaml events, an index of positions)
 * reads a valid map several times faster than the yaml package; when it is unsure of anything it declines, and the
 * exact path (yaml.ts: the yaml package's syntax tree) reads the file and reports every problem at its position.
 * Both give the same value, and the same position for every path (fast-positions.ts).
 */
import { readFast } from './fast-read.js';
import { FastLocator } from './fast-positions.js';
import { lineTable } from './positions.js';
import { parseYaml, type ParseResult } from './yaml.js';

export type MapSource = ParseResult & { fast?: boolean };

export function readMapSource(displayName: string, text: string, options: { fast?: boolean } = {}): MapSource {
  if (options.fast !== false) {
    const read = readFast(text);
    if (read) {
      const source = { path: displayName, lines: lineTable(text), locator: new FastLocator(text, read.index) };
      return { ok: true, source, value: read.value, fast: true };
    }
  }
  return parseYaml(displayName, text, 'a PHI map');
}
