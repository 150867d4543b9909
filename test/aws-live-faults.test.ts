/**
 * Faults in a live scan: throttling, 5xx, a time-out, AccessDenied on one action, an expired session and an
 * unreachable endpoint each make only the facts they touch unavailable, with a clear message; nothing crashes, and a
 * fact that could not be read is never a pass.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type AwsServer, startAwsServer } from './aws/server.js';
import { cliAsync, type JsonReport } from './support/live.js';

const MAP = 'fixtures/live/two-accounts.yaml';
let aws: AwsServer;

beforeAll(async () => {
  aws = await startAwsServer({ fixture: 'fixtures/aws/two-accounts.yaml' });
});
afterAll(async () => {
  await aws?.close();
});
afterEach(() => {
  aws.faults.clear();
  aws.faults.setLatency(0);
  aws.reset();
});

async function scan(extra: string[] = [], env: Record<string, string | undefined> = {}) {
  const r = await cliAsync(['scan', MAP, '--aws', '--format', 'json', '--fail-on', 'none', ...extra], {
    env: { ...aws.env('audit'), ...env },
    timeoutMs: 90_000,
  });
  expect(r.stderr).not.toMatch(/\n\s+at |internal error/);
  expect(r.status, r.stderr).toBe(0);
  return { report: JSON.parse(r.stdout) as JsonReport, ms: r.ms, stderr: r.stderr };
}
const get = (r: JsonReport, id: string) => r.findings.find((f) => f.id === id);

describe('live faults degrade only the facts they touch', () => {
  it('AccessDenied on one action for one bucket: its facts are unknown, naming the action; the rest stands', { timeout: 90_000 }, async () => {
    aws.faults.accessDenied('s3:GetBucketEncryption', { resource: 'ehr-extracts-prod' });
    const { report } = await scan();
    const f = get(report, 'encryption-at-rest@ehr-extracts');
    expect(f?.status).toBe('unknown');
    expect(f?.message).toContain('AccessDenied on s3:GetBucketEncryption');
    expect(f?.evidence).toContainEqual(expect.objectContaining({ field: 'encryption.at_rest', provenance: 'unavailable' }));
    // Not a pass, and not a made-up failure either: the declared value is not judged.
    expect(get(report, 'customer-managed-key@ehr-extracts')?.status).toBe('unknown');
    // The same bucket's other facts, and other buckets' encryption, were read as usual.
    expect(get(report, 'public-access@ehr-extracts')).toBeUndefined();
    expect(get(report, 'aws-bucket-tls-only@ehr-extracts')).toBeUndefined();
    expect(get(report, 'encryption-at-rest@training-eu')?.status).toBe('fail');
    expect(
      report.live?.unavailable
        .filter((u) => u.subject === 'ehr-extracts')
        .map((u) => u.field)
        .sort(),
    ).toEqual(['encryption.at_rest', 'encryption.key']);
  });

  it('throttling that outlasts the retries: unknown, says throttled; the SDK retried', { timeout: 90_000 }, async () => {
    aws.faults.throttle('s3:GetBucketPolicy');
    const { report } = await scan();
    const f = get(report, 'aws-bucket-tls-only@ehr-extracts');
    expect(f?.status).toBe('unknown');
    expect(f?.message).toMatch(/s3:GetBucketPolicy was throttled \(SlowDown\) after 3 attempts/);
    expect(aws.stats().byAction['s3:GetBucketPolicy']).toBeGreaterThanOrEqual(3 * 3);
    expect(get(report, 'encryption-at-rest@training-eu')?.status).toBe('fail');
  });

  it('a 5xx on one account-wide call: that control is unknown, the others are judged', { timeout: 90_000 }, async () => {
    aws.faults.serverError('iam:GetAccountSummary', undefined, { account: 'prod' });
    const { report } = await scan();
    const root = get(report, 'aws-root-account-protected@aws');
    expect(root?.status).toBe('unknown');
    expect(root?.message).toContain('iam:GetAccountSummary: AWS answered with a server error');
    expect(get(report, 'aws-console-users-mfa@aws')?.status).toBe('fail');
  });

  it('a call that never answers times out after --call-timeout, and only its facts wait', { timeout: 90_000 }, async () => {
    aws.faults.hang('cloudtrail:GetEventSelectors');
    const { report, ms } = await scan(['--call-timeout', '1']);
    expect(ms).toBeLessThan(30_000);
    const f = get(report, 'aws-phi-access-recorded@scoring-output');
    expect(f?.status).toBe('unknown');
    expect(f?.message).toContain('timed out after 1 s');
    // Any fact a check read that could not be established keeps it from passing (fail closed), even beside a pass.
    expect(get(report, 'aws-phi-access-recorded@ehr-extracts')?.status).toBe('unknown');
    expect(get(report, 'aws-bucket-tls-only@ehr-extracts')).toBeUndefined();
    expect(get(report, 'encryption-at-rest@training-eu')?.status).toBe('fail');
  });

  it('an expired session token: the facts behind it are unknown, saying so', { timeout: 90_000 }, async () => {
    aws.faults.expiredToken('rds:*');
    const { report } = await scan();
    const f = get(report, 'public-access@reporting-db');
    expect(f?.status).toBe('unknown');
    expect(f?.message).toContain('the session token has expired');
    expect(get(report, 'encryption-at-rest@training-eu')?.status).toBe('fail');
  });

  it('an unreachable endpoint: every live fact is unknown, nothing crashes, nothing passes', { timeout: 90_000 }, async () => {
    const { report } = await scan(['--call-timeout', '5'], { AWS_ENDPOINT_URL: 'http://127.0.0.1:9' });
    expect(report.live?.unavailable.length).toBeGreaterThan(20);
    for (const u of report.live?.unavailable ?? []) expect(u.error).toMatch(/could not be reached \(ECONNREFUSED\)/);
    const f = get(report, 'encryption-at-rest@ehr-extracts');
    expect(f?.status).toBe('unknown');
    expect(f?.message).toContain('could not be reached');
    expect(get(report, 'aws-root-account-protected@aws')?.status).toBe('unknown');
  });

  it('never has more requests in flight than --concurrency', { timeout: 90_000 }, async () => {
    aws.faults.setLatency(40);
    await scan(['--concurrency', '3']);
    const peak = aws.stats().peakInFlight;
    expect(peak).toBeLessThanOrEqual(3);
    expect(peak).toBeGreaterThanOrEqual(2);
  });
});
