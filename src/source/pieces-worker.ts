/** The worker half of pieces-parallel.ts: parse the pieces it is given, post the results, raise the signal. */
import { workerData, type MessagePort } from 'node:worker_threads';
import { parsePiece, type PieceJob, type PieceResult } from './chunked.js';

const { jobs, port, signal } = workerData as { jobs: PieceJob[]; port: MessagePort; signal: Int32Array };
Atomics.store(signal, 1, 1);
Atomics.notify(signal, 1);
let results: PieceResult[] | null = [];
try {
  for (const job of jobs) {
    const r = parsePiece(job);
    if (!r) {
      results = null;
      break;
    }
    results.push(r);
  }
} catch {
  results = null;
}
port.postMessage({ results });
Atomics.store(signal, 0, 1);
Atomics.notify(signal, 0);
