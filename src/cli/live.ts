/**
 * `scan --aws` and `scan --evidence FILE`: the live options turned into an enricher. Loaded only when one is given;
 * the AWS SDK itself loads later still, with the first call (enrich/aws/clients.ts). Credentials come from the SDK's
 * default chain, `--profile`, or each account's role; none is ever read from a map, printed or saved.
 */
import { z } from 'zod';
import type { AccountRef } from '../enrich/aws/accounts.js';
import {
  type Caller,
  type CallStats,
  DEFAULT_CONCURRENCY,
  DEFAULT_TIMEOUT_MS,
  type EvidenceCall,
  liveCaller,
  recordingCaller,
  replayCaller,
  Semaphore,
} from '../enrich/aws/caller.js';
import { type AwsEnricher, createEnricher } from '../enrich/aws/index.js';
import { toolVersion } from '../package.js';
import type { Report } from '../report/model.js';
import { type Diagnostic, InputError, noPosition } from '../source/diagnostics.js';
import { readRegularFile } from '../source/files.js';
import { awsEnv, quietAwsSdk } from './env.js';
import { emit } from './output.js';

export interface LiveFlags {
  aws?: boolean;
  profile?: string;
  region?: string;
  concurrency?: string;
  callTimeout?: string;
  saveEvidence?: string;
  evidence?: string;
}

/** Whether any live option is given (the CLI loads this module only then). */
const wantsLive = (f: LiveFlags): boolean =>
  f.aws === true || f.evidence !== undefined || f.saveEvidence !== undefined || f.profile !== undefined || f.region !== undefined;

const EVIDENCE_FORMAT = 'phi-audit-evidence';

const EvidenceFile = z.object({
  format: z.literal(EVIDENCE_FORMAT),
  version: z.literal(1),
  provider: z.literal('aws'),
  tool: z.string().optional(),
  region: z.string(),
  started: z.string(),
  finished: z.string(),
  calls: z.array(
    z.object({
      account: z.string(),
      region: z.string(),
      action: z.string(),
      input: z.record(z.string(), z.unknown()),
      at: z.string(),
      ms: z.number(),
      output: z.unknown().optional(),
      error: z.object({ code: z.string(), message: z.string(), status: z.number().optional() }).optional(),
    }),
  ),
});

function positiveInt(name: string, raw: string | undefined, fallback: number, max: number, problems: Diagnostic[]): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || n < 1 || n > max) {
    problems.push(noPosition(name, `must be a whole number from 1 to ${max}, not "${raw}"`));
    return fallback;
  }
  return n;
}

/** A progress line on stderr, only when stderr is a terminal (quiet in CI and in files). */
function progress(): { onCall?: (s: CallStats) => void; done: () => void } {
  if (!process.stderr.isTTY) return { done: () => {} };
  let last = 0;
  let shown = false;
  return {
    onCall(s) {
      const now = Date.now();
      if (now - last < 100) return;
      last = now;
      shown = true;
      process.stderr.write(`\rphi-audit: reading AWS: ${s.total} calls, ${s.peakInFlight} at once at most `);
    },
    done() {
      if (shown) process.stderr.write('\r\u001b[2K');
    },
  };
}

export interface Live {
  readonly enrichers: AwsEnricher[];
  /** After the scan: writes the evidence file when asked, clears the progress line. */
  finish(report: Report): void;
}

/** A caller over SDK clients (loaded here, on first use), for the accounts `accounts()` gives once the map is loaded. */
export async function sdkCaller(
  o: { profile: string | undefined; concurrency: number; timeoutMs: number; env: NodeJS.ProcessEnv; onCall?: ((s: CallStats) => void) | undefined },
  accounts: () => ReadonlyMap<string, AccountRef>,
): Promise<Caller> {
  quietAwsSdk();
  const { sdkClients } = await import('../enrich/aws/clients.js');
  const gate = new Semaphore(o.concurrency);
  const extra: Record<string, number> = {};
  let factory: ReturnType<typeof sdkClients> | undefined;
  const made = () =>
    (factory ??= sdkClients({
      accounts: accounts(),
      profile: o.profile,
      concurrency: o.concurrency,
      timeoutMs: o.timeoutMs,
      gate,
      env: o.env,
      onCall: (action) => {
        extra[action] = (extra[action] ?? 0) + 1;
      },
    }));
  const base = liveCaller({
    clients: { client: (scope, name) => made().client(scope, name), command: (name, command, input) => made().command(name, command, input) },
    gate,
    timeoutMs: o.timeoutMs,
    ...(o.onCall ? { onCall: o.onCall } : {}),
  });
  return {
    call: (s, a, i) => base.call(s, a, i),
    stats: () => {
      const s = base.stats();
      const assumed = Object.values(extra).reduce((a, b) => a + b, 0);
      return { total: s.total + assumed, byAction: { ...s.byAction, ...extra }, peakInFlight: gate.peak };
    },
  };
}

/** The live flags checked: problems are usage errors (exit 2). */
export function liveSettings(flags: LiveFlags, problems: Diagnostic[]): { concurrency: number; timeoutMs: number } {
  const concurrency = positiveInt('--concurrency', flags.concurrency, DEFAULT_CONCURRENCY, 256, problems);
  let timeoutMs = DEFAULT_TIMEOUT_MS;
  if (flags.callTimeout !== undefined) {
    const s = Number(flags.callTimeout);
    if (!/^\s*\d+(\.\d+)?\s*$/.test(flags.callTimeout) || !(s > 0) || s > 3600)
      problems.push(noPosition('--call-timeout', `must be a number of seconds above 0 (at most 3600), not "${flags.callTimeout}"`));
    else timeoutMs = Math.round(s * 1000);
  }
  if (flags.region !== undefined && !/^[a-z]{2}(-[a-z]+)+-\d+$/.test(flags.region))
    problems.push(noPosition('--region', `"${flags.region}" is not a region like us-east-1`));
  return { concurrency, timeoutMs };
}

export async function liveEnrichers(flags: LiveFlags): Promise<Live | undefined> {
  if (!wantsLive(flags)) return undefined;
  const problems: Diagnostic[] = [];
  const env = awsEnv();
  if (flags.evidence !== undefined && flags.aws) problems.push(noPosition('--evidence', 'judges saved answers offline: give it without --aws'));
  if (flags.evidence !== undefined && flags.saveEvidence !== undefined)
    problems.push(noPosition('--save-evidence', 'saves what the account answers: it needs --aws, not --evidence'));
  if (!flags.aws && flags.evidence === undefined) {
    for (const [flag, given] of [
      ['--save-evidence', flags.saveEvidence],
      ['--profile', flags.profile],
      ['--region', flags.region],
    ] as const) {
      if (given !== undefined) problems.push(noPosition(flag, 'applies to live checks: add --aws'));
    }
  }
  const { concurrency, timeoutMs } = liveSettings(flags, problems);
  if (problems.length > 0) throw new InputError(problems);

  const bar = progress();
  if (flags.evidence !== undefined) {
    const file = flags.evidence;
    const read = readRegularFile(file, 'evidence');
    if (!read.ok) throw new InputError([noPosition(file, read.message)]);
    let parsed: z.infer<typeof EvidenceFile>;
    try {
      const r = EvidenceFile.safeParse(JSON.parse(read.text));
      if (!r.success) throw new Error(r.error.issues.map((i) => `${i.path.join('.') || '(top)'}: ${i.message}`).join('; '));
      parsed = r.data;
    } catch (err) {
      throw new InputError([noPosition(file, `is not a phi-audit evidence file (written by scan --aws --save-evidence): ${(err as Error).message}`)]);
    }
    const caller = replayCaller(parsed.calls as EvidenceCall[], file);
    const enricher = createEnricher({ caller, region: parsed.region, from: 'evidence', times: { started: parsed.started, finished: parsed.finished } });
    return { enrichers: [enricher], finish: () => bar.done() };
  }

  const region = flags.region ?? env.AWS_REGION ?? 'us-east-1';
  let enricher: AwsEnricher | undefined;
  const counted = await sdkCaller({ profile: flags.profile, concurrency, timeoutMs, env, onCall: bar.onCall }, () => enricher!.accounts());
  const recording = flags.saveEvidence !== undefined ? recordingCaller(counted) : undefined;
  enricher = createEnricher({ caller: recording?.caller ?? counted, region });
  return {
    enrichers: [enricher],
    finish(report) {
      bar.done();
      if (!recording || flags.saveEvidence === undefined) return;
      const live = report.live;
      const file = {
        format: EVIDENCE_FORMAT,
        version: 1,
        provider: 'aws',
        tool: toolVersion(),
        region,
        started: live?.started ?? new Date().toISOString(),
        finished: live?.finished ?? new Date().toISOString(),
        note: 'What the AWS accounts answered, call by call (no credentials). Judge it again with: phi-audit scan --evidence FILE',
        calls: recording.calls,
      };
      emit([`${JSON.stringify(file, null, 1)}\n`], flags.saveEvidence, { what: 'report', inputs: report.files });
      process.stderr.write(`phi-audit: ${recording.calls.length} AWS answers saved as evidence\n`);
    },
  };
}
