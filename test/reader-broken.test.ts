/**
 * Property: broken maps give identical diagnostics, and valid ones identical maps (ids, flows and their positions),
 * whether or not the fast reader may read them, and however small the pieces it cuts a file into. Covers the generic
 * broken-map generator and broken maps written in varied YAML styles, where the fast reader reads the YAML and must
 * position schema and reference errors exactly.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validateMapText } from '../src/map/load.js';
import { mergeFiles } from '../src/map/merge.js';
import { position } from '../src/source/positions.js';
import { type ReadOptions, readMapSource } from '../src/source/read-map.js';
import { brokenMapArb } from './support/arbitraries.js';
import { brokenStyledArb } from './support/yaml-styles.js';

/**
 * Anchored mappings that alias and merge earlier ones, then used many times: around the exact path's bound of
 * 10,000 alias resolutions (its "billion laughs" check), so some pass it and some do not.
 */
const aliasWebArb = fc
  .array(
    fc.record({
      refs: fc.array(fc.record({ to: fc.nat(), merge: fc.boolean() }), { maxLength: 4 }),
      uses: fc.oneof(fc.nat({ max: 20 }), fc.integer({ min: 50, max: 3000 })),
    }),
    { minLength: 1, maxLength: 4 },
  )
  .map((anchors) => {
    const lines = ['version: 1', 'web:'];
    anchors.forEach((a, i) => {
      lines.push(`  a${i}: &a${i}`, `    own${i}: ${i}`);
      const earlier = i === 0 ? [] : a.refs.map((r) => ({ ...r, to: r.to % i }));
      const merges = [...new Set(earlier.filter((r) => r.merge).map((r) => r.to))];
      if (merges.length > 0) lines.push(`    <<: [${merges.map((t) => `*a${t}`).join(', ')}]`);
      earlier
        .filter((r) => !r.merge)
        .forEach((r, k) => {
          lines.push(`    ref${k}: *a${r.to}`);
        });
    });
    lines.push('uses:');
    anchors.forEach((a, i) => {
      for (let k = 0; k < a.uses; k++) lines.push(`  - *a${i}`);
    });
    return `${lines.join('\n')}\n`;
  });

// Nesting in [ ] and { } past MAX_FLOW_DEPTH is refused before parsing; deeper block nesting can still make the yaml
// package report a stack overflow where its stack ran out, which depends on how far the
// JIT has optimised it: the same text gives different columns from one call to the next. The fast reader is not
// involved (js-yaml stops at 100 levels and it declines), so only the message is compared.
const OVERFLOW = 'YAML: Maximum call stack size exceeded';

/** What loading one file gives: its diagnostics, or its nodes and flows with their positions. */
function outcome(text: string, read: ReadOptions): unknown {
  const r = validateMapText('broken.yaml', text, read);
  if (r.diagnostics.some((d) => d.message === OVERFLOW)) return { overflow: true };
  if (!r.file) return { diagnostics: r.diagnostics };
  const merged = mergeFiles([r.file]);
  if (merged.diagnostics.length > 0) return { diagnostics: merged.diagnostics };
  return {
    nodes: [...merged.map.nodes.values()].map((n) => [n.id, n.type, n.spec, position(n.at)]),
    flows: merged.map.flows.map((f) => [f.id, f.spec, position(f.at)]),
  };
}

describe('fast and exact readers on broken maps (property)', () => {
  it('give identical diagnostics for generated broken maps', () => {
    fc.assert(
      fc.property(brokenMapArb, fc.integer({ min: 1, max: 400 }), ({ text, mutations }, pieceSize) => {
        expect(outcome(text, {}), mutations.join(', ')).toEqual(outcome(text, { fast: false }));
        // Cut into pieces of any size, as a large file is.
        expect(outcome(text, { pieceSize }), `${mutations.join(', ')}; pieces of ${pieceSize}`).toEqual(outcome(text, { fast: false }));
      }),
      { numRuns: 250 },
    );
  }, 120_000);

  it('never read aliases the exact path rejects as an expansion attack, and read the rest alike', () => {
    let bombs = 0;
    let read = 0;
    fc.assert(
      fc.property(aliasWebArb, (text) => {
        const fast = readMapSource('web.yaml', text);
        const exact = readMapSource('web.yaml', text, { fast: false });
        if (!exact.ok) bombs++;
        else if (fast.fast) read++;
        if (fast.fast) {
          expect(exact.ok, text).toBe(true);
          if (fast.ok && exact.ok) expect(fast.value).toEqual(exact.value);
        }
      }),
      { numRuns: 120 },
    );
    expect(bombs).toBeGreaterThan(5);
    // The bound is not so strict that aliases are never read fast.
    expect(read).toBeGreaterThan(30);
  }, 120_000);

  it('give identical diagnostics for broken maps in varied styles, many read by the fast reader', () => {
    let runs = 0;
    let fast = 0;
    fc.assert(
      fc.property(brokenStyledArb, fc.integer({ min: 1, max: 400 }), ({ text, damage }, pieceSize) => {
        runs++;
        if (readMapSource('broken.yaml', text).fast) fast++;
        const exact = outcome(text, { fast: false });
        expect(outcome(text, {}), `${damage.join(', ')}\n${text}`).toEqual(exact);
        expect(outcome(text, { pieceSize }), `${damage.join(', ')}; pieces of ${pieceSize}\n${text}`).toEqual(exact);
      }),
      { numRuns: 250 },
    );
    // Schema and reference damage keeps the YAML valid: the fast reader reads it and must position those errors.
    // About half the samples are (0.48 to 0.6 seen over runs); a third keeps the check meaningful without flaking.
    expect(fast / runs).toBeGreaterThan(1 / 3);
  }, 120_000);
});
