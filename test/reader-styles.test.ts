/**
 * Property: on maps written in varied YAML styles (test/support/yaml-styles.ts), the fast reader gives exactly the
 * exact reader's value and, for every node id, flow item and a sample of deeper paths (present and missing), the
 * same `locate` position, at the key and at the value, mostly without a tree of the whole file. The fast path must
 * actually be taken on most samples.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { locate, type SourceFile, type YamlPath } from '../src/source/positions.js';
import { type MapSource, readMapSource } from '../src/source/read-map.js';
import { styledMapArb } from './support/yaml-styles.js';

type Ok = Extract<MapSource, { ok: true }>;

/** Deep equality that also requires the same key order (what Object.entries hands to the rest of the pipeline). */
function sameValue(a: unknown, b: unknown, at = '$'): string | undefined {
  if (Object.is(a, b)) return undefined;
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return `${at}: length ${a.length} vs ${b.length}`;
    for (let i = 0; i < a.length; i++) {
      const d = sameValue(a[i], b[i], `${at}[${i}]`);
      if (d) return d;
    }
    return undefined;
  }
  if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    if (ka.join('\0') !== kb.join('\0')) return `${at}: keys ${JSON.stringify(ka)} vs ${JSON.stringify(kb)}`;
    for (const k of ka) {
      const d = sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${at}.${k}`);
      if (d) return d;
    }
    return undefined;
  }
  return `${at}: ${String(a)} vs ${String(b)}`;
}

/** Every section, node id and flow item, and deeper paths into a sample of them, present and missing. */
function probePaths(value: Record<string, unknown>, every = 1): YamlPath[] {
  const paths: YamlPath[] = [[], ['no_such_section'], ['no_such_section', 'x']];
  for (const [section, body] of Object.entries(value)) {
    paths.push([section], [section, 'missing-id'], [section, 0], [section, 'missing-id', 'field']);
    const deep = (base: YamlPath, v: unknown, depth: number) => {
      if (depth > 3 || v === null || typeof v !== 'object') return;
      const entries: [string | number, unknown][] = Array.isArray(v) ? v.map((x, i) => [i, x]) : Object.entries(v);
      for (const [k, x] of entries) {
        paths.push([...base, k]);
        deep([...base, k], x, depth + 1);
      }
      paths.push([...base, 'missing'], [...base, 99], [...base, 'missing', 'deeper']);
    };
    const items: [string | number, unknown][] = Array.isArray(body) ? body.map((x, i) => [i, x]) : body && typeof body === 'object' ? Object.entries(body) : [];
    items.forEach(([k, item], i) => {
      paths.push([section, k]);
      if (i % every === 0) deep([section, k], item, 0);
    });
    if (Array.isArray(body)) paths.push([section, body.length], [section, -1], [section, 'x']);
  }
  return paths;
}

function comparePositions(fast: SourceFile, exact: SourceFile, paths: readonly YamlPath[]): void {
  for (const path of paths) {
    for (const at of ['key', 'value'] as const) {
      expect(locate({ source: fast, path }, at), `${JSON.stringify(path)} at ${at}`).toEqual(locate({ source: exact, path }, at));
    }
  }
}

describe('the fast reader on varied YAML styles (property)', () => {
  it('gives the exact reader value and positions, and is taken on most samples', () => {
    let runs = 0;
    let taken = 0;
    let whole = 0;
    fc.assert(
      fc.property(styledMapArb, ({ sample, text }) => {
        runs++;
        const exact = readMapSource('map.yaml', text, { fast: false });
        // The writer itself must be right: the text reads back as the document it was written from.
        if (!exact.ok) throw new Error(`styled text does not parse: ${JSON.stringify(exact.diagnostics)}\n${text}`);
        expect(exact.value).toEqual(sample.doc);
        const fast = readMapSource('map.yaml', text);
        if (!fast.fast) return;
        taken++;
        const ok = fast as Ok;
        const diff = sameValue(ok.value, exact.value);
        if (diff) throw new Error(`values differ at ${diff}\n${text}`);
        comparePositions(ok.source, exact.source, probePaths(exact.value));
        if ((ok.source.locator as unknown as { whole?: unknown }).whole) whole++;
      }),
      { numRuns: 200 },
    );
    expect(taken / runs).toBeGreaterThan(0.8);
    // Positions come from the index and from entries or sections parsed alone, rarely from a tree of the whole file.
    expect(whole / taken).toBeLessThan(0.2);
  }, 120_000);

  it('gives the same when it parses the file in pieces of any size', () => {
    let cut = 0;
    fc.assert(
      fc.property(styledMapArb, fc.integer({ min: 1, max: 300 }), ({ text }, size) => {
        const exact = readMapSource('map.yaml', text, { fast: false });
        const pieces = readMapSource('map.yaml', text, { pieceSize: size });
        if (!pieces.fast || !exact.ok) return;
        if (pieces.fast.pieces > 1) cut++;
        const diff = sameValue((pieces as Ok).value, exact.value);
        if (diff) throw new Error(`values differ at ${diff}\n${text}`);
        comparePositions((pieces as Ok).source, exact.source, probePaths(exact.value, 3));
      }),
      { numRuns: 150 },
    );
    // Most samples are actually read in several pieces (a cut the pieces do not confirm is read in one).
    expect(cut).toBeGreaterThan(75);
  }, 120_000);
});
