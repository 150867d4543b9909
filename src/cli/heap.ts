/** How the CLI's own process uses memory: V8's heap growth, bounded for scans. */
import { setFlagsFromString } from 'node:v8';

/**
 * How far V8 lets the heap grow past what the last full collection kept, in percent. V8's own choice is up to 4
 * times when collecting is cheap: for a 50 MB map (about 450 MB kept while findings are written) that meant peaks
 * from 1.0 to 1.25 GiB, swinging from run to run; 30% keeps that scan near 800 MiB at the same speed (bench/README.md,
 * "Large map"). Bounding it from the first read matters: bounded only once the map was read, the 50 MB scan
 * still peaked at 910 to 920 MiB. `validate` keeps V8's choice: it holds no findings, and collecting
 * more often there only costs time (about 10% at 50,000 nodes).
 */
const HEAP_GROWING_PERCENT = 30;

/** Bounds the heap's growth for this process only (the library never changes process-wide settings). */
export function boundHeapGrowth(): void {
  try {
    setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  } catch {
    // A runtime that refuses the flag grows the heap its own way: more memory, same results.
  }
}
