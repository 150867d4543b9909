/** A unified diff of two texts, line by line (longest common subsequence), for `draft --update --diff`. */

const CONTEXT = 3;
/** Past this many cells the table would not fit in memory: the diff replaces the differing middle as a whole. */
const MAX_CELLS = 25_000_000;

type Op = { kind: ' ' | '-' | '+'; line: string };

function ops(a: string[], b: string[]): Op[] {
  // Trim the common head and tail first: an update usually changes a few lines.
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const x = a.slice(head, a.length - tail);
  const y = b.slice(head, b.length - tail);
  const out: Op[] = a.slice(0, head).map((line) => ({ kind: ' ', line }));
  if (x.length * y.length > MAX_CELLS) {
    for (const line of x) out.push({ kind: '-', line });
    for (const line of y) out.push({ kind: '+', line });
  } else {
    const w = y.length + 1;
    const table = new Uint32Array((x.length + 1) * w);
    for (let i = x.length - 1; i >= 0; i--) {
      for (let j = y.length - 1; j >= 0; j--) {
        table[i * w + j] = x[i] === y[j] ? table[(i + 1) * w + j + 1]! + 1 : Math.max(table[(i + 1) * w + j]!, table[i * w + j + 1]!);
      }
    }
    let i = 0;
    let j = 0;
    while (i < x.length || j < y.length) {
      if (i < x.length && j < y.length && x[i] === y[j]) {
        out.push({ kind: ' ', line: x[i]! });
        i++;
        j++;
      } else if (i < x.length && (j === y.length || table[(i + 1) * w + j]! >= table[i * w + j + 1]!)) out.push({ kind: '-', line: x[i++]! });
      else out.push({ kind: '+', line: y[j++]! });
    }
  }
  for (const line of a.slice(a.length - tail)) out.push({ kind: ' ', line });
  return out;
}

export function unifiedDiff(before: string, after: string, name: string): string {
  if (before === after) return '';
  const a = before.split('\n');
  const b = after.split('\n');
  const list = ops(a, b);
  const lines = [`--- ${name}`, `+++ ${name} (updated draft)`];
  let k = 0;
  while (k < list.length) {
    if (list[k]!.kind === ' ') {
      k++;
      continue;
    }
    let start = Math.max(0, k - CONTEXT);
    let end = k;
    // Extend the hunk while changes are within 2 * CONTEXT lines of each other.
    for (let m = k; m < list.length; m++) {
      if (list[m]!.kind !== ' ') end = m;
      else if (m - end > 2 * CONTEXT) break;
    }
    const stop = Math.min(list.length, end + CONTEXT + 1);
    let aLine = 1;
    let bLine = 1;
    for (let m = 0; m < start; m++) {
      if (list[m]!.kind !== '+') aLine++;
      if (list[m]!.kind !== '-') bLine++;
    }
    const hunk = list.slice(start, stop);
    const aCount = hunk.filter((o) => o.kind !== '+').length;
    const bCount = hunk.filter((o) => o.kind !== '-').length;
    lines.push(`@@ -${aLine},${aCount} +${bLine},${bCount} @@`);
    for (const o of hunk) lines.push(`${o.kind}${o.line}`);
    k = stop;
    start = stop;
  }
  return `${lines.join('\n')}\n`;
}
