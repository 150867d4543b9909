/**
 * "Did you mean": the closest candidate within a small edit distance, or nothing. A tie is no hint: for `tls: "1.4"`
 * or `aes-512` every option is as close, and suggesting one (the weakest, say) would mislead.
 *
 * Distance is Damerau–Levenshtein (optimal string alignment: a swapped pair of letters counts as one typo), case
 * insensitive, within `max(2, floor(length / 3))`. A map with thousands of ids can have hundreds of typos, so a caller
 * with many words prepares the candidates once (prepareCandidates); candidates are then taken by length, nearest
 * first, and a distance is computed only as far as it can still matter.
 */

/** A longer word gets no hint: nobody mistypes a 200-character name, and the work grows with its length. */
const MAX_WORD_LENGTH = 200;

interface Group {
  readonly lower: readonly string[];
  readonly original: readonly string[];
  readonly letters: readonly number[];
}

/** Candidates lowercased and grouped by length, once for many words. */
export interface Candidates {
  readonly byLength: ReadonlyMap<number, Group>;
}

export function prepareCandidates(candidates: readonly string[]): Candidates {
  const byLength = new Map<number, { lower: string[]; original: string[]; letters: number[] }>();
  for (const c of candidates) {
    const lower = c.toLowerCase();
    let group = byLength.get(lower.length);
    if (!group) byLength.set(lower.length, (group = { lower: [], original: [], letters: [] }));
    group.lower.push(lower);
    group.original.push(c);
    group.letters.push(letterSet(lower));
  }
  return { byLength };
}

export function closest(word: string, candidates: readonly string[] | Candidates): string | undefined {
  if (word.length > MAX_WORD_LENGTH) return undefined;
  const { byLength } = 'byLength' in candidates ? candidates : prepareCandidates(candidates);
  const limit = Math.max(2, Math.floor(word.length / 3));
  const w = word.toLowerCase();
  const wordLetters = letterSet(w);
  // The answer is the one distinct candidate at the least distance, so the order of the search does not matter.
  let best: string | undefined;
  let bestDistance = Infinity;
  let tied = false;
  // A length difference is a lower bound on the distance; a candidate farther than the best can neither win nor tie.
  for (let delta = 0; delta <= Math.min(limit, bestDistance); delta++) {
    for (const length of delta === 0 ? [w.length] : [w.length - delta, w.length + delta]) {
      const group = byLength.get(length);
      if (!group) continue;
      for (let i = 0; i < group.lower.length; i++) {
        const bound = Math.min(limit, bestDistance);
        // Each letter one string has and the other lacks takes an edit of its own: a cheap cut before the distance.
        const letters = group.letters[i]!;
        if (popCount(wordLetters & ~letters) > bound || popCount(letters & ~wordLetters) > bound) continue;
        const d = distanceWithin(w, group.lower[i]!, bound);
        if (d > bound) continue;
        const c = group.original[i]!;
        if (d < bestDistance) {
          best = c;
          bestDistance = d;
          tied = false;
        } else if (c !== best) {
          tied = true;
          if (d === 0) return undefined;
        }
      }
    }
  }
  return tied ? undefined : best;
}

/** The letters of s as 32 bits: a-z one each, digits two to a bit, the rest one bit. Sharing a bit only weakens the cut. */
function letterSet(s: string): number {
  let set = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    set |= 1 << (c >= 97 && c <= 122 ? c - 97 : c >= 48 && c <= 57 ? 26 + ((c - 48) % 5) : 31);
  }
  return set;
}

function popCount(x: number): number {
  let v = x - ((x >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
}

// Three rows of the distance matrix, reused across calls.
let rows = [new Int32Array(64), new Int32Array(64), new Int32Array(64)];

/**
 * The optimal-string-alignment distance of a and b if it is at most k, else k + 1. Only the diagonals a path of cost
 * <= k can visit are computed (Ukkonen's band), and it stops once no cell of a row can lead to k or less.
 */
function distanceWithin(a: string, b: string, k: number): number {
  const m = a.length;
  const n = b.length;
  const diff = n - m;
  const over = k + 1;
  if (Math.abs(diff) > k) return over;
  if (m === 0 || n === 0) return m + n;
  if (rows[0]!.length < n + 2) {
    const size = 2 ** Math.ceil(Math.log2(n + 2));
    rows = [new Int32Array(size), new Int32Array(size), new Int32Array(size)];
  }
  // Diagonal q = j - i costs at least |q| + |diff - q| to visit, so only lo <= q <= hi matter.
  const slack = (k - Math.abs(diff)) >> 1;
  const lo = Math.min(0, diff) - slack;
  const hi = Math.max(0, diff) + slack;
  let prev2 = rows[0]!;
  let prev = rows[1]!;
  let cur = rows[2]!;
  for (let j = 0; j <= Math.min(n, hi); j++) prev[j] = j;
  if (hi + 1 <= n) prev[hi + 1] = over;
  for (let i = 1; i <= m; i++) {
    const jlo = Math.max(1, i + lo);
    const jhi = Math.min(n, i + hi);
    // Cells just outside the band read as "too far"; column 0 is i when inside it.
    cur[0] = i + lo <= 0 ? i : over;
    if (jlo > 1) cur[jlo - 1] = over;
    if (jhi < n) cur[jhi + 1] = over;
    let rowBound = cur[0]! + Math.abs(diff + i);
    const ca = a.charCodeAt(i - 1);
    const pa = i > 1 ? a.charCodeAt(i - 2) : -1;
    for (let j = jlo; j <= jhi; j++) {
      const cb = b.charCodeAt(j - 1);
      let v = prev[j - 1]! + (ca === cb ? 0 : 1);
      const up = prev[j]! + 1;
      if (up < v) v = up;
      const left = cur[j - 1]! + 1;
      if (left < v) v = left;
      if (pa === cb && j > 1 && ca === b.charCodeAt(j - 2)) {
        const swap = prev2[j - 2]! + 1;
        if (swap < v) v = swap;
      }
      if (v > over) v = over;
      cur[j] = v;
      // The rest of a path through (i, j) costs at least the diagonals between it and the end.
      const lower = v + Math.abs(diff - (j - i));
      if (lower < rowBound) rowBound = lower;
    }
    // A transposition skips a row, but never below the cell on its diagonal in the skipped row: rows bound the result.
    if (rowBound > k) return over;
    const spare = prev2;
    prev2 = prev;
    prev = cur;
    cur = spare;
  }
  return Math.min(prev[n]!, over);
}
