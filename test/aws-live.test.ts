/**
 * `scan --aws` end to end: the real CLI as a process against the local AWS server (test/aws/), two accounts each read
 * through an assumed role. Findings carry live provenance (verified, contradicted, filled in, unavailable) and their
 * citations; the copies AWS makes (invocation logs, dead-letter queues) that the map leaves out are found.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

async function scan(extra: string[] = []) {
  const r = await cliAsync(['scan', MAP, '--aws', '--format', 'json', '--fail-on', 'none', ...extra], { env: aws.env('audit'), timeoutMs: 60_000 });
  expect(r.stderr).not.toMatch(/\n\s+at /);
  if (r.status !== 0) throw new Error(`exit ${r.status}: ${r.stderr}`);
  return JSON.parse(r.stdout) as JsonReport;
}

const find = (r: JsonReport, id: string) => {
  const f = r.findings.find((x) => x.id === id);
  if (!f) throw new Error(`no finding ${id}: ${r.findings.map((x) => x.id).join(', ')}`);
  return f;
};
const ev = (r: JsonReport, subject: string, field: string) => r.findings.flatMap((f) => f.evidence).find((e) => e.subject === subject && e.field === field);

describe('scan --aws against two accounts', () => {
  let report: JsonReport;
  beforeAll(async () => {
    aws.reset();
    report = await scan();
  }, 60_000);

  it('reads each account through its own assumed role', () => {
    expect(report.live?.provider).toBe('aws');
    expect(report.live?.from).toBe('account');
    expect(report.live?.accounts.map((a) => [a.id, a.account_id, a.role_arn])).toEqual([
      ['prod', '111111111111', 'arn:aws:iam::111111111111:role/phi-audit-read'],
      ['audit', '222222222222', 'arn:aws:iam::222222222222:role/phi-audit-read'],
    ]);
    const calls = aws.calls();
    expect(
      calls
        .filter((c) => c.service === 'sts' && c.action === 'AssumeRole')
        .map((c) => c.resource ?? '')
        .sort(),
    ).toEqual(expect.arrayContaining([expect.stringContaining('111111111111'), expect.stringContaining('222222222222')]));
    // Reads in prod are made with prod's assumed role, not with the audit account's keys.
    expect(calls.filter((c) => c.service === 's3' && c.action === 'GetBucketEncryption').every((c) => c.account === 'prod')).toBe(true);
    expect(report.live?.calls).toBe(calls.length);
    expect(Date.parse(report.live!.finished)).toBeGreaterThanOrEqual(Date.parse(report.live!.started));
  });

  it('verifies what the account confirms and fills in what the map leaves out', () => {
    const verified = ev(report, 'scoring-output', 'encryption.at_rest');
    expect(verified).toMatchObject({ provenance: 'verified', declared: 'aes-256', observed: 'aes-256' });
    expect(verified?.source).toMatch(/^s3:GetBucketEncryption scoring-output-prod \(prod, us-east-1\)/);
    // The map is silent on training-eu's encryption: the account answers, and that is judged (no default encryption).
    const filled = ev(report, 'training-eu', 'encryption.at_rest');
    expect(filled).toMatchObject({ provenance: 'verified', observed: 'none' });
    expect(filled?.declared).toBeUndefined();
    const f = find(report, 'encryption-at-rest@training-eu');
    expect(f.status).toBe('fail');
    expect(f.cite).toContain('45 CFR 164.312(a)(2)(iv)');
    // training-eu lives in eu-west-1: its calls went there (the account-wide block covers its public access).
    expect(ev(report, 'training-eu', 'encryption.at_rest')?.source).toMatch(/\(prod, eu-west-1\)/);
    expect(ev(report, 'training-eu', 'public_access')?.source).toMatch(/^s3control:GetPublicAccessBlock \(prod\): all four/);
  });

  it('reports contradictions naming the declared and the observed value', () => {
    const key = find(report, 'customer-managed-key@scoring-output');
    expect(key.status).toBe('fail');
    expect(key.evidence).toContainEqual(
      expect.objectContaining({ field: 'encryption.key', provenance: 'contradicted', declared: 'customer-managed', observed: 'provider-managed' }),
    );
    const pub = find(report, 'public-access@reporting-db');
    expect(pub).toMatchObject({ status: 'fail', severity: 'critical' });
    expect(pub.evidence).toContainEqual(
      expect.objectContaining({
        provenance: 'contradicted',
        declared: 'blocked',
        observed: 'allowed',
        source: expect.stringContaining('PubliclyAccessible true'),
      }),
    );
    expect(find(report, 'encryption-at-rest@reporting-db').evidence).toContainEqual(
      expect.objectContaining({ provenance: 'contradicted', declared: 'aes-256', observed: 'none' }),
    );
  });

  it('verifies a customer-managed key through KMS, and passes it', () => {
    expect(report.findings.some((f) => f.id === 'customer-managed-key@ehr-extracts' || f.id === 'encryption-at-rest@ehr-extracts')).toBe(false);
    expect(
      aws.calls().some((c) => c.service === 'kms' && c.action === 'DescribeKey' && (c.resource ?? '').includes('0b6f0c1e-1111-4a4a-9a9a-000000000001')),
    ).toBe(true);
  });

  it('makes a missing bucket unknown, never a pass', () => {
    const f = find(report, 'encryption-at-rest@capture');
    expect(f.status).toBe('unknown');
    expect(f.message).toContain('capture-prod does not exist in account prod');
    expect(f.evidence).toContainEqual(expect.objectContaining({ provenance: 'unavailable' }));
    expect(report.live?.unavailable).toContainEqual(expect.objectContaining({ subject: 'capture', field: 'public_access' }));
  });

  it('finds the copies AWS makes that the map does not declare', () => {
    const bedrock = find(report, 'aws-undeclared-phi-copy@summarizer');
    expect(bedrock).toMatchObject({ status: 'fail', severity: 'high' });
    expect(bedrock.message).toContain('s3://bedrock-invocations-prod/logs/');
    expect(bedrock.message).toContain('Bedrock model invocation logs (prod, us-east-1)');
    expect(bedrock.cite).toEqual(['45 CFR 164.308(a)(1)(ii)(A)']);
    expect(find(report, 'aws-undeclared-phi-copy@assistant').message).toContain('log group /bedrock/invocations');
    expect(find(report, 'aws-undeclared-phi-copy@scoring-jobs').message).toContain('queue scoring-jobs-dlq');
    // SageMaker data capture writes to capture-prod, which the map declares as a PHI store reached by a flow: no finding.
    expect(report.findings.some((f) => f.id === 'aws-undeclared-phi-copy@scorer')).toBe(false);
  });

  it('judges account-wide controls and ties resources to the map', () => {
    expect(find(report, 'aws-root-account-protected@aws').evidence).toContainEqual(
      expect.objectContaining({ field: 'aws.root_mfa', observed: false, source: expect.stringContaining('(prod): AccountMFAEnabled 0') }),
    );
    expect(find(report, 'aws-console-users-mfa@aws').message).toContain('prod/bob');
    expect(find(report, 'aws-cloudtrail@aws').message).toContain('aws.trail_logging is false');
    expect(find(report, 'aws-unmapped-buckets@aws')).toMatchObject({ severity: 'info' });
    expect(find(report, 'aws-unmapped-buckets@aws').message).toContain('prod/access-logs-prod');
    expect(find(report, 'aws-resource-located@sessions')).toMatchObject({ severity: 'info', status: 'fail' });
    expect(find(report, 'aws-phi-access-recorded@scoring-output').status).toBe('fail');
    expect(report.findings.some((f) => f.id === 'aws-phi-access-recorded@ehr-extracts')).toBe(false);
    // An audit log on CloudTrail: validation on, so it is tamper-evident; no finding.
    expect(report.findings.some((f) => f.id === 'audit-log-tamper-evident@trail')).toBe(false);
  });

  it('shows live provenance in the text report', async () => {
    const r = await cliAsync(['scan', MAP, '--aws', '--fail-on', 'none'], { env: aws.env('audit'), timeoutMs: 60_000 });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/Live: aws prod 111111111111, audit 222222222222 \(.*\): \d+ calls, \d+ facts unavailable/);
    expect(r.stdout).toContain('live: scoring-output: encryption.key contradicted: map says customer-managed, account says');
    expect(r.stdout).toContain('live: training-eu: encryption.at_rest filled in: none (s3:GetBucketEncryption');
    expect(r.stdout).toContain('live: capture: encryption.at_rest unavailable: bucket capture-prod does not exist');
    // stderr is not a terminal here: no progress line.
    expect(r.stderr).not.toContain('reading AWS');
    // Nothing secret reaches the output.
    for (const secret of ['audit-secret', 'prod-secret', 'AKIAAUDIT00000000001']) expect(r.stdout + r.stderr).not.toContain(secret);
  }, 60_000);
});
