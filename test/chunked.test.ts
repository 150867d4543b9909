/** Property: reading a map in pieces gives exactly the values and id positions a whole parse gives, or declines. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isMap, isSeq, parseDocument, type Pair } from 'yaml';
import { parseChunked } from '../src/source/chunked.js';
import { anchorKey } from '../src/source/positions.js';
import { validMapArb } from './support/arbitraries.js';

const NODE_SECTIONS = ['vendors', 'services', 'stores', 'logs'];

/** Values and id/flow offsets from one whole parse, the reference for the piecewise reader. */
function whole(text: string): { value: unknown; anchors: Map<string, number> } {
  const doc = parseDocument(text, { uniqueKeys: false });
  const anchors = new Map<string, number>();
  if (isMap(doc.contents)) {
    for (const pair of doc.contents.items as Pair[]) {
      const section = String((pair.key as { value: unknown }).value);
      const body = pair.value;
      if (NODE_SECTIONS.includes(section) && isMap(body)) {
        for (const p of body.items as Pair[]) anchors.set(anchorKey(section, String((p.key as { value: unknown }).value)), (p.key as { range: number[] }).range[0]!);
      }
      if (section === 'flows' && isSeq(body)) body.items.forEach((item, i) => anchors.set(anchorKey('flows', i), (item as { range: number[] }).range[0]!));
    }
  }
  return { value: doc.toJS(), anchors };
}

describe('reading in pieces (property)', () => {
  it('matches a whole parse on generated maps cut into pieces of every size', () => {
    let taken = 0;
    fc.assert(
      fc.property(validMapArb, fc.integer({ min: 1, max: 400 }), ({ text }, piece) => {
        const pieces = parseChunked('map.yaml', text, { from: 0, piece });
        if (!pieces) return; // declined: the file is parsed whole instead
        taken++;
        const ref = whole(text);
        expect(pieces.value).toEqual(ref.value);
        expect(new Map(pieces.source.anchors)).toEqual(ref.anchors);
      }),
      { numRuns: 200 },
    );
    // Most generated maps are plain enough to be read in pieces; the property must not pass by declining.
    expect(taken).toBeGreaterThan(100);
  }, 120_000);

  it('declines what only a whole parse can read', () => {
    const base = 'version: 1\nservices:\n  a: { data: [phi] }\n  b: {}\n';
    const small = { from: 0, piece: 8 };
    expect(parseChunked('m', base, small)).toBeDefined();
    for (const text of [
      `${base}  c: &x { data: [phi] }\n  d: *x\n`,
      `%YAML 1.2\n---\n${base}`,
      `${base}  c: !!str 1\n`,
      `${base}services:\n  c: {}\n`,
      `${base}  a: {}\n`,
      `${base}  c: {}\n\t\n`,
      `${base}  c: { data: [phi],\n  interactive: true }\n`,
      `  indented: 1\n${base}`,
    ]) {
      expect(parseChunked('m', text, small), JSON.stringify(text)).toBeUndefined();
    }
  });
});
