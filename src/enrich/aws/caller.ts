/**
 * The one way the live checks reach AWS: `call(scope, action, input)`. A caller made from SDK clients bounds the
 * requests in flight, gives each call its own time-out, and counts calls; a recording caller keeps every answer for
 * `--save-evidence`; a replaying caller answers from a saved evidence file, so a scan can be judged again offline.
 */
import { type Action, CALLS } from './calls.js';
import { describeError } from './errors.js';

/** Which account (the map's `accounts:` id) and region a call is made in. */
export interface Scope {
  readonly account: string;
  readonly region: string;
}

export interface Caller {
  call(scope: Scope, action: Action, input: Record<string, unknown>): Promise<unknown>;
  /** Calls made (or answered from evidence), per action. */
  stats(): CallStats;
}

export interface CallStats {
  total: number;
  byAction: Record<string, number>;
  /** The most requests ever in flight at once. */
  peakInFlight: number;
}

/** An SDK client: anything with send(command, { abortSignal }). */
export interface SdkClient {
  send(command: unknown, options?: { abortSignal?: AbortSignal }): Promise<unknown>;
}

/** The SDK clients of one account and region, made on first use; commands by name. */
export interface ClientFactory {
  client(scope: Scope, name: (typeof CALLS)[Action]['client']): Promise<SdkClient>;
  command(name: (typeof CALLS)[Action]['client'], command: string, input: Record<string, unknown>): Promise<unknown>;
}

/** A call that could not be answered: the message names the action and what went wrong, never a credential. */
export class CallError extends Error {
  constructor(
    readonly action: Action,
    readonly code: string,
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'CallError';
  }
}

/** A counting semaphore: never more than `limit` holders at once. */
export class Semaphore {
  #free: number;
  #waiting: (() => void)[] = [];
  inFlight = 0;
  peak = 0;
  constructor(readonly limit: number) {
    this.#free = limit;
  }
  async acquire(): Promise<void> {
    if (this.#free > 0) this.#free--;
    else await new Promise<void>((resolve) => this.#waiting.push(resolve));
    this.inFlight++;
    if (this.inFlight > this.peak) this.peak = this.inFlight;
  }
  release(): void {
    this.inFlight--;
    const next = this.#waiting.shift();
    if (next) next();
    else this.#free++;
  }
}

function newStats(): CallStats {
  return { total: 0, byAction: {}, peakInFlight: 0 };
}

function count(stats: CallStats, action: string): void {
  stats.total++;
  stats.byAction[action] = (stats.byAction[action] ?? 0) + 1;
}

export interface LiveCallerOptions {
  readonly clients: ClientFactory;
  /** Requests in flight at most (default 32). */
  readonly concurrency?: number;
  /** A semaphore to share (with AssumeRole calls made while clients are built); made from `concurrency` when absent. */
  readonly gate?: Semaphore;
  /** Each call's time-out in milliseconds, retries included (default 30 s). */
  readonly timeoutMs?: number;
  /** Called as each call ends, for a progress line. */
  readonly onCall?: (stats: CallStats) => void;
}

export const DEFAULT_CONCURRENCY = 32;
export const DEFAULT_TIMEOUT_MS = 30_000;

/** A caller over real SDK clients. */
export function liveCaller(options: LiveCallerOptions): Caller {
  const gate = options.gate ?? new Semaphore(options.concurrency ?? DEFAULT_CONCURRENCY);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const stats = newStats();
  return {
    async call(scope, action, input) {
      const spec = CALLS[action];
      let client: SdkClient;
      let command: unknown;
      try {
        client = await options.clients.client(scope, spec.client);
        command = await options.clients.command(spec.client, spec.command, input);
      } catch (err) {
        // No client for this account (its role could not be assumed, its credentials are for another account).
        if (err instanceof CallError) throw err;
        throw new CallError(action, 'ClientError', `${action}: ${(err as Error).message}`);
      }
      await gate.acquire();
      stats.peakInFlight = gate.peak;
      try {
        return await client.send(command, { abortSignal: AbortSignal.timeout(timeoutMs) });
      } catch (err) {
        const d = describeError(err, action, timeoutMs);
        throw new CallError(action, d.code, d.message, d.status);
      } finally {
        gate.release();
        count(stats, action);
        options.onCall?.(stats);
      }
    },
    stats: () => stats,
  };
}

/** One answer as the evidence file keeps it. */
export interface EvidenceCall {
  readonly account: string;
  readonly region: string;
  readonly action: string;
  readonly input: Record<string, unknown>;
  /** ISO time the answer arrived. */
  readonly at: string;
  readonly ms: number;
  readonly output?: unknown;
  readonly error?: { code: string; message: string; status?: number };
}

/** Inputs are keyed in a fixed key order, so the same call always finds its answer. */
export function callKey(scope: Scope, action: string, input: Record<string, unknown>): string {
  const sorted = (v: unknown): unknown =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.keys(v)
            .sort()
            .map((k) => [k, sorted((v as Record<string, unknown>)[k])]),
        )
      : Array.isArray(v)
        ? v.map(sorted)
        : v;
  return JSON.stringify([scope.account, scope.region, action, sorted(input)]);
}

/** What an answer becomes in JSON: bytes as base64, dates as ISO text, the SDK's $metadata dropped. */
export function toEvidenceValue(v: unknown): unknown {
  if (v instanceof Date) return { $date: v.toISOString() };
  if (v instanceof Uint8Array) return { $bytes: Buffer.from(v).toString('base64') };
  if (Array.isArray(v)) return v.map(toEvidenceValue);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) if (k !== '$metadata' && x !== undefined) out[k] = toEvidenceValue(x);
    return out;
  }
  return v;
}

export function fromEvidenceValue(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(fromEvidenceValue);
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    const keys = Object.keys(o);
    if (keys.length === 1 && typeof o.$date === 'string') return new Date(o.$date);
    if (keys.length === 1 && typeof o.$bytes === 'string') return new Uint8Array(Buffer.from(o.$bytes, 'base64'));
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(o)) out[k] = fromEvidenceValue(x);
    return out;
  }
  return v;
}

/** Wraps a caller and keeps every answer (never a credential: no call in CALLS returns one). */
export function recordingCaller(inner: Caller): { caller: Caller; calls: EvidenceCall[] } {
  const calls: EvidenceCall[] = [];
  const caller: Caller = {
    async call(scope, action, input) {
      const started = performance.now();
      const base = { account: scope.account, region: scope.region, action, input: toEvidenceValue(input) as Record<string, unknown> };
      try {
        const output = await inner.call(scope, action, input);
        calls.push({ ...base, at: new Date().toISOString(), ms: Math.round(performance.now() - started), output: toEvidenceValue(output) });
        return output;
      } catch (err) {
        const e = err as CallError;
        const error = { code: e.code ?? 'Error', message: e.message, ...(e.status !== undefined ? { status: e.status } : {}) };
        calls.push({ ...base, at: new Date().toISOString(), ms: Math.round(performance.now() - started), error });
        throw err;
      }
    },
    stats: () => inner.stats(),
  };
  return { caller, calls };
}

/** Answers from saved evidence; a call the evidence does not hold is unavailable, never guessed. */
export function replayCaller(calls: readonly EvidenceCall[], file: string): Caller {
  const answers = new Map<string, EvidenceCall>();
  // The last answer to a call wins (a credential report asked for until it was ready).
  for (const c of calls) answers.set(callKey(c, c.action, c.input), c);
  const stats = newStats();
  return {
    async call(scope, action, input) {
      count(stats, action);
      const found = answers.get(callKey(scope, action, toEvidenceValue(input) as Record<string, unknown>));
      if (!found) throw new CallError(action, 'NotInEvidence', `${action} in ${scope.account}/${scope.region} is not in the evidence file ${file}`);
      if (found.error) throw new CallError(action, found.error.code, found.error.message, found.error.status);
      return fromEvidenceValue(found.output);
    },
    stats: () => stats,
  };
}
