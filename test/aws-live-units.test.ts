/** The live checks' pure parts: locators, TLS-only policies, data-event selectors, credential reports, errors. */
import { describe, expect, it } from 'vitest';
import { parseLocator } from '../src/enrich/aws/accounts.js';
import { callKey, fromEvidenceValue, Semaphore, toEvidenceValue } from '../src/enrich/aws/caller.js';
import { selectorsCover } from '../src/enrich/aws/cloudtrail.js';
import { describeError } from '../src/enrich/aws/errors.js';
import { parseCredentialReport } from '../src/enrich/aws/iam.js';
import { deniesInsecureTransport } from '../src/enrich/aws/s3.js';

describe('resource locators', () => {
  it('read names, ARNs, queue URLs and s3:// URIs', () => {
    expect(parseLocator('s3', 'ehr-extracts')).toEqual({ name: 'ehr-extracts' });
    expect(parseLocator('s3', 'arn:aws:s3:::ehr-extracts')).toMatchObject({ name: 'ehr-extracts' });
    expect(parseLocator('s3', 's3://capture/readmission/')).toEqual({ name: 'capture', prefix: 'readmission/' });
    expect(parseLocator('logs', 'arn:aws:logs:us-west-2:111122223333:log-group:/phi/notes:*')).toEqual({
      name: '/phi/notes',
      region: 'us-west-2',
      accountId: '111122223333',
    });
    expect(parseLocator('rds', 'arn:aws:rds:eu-west-1:111122223333:cluster:notes')).toMatchObject({ name: 'notes', region: 'eu-west-1' });
    expect(parseLocator('sqs', 'arn:aws:sqs:us-east-1:111122223333:jobs')).toMatchObject({ name: 'jobs', region: 'us-east-1', accountId: '111122223333' });
    expect(parseLocator('sqs', 'https://sqs.us-east-2.amazonaws.com/111122223333/jobs')).toEqual({
      name: 'jobs',
      region: 'us-east-2',
      accountId: '111122223333',
    });
    expect(parseLocator('sagemaker', 'arn:aws:sagemaker:us-east-1:111122223333:endpoint/risk')).toMatchObject({ name: 'risk' });
    expect(parseLocator('trail', 'arn:aws:cloudtrail:us-east-1:111122223333:trail/org')).toMatchObject({ region: 'us-east-1' });
  });
});

describe('a bucket policy that refuses plain HTTP', () => {
  const deny = (cond: unknown, principal: unknown = '*') =>
    JSON.stringify({ Statement: [{ Effect: 'Deny', Principal: principal, Action: 's3:*', Condition: cond }] });
  it('is a Deny for everyone on aws:SecureTransport false', () => {
    expect(deniesInsecureTransport(deny({ Bool: { 'aws:SecureTransport': 'false' } }))).toBe(true);
    expect(deniesInsecureTransport(deny({ Bool: { 'aws:SecureTransport': false } }, { AWS: '*' }))).toBe(true);
    expect(deniesInsecureTransport(deny({ Bool: { 'aws:SecureTransport': 'true' } }))).toBe(false);
    expect(deniesInsecureTransport(deny({ Bool: { 'aws:SecureTransport': 'false' } }, { AWS: 'arn:aws:iam::1:root' }))).toBe(false);
    expect(
      deniesInsecureTransport(JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: '*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }] })),
    ).toBe(false);
    expect(deniesInsecureTransport('not json')).toBe(false);
  });
});

describe('data-event selectors', () => {
  it('cover a bucket with basic selectors that include reads', () => {
    const basic = (values: string[], rw = 'All') => ({ EventSelectors: [{ ReadWriteType: rw, DataResources: [{ Type: 'AWS::S3::Object', Values: values }] }] });
    expect(selectorsCover(basic(['arn:aws:s3:::ehr/']), 'ehr')).toBe(true);
    expect(selectorsCover(basic(['arn:aws:s3']), 'ehr')).toBe(true);
    expect(selectorsCover(basic(['arn:aws:s3:::ehr/']), 'other')).toBe(false);
    expect(selectorsCover(basic(['arn:aws:s3:::ehr/'], 'WriteOnly'), 'ehr')).toBe(false);
    expect(selectorsCover(basic(['arn:aws:s3:::ehr/exports/']), 'ehr')).toBe(false);
  });
  it('cover a bucket with advanced selectors', () => {
    const adv = (extra: object[]) => ({
      AdvancedEventSelectors: [
        { FieldSelectors: [{ Field: 'eventCategory', Equals: ['Data'] }, { Field: 'resources.type', Equals: ['AWS::S3::Object'] }, ...extra] },
      ],
    });
    expect(selectorsCover(adv([]), 'ehr')).toBe(true);
    expect(selectorsCover(adv([{ Field: 'resources.ARN', StartsWith: ['arn:aws:s3:::ehr/'] }]), 'ehr')).toBe(true);
    expect(selectorsCover(adv([{ Field: 'resources.ARN', StartsWith: ['arn:aws:s3:::other/'] }]), 'ehr')).toBe(false);
    expect(selectorsCover(adv([{ Field: 'readOnly', Equals: ['false'] }]), 'ehr')).toBe(false);
  });
});

describe('credential report', () => {
  it('reads users with a console password and no MFA', () => {
    const csv =
      'user,arn,password_enabled,mfa_active\n<root_account>,arn:r,not_supported,false\nalice,arn:a,true,true\nbob,arn:b,true,false\nci,arn:c,false,false\n';
    const rows = parseCredentialReport(csv).filter((r) => r.user !== '<root_account>' && r.password_enabled === 'true' && r.mfa_active !== 'true');
    expect(rows.map((r) => r.user)).toEqual(['bob']);
  });
});

describe('errors', () => {
  const err = (name: string, status?: number, extra: object = {}) =>
    Object.assign(new Error(`${name} message`), { name, $metadata: { httpStatusCode: status, attempts: 3 }, ...extra });
  it('say what kept a fact from being read', () => {
    expect(describeError(err('AccessDenied', 403), 's3:GetBucketPolicy', 1000).message).toBe(
      'AccessDenied on s3:GetBucketPolicy: grant it to the scanning role (phi-audit iam-policy)',
    );
    expect(describeError(err('ThrottlingException', 400), 'kms:DescribeKey', 1000).message).toContain('throttled (ThrottlingException) after 3 attempts');
    expect(describeError(err('InternalError', 500, { $fault: 'server' }), 's3:GetBucketPolicy', 1000).code).toBe('ServerError');
    expect(describeError(err('ExpiredToken', 400), 'rds:DescribeDBInstances', 1000).message).toContain('session token has expired');
    expect(describeError(Object.assign(new Error('x'), { name: 'AbortError' }), 'iam:GetAccountSummary', 2500).message).toBe(
      'iam:GetAccountSummary timed out after 2.5 s (--call-timeout)',
    );
    expect(describeError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), 'sts:GetCallerIdentity', 1000).code).toBe('Unreachable');
  });
});

describe('the caller', () => {
  it('keys a call the same whatever the order of its input keys', () => {
    const scope = { account: 'prod', region: 'us-east-1' };
    expect(callKey(scope, 'kms:DescribeKey', { a: 1, b: { d: 2, c: 3 } })).toBe(callKey(scope, 'kms:DescribeKey', { b: { c: 3, d: 2 }, a: 1 }));
  });
  it('keeps bytes and dates through an evidence file, and drops $metadata', () => {
    const v = { Content: new Uint8Array([104, 105]), When: new Date('2026-12-01T00:00:00Z'), $metadata: { requestId: 'x' } };
    const json = JSON.parse(JSON.stringify(toEvidenceValue(v)));
    expect(json.$metadata).toBeUndefined();
    const back = fromEvidenceValue(json) as { Content: Uint8Array; When: Date };
    expect(Buffer.from(back.Content).toString()).toBe('hi');
    expect(back.When.toISOString()).toBe('2026-12-01T00:00:00.000Z');
  });
  it('never lets more than its limit in at once', async () => {
    const gate = new Semaphore(3);
    let now = 0;
    let most = 0;
    await Promise.all(
      Array.from({ length: 20 }, async () => {
        await gate.acquire();
        now++;
        most = Math.max(most, now);
        await new Promise((r) => setTimeout(r, 2));
        now--;
        gate.release();
      }),
    );
    expect(most).toBe(3);
    expect(gate.peak).toBe(3);
  });
});

describe('the enricher without answers', () => {
  it('makes every live fact unavailable, and asks a model host of a several-account map for its account', async () => {
    const { createEnricher } = await import('../src/enrich/aws/index.js');
    const { replayCaller } = await import('../src/enrich/aws/caller.js');
    const { mapOf, reportOfMap } = await import('./support/audit.js');
    const map = mapOf(`
version: 1
accounts:
  prod: { provider: aws, account_id: "111111111111" }
  dev: { provider: aws, account_id: "222222222222" }
vendors:
  aws: { role: business-associate, baa: { status: signed, signed: 2025-01-15 } }
services:
  app: { hosting: aws/ecs, account: prod, data: [phi] }
  llm: { hosting: aws/bedrock }
stores:
  notes: { kind: object-store, hosting: aws/s3, account: prod, resource: notes-bucket, encryption: { at_rest: aes-256 } }
flows:
  - { from: app, to: llm, tls: "1.3" }
  - { from: app, to: notes, tls: "1.3" }
`);
    const enricher = createEnricher({ caller: replayCaller([], 'empty.json'), region: 'us-east-1', from: 'evidence' });
    const report = await reportOfMap(map, { enrichers: [enricher] });
    const copy = report.findings.find((f) => f.id === 'aws-undeclared-phi-copy@llm');
    expect(copy?.status).toBe('unknown');
    expect(copy?.message).toContain('"llm" names no account and the map declares 2: add account:');
    const enc = report.findings.find((f) => f.id === 'encryption-at-rest@notes');
    expect(enc?.status).toBe('unknown');
    expect(enc?.message).toContain('is not in the evidence file empty.json');
    expect(report.live?.from).toBe('evidence');
  });
});
