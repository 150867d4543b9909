/**
 * Parse a large map's pieces on two threads. The main thread parses the first half while a worker parses the
 * second; the main thread then waits for the worker synchronously (Atomics.wait), so loading stays a plain function
 * call. Any trouble with the worker (it cannot start, fails or is slow) and the main thread parses its half itself.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { parsePiece, type PieceJob, type PieceResult } from './chunked.js';

/** Below this many pieces a worker's start-up costs more than it saves. */
const PARALLEL_FROM = 8;
/** How long a worker may take to start; one that has started always reports (its work is wrapped in try/catch). */
const START_TIMEOUT_MS = 2_000;
const WORKER_TIMEOUT_MS = 300_000;
const WORKER = new URL('./pieces-worker.js', import.meta.url);

function parseAll(jobs: readonly PieceJob[]): PieceResult[] | null {
  const out: PieceResult[] = [];
  for (const job of jobs) {
    const r = parsePiece(job);
    if (!r) return null;
    out.push(r);
  }
  return out;
}

// Loaded only for a file large enough to use it.
const threads = (): typeof import('node:worker_threads') => createRequire(import.meta.url)('node:worker_threads') as typeof import('node:worker_threads');

export function parsePieces(jobs: readonly PieceJob[]): PieceResult[] | null {
  // Run from TypeScript sources (tests) there is no compiled worker: one thread then.
  if (jobs.length < PARALLEL_FROM || availableParallelism() < 2 || process.env.PHI_AUDIT_THREADS === '1' || !existsSync(fileURLToPath(WORKER))) {
    return parseAll(jobs);
  }
  // Split by size, not count: pieces of small sections are small.
  const total = jobs.reduce((n, j) => n + j.body.length, 0);
  let split = 0;
  for (let acc = 0; split < jobs.length && acc < total / 2; split++) acc += jobs[split]!.body.length;
  const mine = jobs.slice(0, split);
  const theirs = jobs.slice(split);

  // signal[0]: 1 when the results are posted; signal[1]: 1 once the worker runs.
  const { MessageChannel, receiveMessageOnPort, Worker } = threads();
  const signal = new Int32Array(new SharedArrayBuffer(8));
  const { port1, port2 } = new MessageChannel();
  let worker: InstanceType<typeof Worker> | undefined;
  try {
    worker = new Worker(WORKER, {
      workerData: { jobs: theirs, port: port2, signal },
      transferList: [port2],
    });
    worker.unref();
    worker.on('error', () => {}); // reported through the signal; never an unhandled event
  } catch {
    return parseAll(jobs);
  }
  const first = parseAll(mine);
  // A worker that could not start never raises its flag: give it a moment, then do its half here.
  const started = Atomics.load(signal, 1) === 1 || Atomics.wait(signal, 1, 0, START_TIMEOUT_MS) !== 'timed-out';
  const done = started && (Atomics.load(signal, 0) === 1 || Atomics.wait(signal, 0, 0, WORKER_TIMEOUT_MS) !== 'timed-out');
  const message = done ? (receiveMessageOnPort(port1)?.message as { results: PieceResult[] | null } | undefined) : undefined;
  void worker.terminate();
  port1.close();
  if (!first) return null;
  const second = message ? message.results : parseAll(theirs);
  return second ? [...first, ...second] : null;
}
