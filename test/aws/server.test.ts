/**
 * The local AWS server answers the REAL SDK v3 clients: every operation the live checks use, in two accounts (one
 * reached through AssumeRole), asserting on parsed fields (a 200 with a wrong body parses to {} without an error).
 */
import { BedrockClient, GetModelInvocationLoggingConfigurationCommand } from '@aws-sdk/client-bedrock';
import { CloudTrailClient, DescribeTrailsCommand, GetEventSelectorsCommand, GetTrailStatusCommand } from '@aws-sdk/client-cloudtrail';
import { CloudWatchLogsClient, DescribeLogGroupsCommand, paginateDescribeLogGroups } from '@aws-sdk/client-cloudwatch-logs';
import {
  GenerateCredentialReportCommand,
  GetAccountPasswordPolicyCommand,
  GetAccountSummaryCommand,
  GetCredentialReportCommand,
  GetLoginProfileCommand,
  IAMClient,
  ListMFADevicesCommand,
  paginateListUsers,
} from '@aws-sdk/client-iam';
import { DescribeKeyCommand, GetKeyRotationStatusCommand, KMSClient } from '@aws-sdk/client-kms';
import { DescribeDBClustersCommand, DescribeDBInstancesCommand, paginateDescribeDBInstances, RDSClient } from '@aws-sdk/client-rds';
import {
  GetBucketEncryptionCommand,
  GetBucketLocationCommand,
  GetBucketLoggingCommand,
  GetBucketPolicyCommand,
  GetBucketPolicyStatusCommand,
  GetBucketVersioningCommand,
  GetObjectLockConfigurationCommand,
  GetPublicAccessBlockCommand,
  paginateListBuckets,
  S3Client,
} from '@aws-sdk/client-s3';
import { GetPublicAccessBlockCommand as GetAccountPublicAccessBlockCommand, S3ControlClient } from '@aws-sdk/client-s3-control';
import { DescribeEndpointCommand, DescribeEndpointConfigCommand, paginateListEndpoints, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { GetQueueAttributesCommand, GetQueueUrlCommand, ListQueuesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type AwsServer, startAwsServer } from './server.js';

const FIXTURE = 'fixtures/aws/two-accounts.yaml';
let aws: AwsServer;

beforeAll(async () => {
  aws = await startAwsServer({ fixture: FIXTURE });
});
afterAll(async () => {
  await aws.close();
});
beforeEach(() => {
  aws.reset();
  aws.faults.clear();
  aws.faults.setLatency(0);
});

type Creds = AwsCredentialIdentity | AwsCredentialIdentityProvider;

/** Client options pointed at the local server, signing with the given credentials (default: the audit account). */
function opts(credentials?: Creds, region = 'us-east-1') {
  const base = aws.credentials('audit');
  return {
    endpoint: aws.url,
    region,
    credentials: credentials ?? { accessKeyId: base.accessKeyId, secretAccessKey: base.secretAccessKey },
    maxAttempts: 1,
  };
}

/** Credentials for prod, through the audit account's keys and prod's role, as the CLI gets them. */
function prodRole(): AwsCredentialIdentityProvider {
  return fromTemporaryCredentials({
    params: { RoleArn: aws.roleArn('prod', 'phi-audit-read'), RoleSessionName: 'phi-audit' },
    masterCredentials: opts().credentials as AwsCredentialIdentity,
    clientConfig: { endpoint: aws.url, region: 'us-east-1' },
  });
}

async function rejection(p: Promise<unknown>): Promise<{ name: string; status: number | undefined; attempts: number | undefined; message: string }> {
  try {
    await p;
  } catch (e) {
    const err = e as { name: string; message: string; $metadata?: { httpStatusCode?: number; attempts?: number } };
    return { name: err.name, status: err.$metadata?.httpStatusCode, attempts: err.$metadata?.attempts, message: err.message };
  }
  throw new Error('expected the call to fail');
}

describe('STS: identities and roles', () => {
  it('GetCallerIdentity names the base keys account, and AssumeRole gives keys the server takes as the role account', async () => {
    const base = await new STSClient(opts()).send(new GetCallerIdentityCommand({}));
    expect(base).toMatchObject({ Account: '222222222222', Arn: 'arn:aws:iam::222222222222:user/phi-audit-ci' });

    const assumed = await new STSClient(opts()).send(new AssumeRoleCommand({ RoleArn: aws.roleArn('prod', 'phi-audit-read'), RoleSessionName: 'x' }));
    expect(assumed.Credentials?.AccessKeyId).toMatch(/^ASIA/);
    expect(assumed.Credentials?.Expiration?.getTime()).toBeGreaterThan(Date.now() + 3000_000);
    expect(assumed.AssumedRoleUser?.Arn).toBe('arn:aws:sts::111111111111:assumed-role/phi-audit-read/x');

    const who = await new STSClient(opts(prodRole())).send(new GetCallerIdentityCommand({}));
    expect(who).toMatchObject({ Account: '111111111111', Arn: 'arn:aws:sts::111111111111:assumed-role/phi-audit-read/phi-audit' });
    expect(aws.calls({ service: 'sts', action: 'GetCallerIdentity', account: 'prod' })).toHaveLength(1);
  });

  it('refuses a role whose trust does not name the caller, and a role that does not exist', async () => {
    const prodKeys = aws.credentials('prod');
    const fromProd = new STSClient(opts({ accessKeyId: prodKeys.accessKeyId, secretAccessKey: prodKeys.secretAccessKey }));
    const denied = await rejection(fromProd.send(new AssumeRoleCommand({ RoleArn: aws.roleArn('prod', 'phi-audit-read'), RoleSessionName: 'x' })));
    expect(denied).toMatchObject({ name: 'AccessDenied', status: 403 });
    expect(denied.message).toContain('sts:AssumeRole');
    const missing = await rejection(new STSClient(opts()).send(new AssumeRoleCommand({ RoleArn: aws.roleArn('prod', 'nope'), RoleSessionName: 'x' })));
    expect(missing.name).toBe('AccessDenied');
  });

  it('answers an unknown access key and a request without Authorization with 403', async () => {
    const unknown = await rejection(new STSClient(opts({ accessKeyId: 'AKIANOBODY', secretAccessKey: 'x' })).send(new GetCallerIdentityCommand({})));
    expect(unknown).toMatchObject({ name: 'InvalidClientTokenId', status: 403 });
    const s3unknown = await rejection(
      new S3Client(opts({ accessKeyId: 'AKIANOBODY', secretAccessKey: 'x' })).send(new GetBucketVersioningCommand({ Bucket: 'b' })),
    );
    expect(s3unknown).toMatchObject({ name: 'InvalidAccessKeyId', status: 403 });
    const anonymous = await fetch(`${aws.url}/`, {
      method: 'POST',
      body: 'Action=GetCallerIdentity&Version=2011-06-15',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(anonymous.status).toBe(403);
    expect(await anonymous.text()).toContain('<Code>MissingAuthenticationToken</Code>');
  });
});

describe('S3 and S3 Control', () => {
  it('ListBuckets pages with ContinuationToken and gives each BucketRegion', async () => {
    const s3 = new S3Client(opts(prodRole()));
    const pages = [];
    for await (const page of paginateListBuckets({ client: s3, pageSize: 2 }, {})) pages.push(page);
    expect(pages.length).toBe(3);
    expect(pages[0]?.ContinuationToken).toBeTruthy();
    const buckets = pages.flatMap((p) => p.Buckets ?? []);
    expect(buckets.map((b) => b.Name)).toEqual(['access-logs-prod', 'audit-trail-prod', 'ehr-extracts-prod', 'scoring-output-prod', 'training-eu']);
    expect(buckets.find((b) => b.Name === 'training-eu')?.BucketRegion).toBe('eu-west-1');
    expect(buckets[0]?.CreationDate).toBeInstanceOf(Date);
    // the audit account has no buckets of its own
    const own = [];
    for await (const page of paginateListBuckets({ client: new S3Client(opts()) }, {})) own.push(...(page.Buckets ?? []));
    expect(own).toEqual([]);
  });

  it('reads each bucket configuration, and answers "not configured" with the codes AWS uses', async () => {
    const s3 = new S3Client(opts(prodRole()));
    const enc = await s3.send(new GetBucketEncryptionCommand({ Bucket: 'ehr-extracts-prod' }));
    const rule = enc.ServerSideEncryptionConfiguration?.Rules?.[0];
    expect(rule?.ApplyServerSideEncryptionByDefault).toEqual({
      SSEAlgorithm: 'aws:kms',
      KMSMasterKeyID: 'arn:aws:kms:us-east-1:111111111111:key/0b6f0c1e-1111-4a4a-9a9a-000000000001',
    });
    expect(rule?.BucketKeyEnabled).toBe(true);
    const dflt = await s3.send(new GetBucketEncryptionCommand({ Bucket: 'access-logs-prod' }));
    expect(dflt.ServerSideEncryptionConfiguration?.Rules?.[0]?.ApplyServerSideEncryptionByDefault?.SSEAlgorithm).toBe('AES256');

    const pab = await s3.send(new GetPublicAccessBlockCommand({ Bucket: 'scoring-output-prod' }));
    expect(pab.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      IgnorePublicAcls: true,
      BlockPublicPolicy: false,
      RestrictPublicBuckets: false,
    });
    expect((await s3.send(new GetBucketPolicyStatusCommand({ Bucket: 'scoring-output-prod' }))).PolicyStatus?.IsPublic).toBe(true);
    expect((await s3.send(new GetBucketPolicyStatusCommand({ Bucket: 'ehr-extracts-prod' }))).PolicyStatus?.IsPublic).toBe(false);
    const policy = JSON.parse((await s3.send(new GetBucketPolicyCommand({ Bucket: 'ehr-extracts-prod' }))).Policy ?? '{}');
    expect(policy.Statement[0].Condition.Bool['aws:SecureTransport']).toBe('false');
    const logging = await s3.send(new GetBucketLoggingCommand({ Bucket: 'ehr-extracts-prod' }));
    expect(logging.LoggingEnabled).toEqual({ TargetBucket: 'access-logs-prod', TargetPrefix: 'ehr-extracts/' });
    expect((await s3.send(new GetBucketLoggingCommand({ Bucket: 'access-logs-prod' }))).LoggingEnabled).toBeUndefined();
    const lock = await s3.send(new GetObjectLockConfigurationCommand({ Bucket: 'audit-trail-prod' }));
    expect(lock.ObjectLockConfiguration).toEqual({ ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Years: 6 } } });
    expect((await s3.send(new GetBucketVersioningCommand({ Bucket: 'ehr-extracts-prod' }))).Status).toBe('Enabled');
    expect((await s3.send(new GetBucketVersioningCommand({ Bucket: 'access-logs-prod' }))).Status).toBeUndefined();
    expect((await s3.send(new GetBucketLocationCommand({ Bucket: 'training-eu' }))).LocationConstraint).toBe('eu-west-1');
    expect((await s3.send(new GetBucketLocationCommand({ Bucket: 'ehr-extracts-prod' }))).LocationConstraint).toBeUndefined();

    const notConfigured = [
      [new GetBucketEncryptionCommand({ Bucket: 'training-eu' }), 'ServerSideEncryptionConfigurationNotFoundError'],
      [new GetPublicAccessBlockCommand({ Bucket: 'training-eu' }), 'NoSuchPublicAccessBlockConfiguration'],
      [new GetBucketPolicyStatusCommand({ Bucket: 'access-logs-prod' }), 'NoSuchBucketPolicy'],
      [new GetBucketPolicyCommand({ Bucket: 'access-logs-prod' }), 'NoSuchBucketPolicy'],
      [new GetObjectLockConfigurationCommand({ Bucket: 'access-logs-prod' }), 'ObjectLockConfigurationNotFoundError'],
      [new GetBucketVersioningCommand({ Bucket: 'no-such-bucket' }), 'NoSuchBucket'],
    ] as const;
    const eu = new S3Client(opts(prodRole(), 'eu-west-1'));
    for (const [command, name] of notConfigured) {
      const client = (command.input as { Bucket: string }).Bucket === 'training-eu' ? eu : s3;
      // biome-ignore lint/suspicious/noExplicitAny: a table of different commands
      const err = await rejection(client.send(command as any));
      expect(err.name, String(command.constructor.name)).toBe(name);
      expect(err.status).toBe(404);
    }
  });

  it("answers a bucket in another region with a 301 the SDK can follow, and another account's bucket with 403", async () => {
    const moved = await rejection(new S3Client(opts(prodRole())).send(new GetBucketVersioningCommand({ Bucket: 'training-eu' })));
    expect(moved).toMatchObject({ name: 'PermanentRedirect', status: 301 });
    const follows = new S3Client({ ...opts(prodRole()), followRegionRedirects: true });
    const enc = await rejection(follows.send(new GetBucketEncryptionCommand({ Bucket: 'training-eu' })));
    expect(enc.name).toBe('ServerSideEncryptionConfigurationNotFoundError');
    expect(aws.calls({ action: 'GetBucketEncryption', resource: 'training-eu' }).map((c) => c.region)).toEqual(['us-east-1', 'eu-west-1']);
    const foreign = await rejection(new S3Client(opts()).send(new GetBucketVersioningCommand({ Bucket: 'ehr-extracts-prod' })));
    expect(foreign).toMatchObject({ name: 'AccessDenied', status: 403 });
  });

  it('S3 Control reads the account-level public access block for the signing account', async () => {
    const control = (credentials: Creds) => new S3ControlClient({ ...opts(credentials), endpointProvider: () => ({ url: new URL(aws.url) }) });
    const block = await control(prodRole()).send(new GetAccountPublicAccessBlockCommand({ AccountId: '111111111111' }));
    expect(block.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      IgnorePublicAcls: true,
      BlockPublicPolicy: true,
      RestrictPublicBuckets: true,
    });
    const none = await rejection(control(opts().credentials).send(new GetAccountPublicAccessBlockCommand({ AccountId: '222222222222' })));
    expect(none).toMatchObject({ name: 'NoSuchPublicAccessBlockConfiguration', status: 404 });
    const other = await rejection(control(opts().credentials).send(new GetAccountPublicAccessBlockCommand({ AccountId: '111111111111' })));
    expect(other).toMatchObject({ name: 'AccessDenied', status: 403 });
    expect(aws.calls({ service: 's3control' }).map((c) => c.account)).toEqual(['prod', 'audit', 'audit']);
  });
});
