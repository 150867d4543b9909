/**
 * "Did you mean" (src/source/suggest.ts): a table of hints, a property that the fast search agrees with a naive
 * full-matrix reference, and large inputs that used to take minutes and gigabytes. Speed itself is the bench's job
 * (bench/bench.mjs, the 20,000-node map with 200 dangling references); here large inputs only have to finish.
 */
import fc from 'fast-check';
import { load } from 'js-yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { type DanglingRef, generateMap } from '../bench/generate.mjs';
import { closest, prepareCandidates } from '../src/source/suggest.js';

/** Optimal string alignment distance, the whole matrix, straight from the definition. */
function referenceDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

/** The rule as first written: first strictly closer candidate wins, another distinct one as close makes a tie. */
function referenceClosest(word: string, candidates: readonly string[]): string | undefined {
  if (word.length > 200) return undefined;
  const limit = Math.max(2, Math.floor(word.length / 3));
  let best: string | undefined;
  let bestDistance = Infinity;
  let tied = false;
  for (const c of candidates) {
    const d = referenceDistance(word.toLowerCase(), c.toLowerCase());
    if (d > limit) continue;
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
      tied = false;
    } else if (d === bestDistance && c !== best) tied = true;
  }
  return tied ? undefined : best;
}

const KEYS = ['description', 'environment', 'hosting', 'data', 'records', 'access', 'audit_log', 'encryption', 'backup', 'interactive'];

describe('closest: table', () => {
  const cases: [name: string, word: string, candidates: readonly string[], hint: string | undefined][] = [
    ['a dropped letter', 'encripton', KEYS, 'encryption'],
    ['a swapped pair is one typo', 'databse', ['database', 'object-store', 'queue', 'dead-letter-queue', 'cache'], 'database'],
    ['transposition breaks what Levenshtein would call a tie', 'ehr-ingset', ['ehr-ingest', 'ehr-insert'], 'ehr-ingest'],
    ['transposition in a flow end', 'pateints-db', ['patients-db', 'patient-db'], 'patients-db'],
    ['the nearer of two within the limit', 'recieve', ['receive', 'deceive'], 'receive'],
    ['a tie is no hint', '1.4', ['1.0', '1.1', '1.2', '1.3'], undefined],
    ['a tie at distance 2 is no hint', 'aes-512', ['aes-128', 'aes-192', 'aes-256'], undefined],
    ['two transpositions tie', 'abcd', ['badc', 'abxy'], undefined],
    ['case is ignored', 'ENCRYPTON', KEYS, 'encryption'],
    ['case is ignored in candidates, the hint keeps its case', 'aws', ['AWS', 'gcp'], 'AWS'],
    ['an exact match in another case is a hint', 'Flows', ['flows', 'logs'], 'flows'],
    ['two candidates equal but for case tie', 'db', ['DB', 'db'], undefined],
    ['a repeated candidate is not a tie', 'dbb', ['db', 'db', 'cache'], 'db'],
    ['short words allow two edits', 'ab', ['xy'], 'xy'],
    ['beyond the limit there is no hint', 'queue', ['cache'], undefined],
    ['the limit is a third of the length', 'abcdefghi', ['abcxyzghi', 'axxxxxxxi'], 'abcxyzghi'],
    ['one over the limit', 'abcdefghi', ['abwxyzghi'], undefined],
    ['OSA does not edit a substring twice', 'ca', ['abc'], undefined],
    ['no candidates', 'flows', [], undefined],
    ['an empty word', '', ['a', 'bc'], 'a'],
    ['non-ASCII lowercases like toLowerCase', 'straße', ['STRASSE'], 'STRASSE'],
    ['a word over 200 characters gets no hint', 'x'.repeat(201), ['x'.repeat(200)], undefined],
    ['a word of 200 characters does', 'x'.repeat(200), ['x'.repeat(199)], 'x'.repeat(199)],
  ];
  it.each(cases)('%s: %s', (_name, word, candidates, hint) => {
    expect(closest(word, candidates)).toBe(hint);
    expect(closest(word, prepareCandidates(candidates))).toBe(hint);
    expect(referenceClosest(word, candidates)).toBe(hint);
  });
});

describe('closest: agrees with the full-matrix reference', () => {
  // A small alphabet with case, so near misses, transpositions and ties are common; '1' and '6', '-', '_' and 'é'
  // share a bit of the letter-set cut; 'İ' lowercases to two characters.
  const char = fc.constantFrom('a', 'b', 'c', 'A', 'B', '-', '_', '1', '6', 'é', 'İ');
  const text = (maxLength: number) => fc.string({ unit: char, maxLength });
  // Typos of a candidate: a few random edits, so words are often within the limit.
  const edit = fc.tuple(fc.constantFrom('insert', 'delete', 'replace', 'swap'), fc.nat(), char);
  const typo = (s: string, edits: readonly [string, number, string][]) =>
    edits.reduce((w, [op, at, c]) => {
      const i = w.length === 0 ? 0 : at % w.length;
      if (op === 'insert') return w.slice(0, i) + c + w.slice(i);
      if (op === 'delete') return w.slice(0, i) + w.slice(i + 1);
      if (op === 'replace') return w.slice(0, i) + c + w.slice(i + 1);
      return i + 1 < w.length ? w.slice(0, i) + w[i + 1] + w[i] + w.slice(i + 2) : w;
    }, s);
  const sample = (maxLength: number) =>
    fc
      .tuple(fc.array(text(maxLength), { maxLength: 12 }), fc.nat(), fc.array(edit, { maxLength: 4 }), text(maxLength), fc.boolean())
      .map(([candidates, pick, edits, other, fromCandidate]) => {
        const base = fromCandidate && candidates.length ? candidates[pick % candidates.length]! : other;
        return { word: typo(base, edits), candidates };
      });

  it('short words', () => {
    fc.assert(
      fc.property(sample(10), ({ word, candidates }) => {
        const want = referenceClosest(word, candidates);
        expect(closest(word, candidates)).toBe(want);
        expect(closest(word, prepareCandidates(candidates))).toBe(want);
      }),
      { numRuns: 3000 },
    );
  });

  it('longer words (wider bands)', () => {
    fc.assert(
      fc.property(sample(60), ({ word, candidates }) => {
        expect(closest(word, candidates)).toBe(referenceClosest(word, candidates));
      }),
      { numRuns: 500 },
    );
  });

  it('the same prepared candidates answer many words, in any order', () => {
    fc.assert(
      fc.property(fc.array(text(10), { maxLength: 20 }), fc.array(text(10), { maxLength: 10 }), (candidates, words) => {
        const prepared = prepareCandidates(candidates);
        for (const word of words) expect(closest(word, prepared)).toBe(referenceClosest(word, candidates));
      }),
      { numRuns: 500 },
    );
  });
});

describe('closest: large inputs finish (speed is measured by the bench)', () => {
  let ids: string[] = [];
  let dangling: DanglingRef[] = [];
  beforeAll(() => {
    const { text, stats } = generateMap({ nodes: 20_000, dangling: 200 });
    const doc = load(text) as Record<string, Record<string, unknown>>;
    ids = ['vendors', 'services', 'stores', 'logs'].flatMap((section) => Object.keys(doc[section] ?? {}));
    dangling = stats.dangling;
  }, 60_000);

  it('a 30,000-character word against 20,000 ids: no hint', { timeout: 30_000 }, () => {
    expect(ids).toHaveLength(20_000);
    const long = `svc-${'1'.repeat(30_000 - 4)}`;
    expect(closest(long, [...ids, long.slice(0, -1)])).toBeUndefined();
    // And a 30,000-character candidate is skipped by its length.
    expect(closest('svc-12', [...ids, long])).toBe('svc-12');
  });

  it('200 typos against 20,000 ids: each gets its id', { timeout: 30_000 }, () => {
    expect(dangling).toHaveLength(200);
    const prepared = prepareCandidates(ids);
    for (const { id, near } of dangling) expect(closest(id, prepared)).toBe(near);
    // The unprepared form gives the same answers.
    for (const { id, near } of dangling.slice(0, 10)) expect(closest(id, ids)).toBe(near);
  });

  it('words near the 200-character cap against long candidates stay bounded', { timeout: 30_000 }, () => {
    const rand = (n: number, seed: number) => Array.from({ length: n }, (_, i) => 'abcdefghij'[(seed * 7919 + i * 104729) % 10]).join('');
    const candidates = Array.from({ length: 2_000 }, (_, k) => rand(180 + (k % 40), k + 1));
    const word = `${candidates[1234]!.slice(0, 50)}xx${candidates[1234]!.slice(52)}`;
    expect(closest(word, candidates)).toBe(referenceClosest(word, candidates));
  });
});
