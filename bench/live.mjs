// Live-check bench (issue 7, item 8): `phi-audit scan --aws` over 1,000 PHI buckets across three accounts behind the
// local AWS server (test/aws/) with 20 ms of latency on every call. Prints wall time, total calls, calls per bucket
// and per account, and the peak requests in flight, each beside its target; and beside the wall time, the SDK's CPU
// floor: the CPU one SDK call costs (measured here, in a process of its own) times the calls the scan made.
//
// Usage: node bench/live.mjs [--buckets N] [--latency MS] [--concurrency N]   (bench/bench.mjs runs it too)

import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadAwsServer } from '../test/aws/load.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const OUT_DIR = path.join(ROOT, '.bench');
const BIN = process.env.PHI_AUDIT_BIN ?? path.join(ROOT, 'dist', 'bin', 'phi-audit.js');

// Targets (issue 7): wall time, calls per bucket and per account, and never more in flight than the bound.
const WALL_MS = 7000;
const CALLS_PER_BUCKET = 8;
const CALLS_PER_ACCOUNT = 40;
const DEFAULT_CONCURRENCY = 32;

const GNU_TIME = '/usr/bin/time';
const MARK = '__PHI_LIVE_CPU__';

// Runs node with argv; with GNU time, also the child's CPU seconds (user + system).
function child(argv, env) {
  const timed = existsSync(GNU_TIME);
  const full = timed ? [GNU_TIME, '-f', `${MARK} %U %S`, process.execPath, ...argv] : [process.execPath, ...argv];
  return new Promise((resolve) => {
    const t0 = process.hrtime.bigint();
    const p = spawn(full[0], full.slice(1), { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.setEncoding('utf8').on('data', (d) => {
      stdout += d;
    });
    p.stderr.setEncoding('utf8').on('data', (d) => {
      stderr += d;
    });
    p.on('close', (code) => {
      const m = new RegExp(`${MARK} ([0-9.]+) ([0-9.]+)`).exec(stderr);
      const cpuMs = m ? (Number(m[1]) + Number(m[2])) * 1000 : null;
      resolve({ code, stdout, stderr, cpuMs, ms: Number(process.hrtime.bigint() - t0) / 1e6 });
    });
  });
}

const cleanEnv = (env) => {
  const out = { ...process.env, ...env };
  for (const k of Object.keys(out)) if (out[k] === undefined || (k.startsWith('AWS_') && !(k in env))) delete out[k];
  return out;
};

// The SDK's own CPU per call: one S3 client, sequential calls to the server with no latency, CPU time of that process.
const FLOOR_SCRIPT = `
import { S3Client, GetBucketVersioningCommand } from '@aws-sdk/client-s3';
const [url, bucket, n] = process.argv.slice(2);
const s3 = new S3Client({ endpoint: url, region: 'us-east-1', forcePathStyle: true });
for (let i = 0; i < 50; i++) await s3.send(new GetBucketVersioningCommand({ Bucket: bucket }));
const c0 = process.cpuUsage();
for (let i = 0; i < Number(n); i++) await s3.send(new GetBucketVersioningCommand({ Bucket: bucket }));
const c = process.cpuUsage(c0);
console.log(JSON.stringify({ cpuMsPerCall: (c.user + c.system) / 1000 / Number(n) }));
`;

export async function benchLive({ buckets = 1000, latencyMs = 20, concurrency = DEFAULT_CONCURRENCY } = {}) {
  const { startAwsServer, scaleFixture, scaleMap } = await loadAwsServer(OUT_DIR);
  const fixture = scaleFixture({ buckets, accounts: 3 });
  const accounts = Object.keys(fixture.accounts);
  const mapFile = path.join(OUT_DIR, `live-${buckets}.yaml`);
  writeFileSync(mapFile, scaleMap(fixture));
  const aws = await startAwsServer({ state: fixture, latencyMs: 0 });
  try {
    const env = cleanEnv({ ...aws.env(accounts[0]), AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' });

    // The SDK CPU floor, with no latency (the server's own time is not in this process's CPU).
    const floorFile = path.join(ROOT, '.bench', 'sdk-floor.mjs');
    writeFileSync(floorFile, FLOOR_SCRIPT);
    const bucket = Object.keys(fixture.accounts[accounts[0]].s3.buckets)[0];
    const f = await child([floorFile, aws.url, bucket, '1000'], env);
    const cpuMsPerCall = f.code === 0 ? JSON.parse(f.stdout.trim().split('\n').pop()).cpuMsPerCall : null;

    aws.faults.setLatency(latencyMs);
    aws.reset();
    const args = [
      BIN,
      'scan',
      mapFile,
      '--aws',
      '--format',
      'json',
      '--fail-on',
      'none',
      ...(concurrency !== DEFAULT_CONCURRENCY ? ['--concurrency', String(concurrency)] : []),
    ];
    const r = await child(args, env);
    if (r.code !== 0) throw new Error(`scan --aws exited ${r.code}: ${r.stderr.slice(0, 2000)}`);
    const report = JSON.parse(r.stdout);
    const stats = aws.stats();
    const calls = aws.calls();
    // A bucket's own calls name it; the rest are the account's (identity, listings, trails, IAM, account blocks).
    const names = new Set(accounts.flatMap((a) => Object.keys(fixture.accounts[a].s3?.buckets ?? {})));
    const perBucket = calls.filter((c) => c.service !== 'kms' && names.has(c.resource ?? '')).length;
    const kms = calls.filter((c) => c.service === 'kms').length;
    const perAccount = calls.length - perBucket - kms;
    const out = {
      buckets,
      accounts: accounts.length,
      latency_ms: latencyMs,
      concurrency,
      wall_ms: r.ms,
      cpu_ms: r.cpuMs,
      load_average: os.loadavg()[0],
      calls: stats.total,
      calls_per_bucket: (perBucket + kms) / buckets,
      calls_per_account: perAccount / accounts.length,
      kms_calls: kms,
      peak_in_flight: stats.peakInFlight,
      sdk_cpu_ms_per_call: cpuMsPerCall,
      sdk_cpu_floor_ms: cpuMsPerCall === null ? null : cpuMsPerCall * stats.total,
      latency_floor_ms: (stats.total * latencyMs) / concurrency,
      findings: report.findings.length,
      unavailable: report.live?.unavailable?.length ?? null,
    };
    const fmt = (v, d = 0) => (v === null ? 'n/a' : v.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d }));
    const pass = (ok) => (ok ? 'PASS' : 'FAIL');
    console.log(`\nlive: scan --aws, ${fmt(buckets)} PHI buckets across ${accounts.length} accounts, ${latencyMs} ms per call, --concurrency ${concurrency}`);
    console.log(
      `  wall ${fmt(out.wall_ms)} ms  [${pass(out.wall_ms <= WALL_MS)} <= ${fmt(WALL_MS)} ms], CPU ${fmt(out.cpu_ms)} ms (load average ${fmt(out.load_average, 1)} on ${os.cpus().length} CPUs)   floors: SDK CPU ${fmt(out.sdk_cpu_ms_per_call, 2)} ms/call x ${fmt(out.calls)} calls = ${fmt(out.sdk_cpu_floor_ms)} ms; latency ${fmt(out.calls)} x ${latencyMs} ms / ${concurrency} = ${fmt(out.latency_floor_ms)} ms`,
    );
    console.log(
      `  calls ${fmt(out.calls)}: ${fmt(out.calls_per_bucket, 2)} per bucket [${pass(out.calls_per_bucket <= CALLS_PER_BUCKET)} <= ${CALLS_PER_BUCKET}] (KMS ${kms}), ${fmt(out.calls_per_account, 1)} per account [${pass(out.calls_per_account <= CALLS_PER_ACCOUNT)} <= ${CALLS_PER_ACCOUNT}]`,
    );
    console.log(
      `  peak in flight ${out.peak_in_flight} [${pass(out.peak_in_flight <= concurrency)} <= ${concurrency}]; ${fmt(out.findings)} findings, ${out.unavailable} facts unavailable`,
    );
    out.targets = {
      wall: out.wall_ms <= WALL_MS,
      calls_per_bucket: out.calls_per_bucket <= CALLS_PER_BUCKET,
      calls_per_account: out.calls_per_account <= CALLS_PER_ACCOUNT,
      in_flight: out.peak_in_flight <= concurrency,
    };
    return out;
  } finally {
    await aws.close();
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const argv = process.argv.slice(2);
  const opt = (name, d) => {
    const i = argv.indexOf(name);
    return i >= 0 ? Number(argv[i + 1]) : d;
  };
  const out = await benchLive({ buckets: opt('--buckets', 1000), latencyMs: opt('--latency', 20), concurrency: opt('--concurrency', DEFAULT_CONCURRENCY) });
  writeFileSync(path.join(OUT_DIR, 'live-results.json'), `${JSON.stringify(out, null, 2)}\n`);
}
