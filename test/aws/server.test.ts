/**
 * The local AWS server answers the REAL SDK v3 clients: every operation the live checks use, in two accounts (one
 * reached through AssumeRole), asserting on parsed fields (a 200 with a wrong body parses to {} without an error).
 */

import path from 'node:path';
import { BedrockClient, GetModelInvocationLoggingConfigurationCommand } from '@aws-sdk/client-bedrock';
import { CloudTrailClient, DescribeTrailsCommand, GetEventSelectorsCommand, GetTrailStatusCommand } from '@aws-sdk/client-cloudtrail';
import { CloudWatchLogsClient, DescribeLogGroupsCommand, paginateDescribeLogGroups } from '@aws-sdk/client-cloudwatch-logs';
import {
  CreateUserCommand,
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
  PutObjectCommand,
  paginateListBuckets,
  S3Client,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
import { GetPublicAccessBlockCommand as GetAccountPublicAccessBlockCommand, S3ControlClient } from '@aws-sdk/client-s3-control';
import { DescribeEndpointCommand, DescribeEndpointConfigCommand, paginateListEndpoints, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { GetQueueAttributesCommand, GetQueueUrlCommand, ListQueuesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { fromTemporaryCredentials } from '@aws-sdk/credential-providers';
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

type Creds = NonNullable<S3ClientConfig['credentials']>;

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
function prodRole(): Creds {
  return fromTemporaryCredentials({
    params: { RoleArn: aws.roleArn('prod', 'phi-audit-read'), RoleSessionName: 'phi-audit' },
    masterCredentials: aws.credentials('audit'),
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

    const { AccessKeyId = '', SecretAccessKey = '', SessionToken } = assumed.Credentials ?? {};
    const withToken = await new S3Client(opts({ accessKeyId: AccessKeyId, secretAccessKey: SecretAccessKey, sessionToken: SessionToken })).send(
      new GetBucketVersioningCommand({ Bucket: 'ehr-extracts-prod' }),
    );
    expect(withToken.Status).toBe('Enabled');
    const noToken = new S3Client(opts({ accessKeyId: AccessKeyId, secretAccessKey: SecretAccessKey }));
    expect(await rejection(noToken.send(new GetBucketVersioningCommand({ Bucket: 'ehr-extracts-prod' })))).toMatchObject({
      name: 'InvalidAccessKeyId',
      status: 403,
    });

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

describe('IAM', () => {
  it('reads the account summary, the password policy, users with MFA and login profiles, in two accounts', async () => {
    const prod = new IAMClient(opts(prodRole()));
    const summary = await prod.send(new GetAccountSummaryCommand({}));
    expect(summary.SummaryMap).toMatchObject({ AccountMFAEnabled: 0, AccountAccessKeysPresent: 1, Users: 3, MFADevices: 1 });
    const policy = await prod.send(new GetAccountPasswordPolicyCommand({}));
    expect(policy.PasswordPolicy).toMatchObject({
      MinimumPasswordLength: 14,
      RequireSymbols: true,
      MaxPasswordAge: 90,
      PasswordReusePrevention: 24,
      ExpirePasswords: true,
    });
    const audit = new IAMClient(opts());
    expect((await audit.send(new GetAccountSummaryCommand({}))).SummaryMap?.AccountMFAEnabled).toBe(1);
    expect(await rejection(audit.send(new GetAccountPasswordPolicyCommand({})))).toMatchObject({ name: 'NoSuchEntityException', status: 404 });

    const pages = [];
    for await (const page of paginateListUsers({ client: prod, pageSize: 2 }, {})) pages.push(page);
    expect(pages.map((p) => p.IsTruncated)).toEqual([true, false]);
    const users = pages.flatMap((p) => p.Users ?? []);
    expect(users.map((u) => u.UserName)).toEqual(['alice', 'bob', 'ci-deployer']);
    expect(users[0]).toMatchObject({ Arn: 'arn:aws:iam::111111111111:user/alice', PasswordLastUsed: new Date('2026-11-30T08:00:00Z') });
    expect(users[0]?.CreateDate).toBeInstanceOf(Date);
    expect(aws.calls({ action: 'ListUsers' }).map((c) => c.account)).toEqual(['prod', 'prod']);

    const mfa = await prod.send(new ListMFADevicesCommand({ UserName: 'alice' }));
    expect(mfa.MFADevices?.map((d) => d.SerialNumber)).toEqual(['arn:aws:iam::111111111111:mfa/alice-mfa-1']);
    expect((await prod.send(new ListMFADevicesCommand({ UserName: 'bob' }))).MFADevices).toEqual([]);
    expect((await prod.send(new GetLoginProfileCommand({ UserName: 'bob' }))).LoginProfile?.UserName).toBe('bob');
    expect(await rejection(prod.send(new GetLoginProfileCommand({ UserName: 'ci-deployer' })))).toMatchObject({ name: 'NoSuchEntityException', status: 404 });
    expect((await rejection(prod.send(new ListMFADevicesCommand({ UserName: 'nobody' })))).name).toBe('NoSuchEntityException');
  });

  it('generates a credential report (base64 CSV) after GetCredentialReport said it is not present', async () => {
    const prod = new IAMClient(opts(prodRole()));
    expect(await rejection(prod.send(new GetCredentialReportCommand({})))).toMatchObject({ name: 'CredentialReportNotPresentException', status: 410 });
    expect((await prod.send(new GenerateCredentialReportCommand({}))).State).toBe('STARTED');
    expect((await prod.send(new GenerateCredentialReportCommand({}))).State).toBe('COMPLETE');
    const report = await prod.send(new GetCredentialReportCommand({}));
    expect(report.ReportFormat).toBe('text/csv');
    const rows = new TextDecoder()
      .decode(report.Content)
      .split('\n')
      .map((l) => l.split(','));
    const header = rows[0] ?? [];
    const col = (row: string[] | undefined, name: string) => row?.[header.indexOf(name)];
    const byUser = new Map(rows.slice(1).map((r) => [r[0], r]));
    expect(col(byUser.get('<root_account>'), 'mfa_active')).toBe('false');
    expect(col(byUser.get('<root_account>'), 'access_key_1_active')).toBe('true');
    expect(col(byUser.get('alice'), 'mfa_active')).toBe('true');
    expect(col(byUser.get('bob'), 'password_enabled')).toBe('true');
    expect(col(byUser.get('bob'), 'mfa_active')).toBe('false');
    expect(col(byUser.get('ci-deployer'), 'password_enabled')).toBe('false');
    expect(header).toHaveLength(22);

    aws.state.accounts.get('prod')!.iam.credentialReport = 'inProgress';
    expect(await rejection(prod.send(new GetCredentialReportCommand({})))).toMatchObject({ name: 'CredentialReportNotReadyException', status: 404 });
    aws.state.accounts.get('prod')!.iam.credentialReport = 'expired';
    expect(await rejection(prod.send(new GetCredentialReportCommand({})))).toMatchObject({ name: 'CredentialReportExpiredException', status: 410 });
    aws.state.accounts.get('prod')!.iam.credentialReport = 'absent';
  });
});

describe('CloudTrail and KMS', () => {
  it('describes trails (multi-region ones in every region), their status and both kinds of selectors', async () => {
    const ct = new CloudTrailClient(opts(prodRole()));
    const trails = (await ct.send(new DescribeTrailsCommand({ includeShadowTrails: true }))).trailList ?? [];
    expect(trails.map((t) => t.Name)).toEqual(['org-trail', 'stopped-trail']);
    expect(trails[0]).toMatchObject({
      TrailARN: 'arn:aws:cloudtrail:us-east-1:111111111111:trail/org-trail',
      HomeRegion: 'us-east-1',
      IsMultiRegionTrail: true,
      LogFileValidationEnabled: true,
      S3BucketName: 'audit-trail-prod',
      KmsKeyId: 'arn:aws:kms:us-east-1:111111111111:key/0b6f0c1e-1111-4a4a-9a9a-000000000002',
      HasCustomEventSelectors: true,
    });
    expect(trails[1]).toMatchObject({ IsMultiRegionTrail: false, LogFileValidationEnabled: false });
    expect(trails[1]?.KmsKeyId).toBeUndefined();
    const eu = new CloudTrailClient(opts(prodRole(), 'eu-west-1'));
    expect(((await eu.send(new DescribeTrailsCommand({}))).trailList ?? []).map((t) => t.Name)).toEqual(['org-trail']);
    expect((await eu.send(new DescribeTrailsCommand({ includeShadowTrails: false }))).trailList).toEqual([]);

    const on = await ct.send(new GetTrailStatusCommand({ Name: 'arn:aws:cloudtrail:us-east-1:111111111111:trail/org-trail' }));
    expect(on.IsLogging).toBe(true);
    expect(on.LatestDeliveryTime).toBeInstanceOf(Date);
    const off = await ct.send(new GetTrailStatusCommand({ Name: 'stopped-trail' }));
    expect(off).toMatchObject({ IsLogging: false, LatestDeliveryError: 'AccessDenied' });
    expect(await rejection(ct.send(new GetTrailStatusCommand({ Name: 'nope' })))).toMatchObject({ name: 'TrailNotFoundException', status: 400 });

    const advanced = await ct.send(new GetEventSelectorsCommand({ TrailName: 'org-trail' }));
    expect(advanced.EventSelectors).toBeUndefined();
    expect(advanced.AdvancedEventSelectors?.[0]?.FieldSelectors).toContainEqual({ Field: 'resources.ARN', StartsWith: ['arn:aws:s3:::ehr-extracts-prod/'] });
    const basic = await ct.send(new GetEventSelectorsCommand({ TrailName: 'stopped-trail' }));
    expect(basic.EventSelectors?.[0]?.DataResources).toEqual([{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3:::scoring-output-prod/'] }]);
    expect(basic.TrailARN).toBe('arn:aws:cloudtrail:us-east-1:111111111111:trail/stopped-trail');
    expect((await new CloudTrailClient(opts()).send(new DescribeTrailsCommand({}))).trailList).toEqual([]);
  });

  it('describes keys by id, ARN, alias and alias ARN, with their manager and rotation', async () => {
    const kms = new KMSClient(opts(prodRole()));
    const arn = 'arn:aws:kms:us-east-1:111111111111:key/0b6f0c1e-1111-4a4a-9a9a-000000000001';
    for (const KeyId of [arn, '0b6f0c1e-1111-4a4a-9a9a-000000000001', 'alias/phi-data', 'arn:aws:kms:us-east-1:111111111111:alias/phi-data']) {
      const key = await kms.send(new DescribeKeyCommand({ KeyId }));
      expect(key.KeyMetadata).toMatchObject({ Arn: arn, KeyManager: 'CUSTOMER', KeyState: 'Enabled', Enabled: true, AWSAccountId: '111111111111' });
      expect(key.KeyMetadata?.CreationDate).toBeInstanceOf(Date);
    }
    expect((await kms.send(new DescribeKeyCommand({ KeyId: 'alias/aws/s3' }))).KeyMetadata?.KeyManager).toBe('AWS');
    expect((await kms.send(new GetKeyRotationStatusCommand({ KeyId: arn }))).KeyRotationEnabled).toBe(true);
    expect((await kms.send(new GetKeyRotationStatusCommand({ KeyId: '0b6f0c1e-1111-4a4a-9a9a-000000000002' }))).KeyRotationEnabled).toBe(false);
    expect(await rejection(kms.send(new DescribeKeyCommand({ KeyId: 'alias/nope' })))).toMatchObject({ name: 'NotFoundException', status: 400 });
    // the audit account reads prod's key by ARN (cross-account), not by alias
    expect((await new KMSClient(opts()).send(new DescribeKeyCommand({ KeyId: arn }))).KeyMetadata?.KeyManager).toBe('CUSTOMER');
    expect((await rejection(new KMSClient(opts()).send(new DescribeKeyCommand({ KeyId: 'alias/phi-data' })))).name).toBe('NotFoundException');
  });
});

describe('CloudWatch Logs, RDS, SQS, SageMaker, Bedrock', () => {
  it('pages log groups by nextToken and filters by prefix', async () => {
    const logs = new CloudWatchLogsClient(opts(prodRole()));
    const pages = [];
    for await (const page of paginateDescribeLogGroups({ client: logs, pageSize: 2 }, {})) pages.push(page);
    expect(pages).toHaveLength(2);
    const groups = pages.flatMap((p) => p.logGroups ?? []);
    expect(groups.map((g) => g.logGroupName)).toEqual(['/app/web', '/phi/discharge-notes', '/phi/scoring']);
    expect(groups[1]).toMatchObject({ retentionInDays: 2192, kmsKeyId: 'arn:aws:kms:us-east-1:111111111111:key/0b6f0c1e-1111-4a4a-9a9a-000000000001' });
    expect(groups[0]?.retentionInDays).toBeUndefined();
    expect(groups[0]?.creationTime).toBe(Date.parse('2025-01-15T10:00:00Z'));
    const phi = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/phi/' }));
    expect(phi.logGroups?.map((g) => g.logGroupName)).toEqual(['/phi/discharge-notes', '/phi/scoring']);
    expect(aws.calls({ service: 'logs' }).at(-1)?.resource).toBe('/phi/');
  });

  it('describes DB instances (Marker paging, MaxRecords bounds, not found) and clusters', async () => {
    const rds = new RDSClient(opts(prodRole()));
    const one = await rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: 'ehr-replica' }));
    expect(one.DBInstances).toHaveLength(1);
    expect(one.DBInstances?.[0]).toMatchObject({
      DBInstanceIdentifier: 'ehr-replica',
      StorageEncrypted: true,
      PubliclyAccessible: false,
      BackupRetentionPeriod: 35,
      DeletionProtection: true,
      DBInstanceArn: 'arn:aws:rds:us-east-1:111111111111:db:ehr-replica',
    });
    const all = [];
    for await (const page of paginateDescribeDBInstances({ client: rds, pageSize: 20 }, {})) all.push(...(page.DBInstances ?? []));
    expect(all.map((d) => [d.DBInstanceIdentifier, d.StorageEncrypted, d.PubliclyAccessible])).toEqual([
      ['ehr-replica', true, false],
      ['reporting-db', false, true],
    ]);
    expect(await rejection(rds.send(new DescribeDBInstancesCommand({ MaxRecords: 10 })))).toMatchObject({ name: 'InvalidParameterValue', status: 400 });
    expect(await rejection(rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: 'gone' })))).toMatchObject({
      name: 'DBInstanceNotFoundFault',
      status: 404,
    });
    const clusters = await rds.send(new DescribeDBClustersCommand({}));
    expect(clusters.DBClusters?.[0]).toMatchObject({
      DBClusterIdentifier: 'notes-cluster',
      StorageEncrypted: true,
      DeletionProtection: false,
      BackupRetentionPeriod: 7,
    });
    expect(clusters.DBClusters?.[0]?.DBClusterMembers).toEqual([{ DBInstanceIdentifier: 'notes-1', IsClusterWriter: true }]);
    expect((await rejection(rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: 'gone' })))).name).toBe('DBClusterNotFoundFault');
    // paging really pages: 45 instances in pages of 20
    const region = aws.state.accounts.get('prod')!.regions.get('us-east-1')!;
    for (let i = 0; i < 43; i++) region.dbInstances.set(`bulk-${String(i).padStart(2, '0')}`, {});
    const paged = [];
    for await (const page of paginateDescribeDBInstances({ client: rds, pageSize: 20 }, {})) paged.push(page.DBInstances?.length);
    expect(paged).toEqual([20, 20, 5]);
    for (let i = 0; i < 43; i++) region.dbInstances.delete(`bulk-${String(i).padStart(2, '0')}`);
  });

  it('resolves queues by name to URLs on this server and reads their attributes', async () => {
    const sqs = new SQSClient(opts(prodRole()));
    const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: 'scoring-jobs' }));
    expect(QueueUrl).toBe(`${aws.url}/111111111111/scoring-jobs`);
    const attrs = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['All'] }))).Attributes ?? {};
    expect(attrs.QueueArn).toBe('arn:aws:sqs:us-east-1:111111111111:scoring-jobs');
    expect(attrs.SqsManagedSseEnabled).toBe('true');
    expect(JSON.parse(attrs.RedrivePolicy ?? '{}')).toEqual({ deadLetterTargetArn: 'arn:aws:sqs:us-east-1:111111111111:scoring-jobs-dlq', maxReceiveCount: 5 });
    const dlq = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: `${aws.url}/111111111111/scoring-jobs-dlq`, AttributeNames: ['All'] }));
    expect(dlq.Attributes).toMatchObject({ KmsMasterKeyId: 'alias/phi-data', SqsManagedSseEnabled: 'false' });
    const plain = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: `${aws.url}/111111111111/plain-queue`, AttributeNames: ['SqsManagedSseEnabled'] }));
    expect(plain.Attributes).toEqual({ SqsManagedSseEnabled: 'false' });
    expect((await sqs.send(new ListQueuesCommand({ QueueNamePrefix: 'scoring' }))).QueueUrls).toEqual([
      `${aws.url}/111111111111/scoring-jobs`,
      `${aws.url}/111111111111/scoring-jobs-dlq`,
    ]);
    const missing = await rejection(sqs.send(new GetQueueUrlCommand({ QueueName: 'nope' })));
    expect(missing).toMatchObject({ name: 'QueueDoesNotExist', status: 400 });
    expect(aws.calls({ service: 'sqs', action: 'GetQueueAttributes' }).map((c) => c.resource)).toEqual(['scoring-jobs', 'scoring-jobs-dlq', 'plain-queue']);
  });

  it('lists SageMaker endpoints (paged) and describes an endpoint and its data capture config', async () => {
    const sm = new SageMakerClient(opts(prodRole()));
    const pages = [];
    for await (const page of paginateListEndpoints({ client: sm, pageSize: 1 }, {})) pages.push(page);
    expect(pages.flatMap((p) => (p.Endpoints ?? []).map((e) => e.EndpointName))).toEqual(['readmission-risk', 'summarizer']);
    expect(pages[0]?.Endpoints?.[0]).toMatchObject({
      EndpointStatus: 'InService',
      EndpointArn: 'arn:aws:sagemaker:us-east-1:111111111111:endpoint/readmission-risk',
    });
    const endpoint = await sm.send(new DescribeEndpointCommand({ EndpointName: 'readmission-risk' }));
    expect(endpoint.EndpointConfigName).toBe('readmission-risk-config');
    expect(endpoint.DataCaptureConfig).toMatchObject({ EnableCapture: true, DestinationS3Uri: 's3://capture-prod/readmission/' });
    const config = await sm.send(new DescribeEndpointConfigCommand({ EndpointConfigName: endpoint.EndpointConfigName }));
    expect(config.DataCaptureConfig).toMatchObject({
      EnableCapture: true,
      DestinationS3Uri: 's3://capture-prod/readmission/',
      CaptureOptions: [{ CaptureMode: 'Input' }, { CaptureMode: 'Output' }],
    });
    const plain = await sm.send(new DescribeEndpointCommand({ EndpointName: 'summarizer' }));
    expect(plain.DataCaptureConfig).toBeUndefined();
    expect(await rejection(sm.send(new DescribeEndpointConfigCommand({ EndpointConfigName: 'summarizer-config' })))).toMatchObject({
      name: 'ValidationException',
      status: 400,
    });
    expect(await rejection(sm.send(new DescribeEndpointCommand({ EndpointName: 'nope' })))).toMatchObject({ name: 'ValidationException', status: 400 });
  });

  it('answers Bedrock invocation logging per account and region ({} where not configured)', async () => {
    const prod = await new BedrockClient(opts(prodRole())).send(new GetModelInvocationLoggingConfigurationCommand({}));
    expect(prod.loggingConfig).toMatchObject({ textDataDeliveryEnabled: true, s3Config: { bucketName: 'bedrock-invocations-prod', keyPrefix: 'logs/' } });
    const audit = await new BedrockClient(opts()).send(new GetModelInvocationLoggingConfigurationCommand({}));
    expect(audit.loggingConfig?.cloudWatchConfig?.logGroupName).toBe('/bedrock/invocations');
    const eu = await new BedrockClient(opts(prodRole(), 'eu-west-1')).send(new GetModelInvocationLoggingConfigurationCommand({}));
    expect(eu.loggingConfig).toBeUndefined();
    expect(aws.calls({ service: 'bedrock' }).map((c) => [c.account, c.region])).toEqual([
      ['prod', 'us-east-1'],
      ['audit', 'us-east-1'],
      ['prod', 'eu-west-1'],
    ]);
  });
});

/** One representative call per service, through prod's role unless base keys are asked for. */
function probes(maxAttempts: number, credentials: Creds = prodRole()) {
  const o = { ...opts(credentials), maxAttempts };
  const queue = `${aws.url}/111111111111/scoring-jobs`;
  return {
    s3: () => new S3Client(o).send(new GetBucketVersioningCommand({ Bucket: 'ehr-extracts-prod' })),
    s3control: () =>
      new S3ControlClient({ ...o, endpointProvider: () => ({ url: new URL(aws.url) }) }).send(
        new GetAccountPublicAccessBlockCommand({ AccountId: '111111111111' }),
      ),
    iam: () => new IAMClient(o).send(new GetAccountSummaryCommand({})),
    rds: () => new RDSClient(o).send(new DescribeDBInstancesCommand({})),
    cloudtrail: () => new CloudTrailClient(o).send(new DescribeTrailsCommand({})),
    kms: () => new KMSClient(o).send(new DescribeKeyCommand({ KeyId: 'alias/phi-data' })),
    logs: () => new CloudWatchLogsClient(o).send(new DescribeLogGroupsCommand({})),
    sqs: () => new SQSClient(o).send(new GetQueueAttributesCommand({ QueueUrl: queue, AttributeNames: ['All'] })),
    sagemaker: () => new SageMakerClient(o).send(new DescribeEndpointCommand({ EndpointName: 'readmission-risk' })),
    bedrock: () => new BedrockClient(o).send(new GetModelInvocationLoggingConfigurationCommand({})),
  };
}
type ProbeName = keyof ReturnType<typeof probes>;
const PROBE_ACTIONS: Record<ProbeName, string> = {
  s3: 's3:GetBucketVersioning',
  s3control: 's3control:GetPublicAccessBlock',
  iam: 'iam:GetAccountSummary',
  rds: 'rds:DescribeDBInstances',
  cloudtrail: 'cloudtrail:DescribeTrails',
  kms: 'kms:DescribeKey',
  logs: 'logs:DescribeLogGroups',
  sqs: 'sqs:GetQueueAttributes',
  sagemaker: 'sagemaker:DescribeEndpoint',
  bedrock: 'bedrock:GetModelInvocationLoggingConfiguration',
};
const NAMES = Object.keys(PROBE_ACTIONS) as ProbeName[];

/** Runs every probe at once; each result is the error met (name, status, attempts) or the success's attempts. */
async function runProbes(maxAttempts: number, credentials?: Creds) {
  const p = probes(maxAttempts, credentials);
  const results = await Promise.all(
    NAMES.map(async (n) => {
      try {
        const out = await p[n]();
        return [n, { name: 'ok', status: 200, attempts: out.$metadata.attempts }] as const;
      } catch (e) {
        const err = e as { name: string; $fault?: string; $metadata?: { httpStatusCode?: number; attempts?: number } };
        return [n, { name: err.name, status: err.$metadata?.httpStatusCode, attempts: err.$metadata?.attempts, fault: err.$fault }] as const;
      }
    }),
  );
  return Object.fromEntries(results) as Record<ProbeName, { name: string; status: number | undefined; attempts: number | undefined; fault?: string }>;
}

describe("faults, in each protocol's own shape", () => {
  it('the probes pass without faults', async () => {
    const r = await runProbes(1);
    for (const n of NAMES) expect(r[n], n).toMatchObject({ name: 'ok', attempts: 1 });
    for (const n of NAMES) expect(aws.calls({ action: PROBE_ACTIONS[n].split(':')[1], account: 'prod' }).length, n).toBeGreaterThan(0);
  });

  it('throttling is retried by the SDK ($metadata.attempts), and names the right code when it persists', { timeout: 60_000 }, async () => {
    for (const n of NAMES) aws.faults.throttle(PROBE_ACTIONS[n], 2);
    const retried = await runProbes(3);
    for (const n of NAMES) expect(retried[n], n).toMatchObject({ name: 'ok', attempts: 3 });
    for (const n of NAMES)
      expect(
        aws.calls({ service: PROBE_ACTIONS[n].split(':')[0] as never }).filter((c) => c.fault === 'throttle'),
        n,
      ).toHaveLength(2);

    aws.faults.clear();
    for (const n of NAMES) aws.faults.throttle(PROBE_ACTIONS[n]);
    const failed = await runProbes(2);
    expect(failed).toMatchObject({
      s3: { name: 'SlowDown', status: 503, attempts: 2 },
      s3control: { name: 'SlowDown', status: 503, attempts: 2 },
      iam: { name: 'Throttling', status: 400, attempts: 2 },
      rds: { name: 'Throttling', status: 400, attempts: 2 },
      cloudtrail: { name: 'ThrottlingException', status: 400, attempts: 2 },
      kms: { name: 'ThrottlingException', status: 400, attempts: 2 },
      logs: { name: 'ThrottlingException', status: 400, attempts: 2 },
      sqs: { name: 'RequestThrottled', status: 403, attempts: 2 },
      sagemaker: { name: 'ThrottlingException', status: 400, attempts: 2 },
      bedrock: { name: 'ThrottlingException', status: 429, attempts: 2 },
    });
  });

  it('5xx is retried, then arrives as a server fault', { timeout: 60_000 }, async () => {
    for (const n of NAMES) aws.faults.serverError(PROBE_ACTIONS[n], 1);
    const retried = await runProbes(2);
    for (const n of NAMES) expect(retried[n], n).toMatchObject({ name: 'ok', attempts: 2 });
    aws.faults.clear();
    for (const n of NAMES) aws.faults.serverError(PROBE_ACTIONS[n], undefined, { status: 503 });
    const failed = await runProbes(1);
    for (const n of NAMES) expect(failed[n], n).toMatchObject({ status: 503, fault: 'server' });
    expect(failed.s3.name).toBe('InternalError');
    expect(failed.iam.name).toBe('InternalFailure');
    expect(failed.bedrock.name).toBe('InternalServerException');
  });

  it('AccessDenied per action and account, as each service shapes it', async () => {
    for (const n of NAMES) aws.faults.accessDenied(PROBE_ACTIONS[n], { account: 'prod' });
    const denied = await runProbes(3);
    expect(denied).toMatchObject({
      s3: { name: 'AccessDenied', status: 403, attempts: 1 },
      s3control: { name: 'AccessDenied', status: 403 },
      iam: { name: 'AccessDenied', status: 403 },
      rds: { name: 'AccessDenied', status: 403 },
      cloudtrail: { name: 'AccessDeniedException', status: 400 },
      kms: { name: 'AccessDeniedException', status: 400 },
      logs: { name: 'AccessDeniedException', status: 400 },
      sqs: { name: 'AccessDenied', status: 403 },
      sagemaker: { name: 'AccessDeniedException', status: 400 },
      bedrock: { name: 'AccessDeniedException', status: 403 },
    });
    // only those actions, only that account
    const s3 = new S3Client(opts(prodRole()));
    expect((await s3.send(new GetBucketEncryptionCommand({ Bucket: 'ehr-extracts-prod' }))).ServerSideEncryptionConfiguration).toBeDefined();
    const audit = await new BedrockClient(opts()).send(new GetModelInvocationLoggingConfigurationCommand({}));
    expect(audit.loggingConfig?.textDataDeliveryEnabled).toBe(true);
    const err = await rejection(s3.send(new GetBucketVersioningCommand({ Bucket: 'ehr-extracts-prod' })));
    expect(err.message).toBe(
      'User: arn:aws:sts::111111111111:assumed-role/phi-audit-read/phi-audit is not authorized to perform: s3:GetBucketVersioning on resource: ehr-extracts-prod because no identity-based policy allows the s3:GetBucketVersioning action',
    );
    aws.faults.clear();
    aws.faults.accessDenied('s3:GetBucketEncryption', { resource: 'ehr-extracts-prod' });
    const enc = await rejection(s3.send(new GetBucketEncryptionCommand({ Bucket: 'ehr-extracts-prod' })));
    expect(enc.message).toContain('s3:GetEncryptionConfiguration');
    expect((await s3.send(new GetBucketEncryptionCommand({ Bucket: 'access-logs-prod' }))).ServerSideEncryptionConfiguration).toBeDefined();
  });

  it('an expired session token: by fault, and for sessions past their expiration', async () => {
    for (const n of NAMES) aws.faults.expiredToken(PROBE_ACTIONS[n]);
    const expired = await runProbes(3);
    expect(expired).toMatchObject({
      s3: { name: 'ExpiredToken', status: 400, attempts: 1 },
      iam: { name: 'ExpiredToken', status: 403 },
      rds: { name: 'ExpiredToken', status: 403 },
      cloudtrail: { name: 'ExpiredTokenException', status: 400 },
      kms: { name: 'ExpiredTokenException', status: 400 },
      logs: { name: 'ExpiredTokenException', status: 400 },
      sqs: { name: 'ExpiredToken', status: 403 },
      sagemaker: { name: 'ExpiredTokenException', status: 400 },
      bedrock: { name: 'ExpiredTokenException', status: 403 },
    });
    aws.faults.clear();
    const role = prodRole();
    const s3 = new S3Client(opts(role));
    const kms = new KMSClient(opts(role));
    expect((await s3.send(new GetBucketVersioningCommand({ Bucket: 'ehr-extracts-prod' }))).Status).toBe('Enabled');
    expect((await kms.send(new DescribeKeyCommand({ KeyId: 'alias/phi-data' }))).KeyMetadata?.KeyManager).toBe('CUSTOMER');
    aws.faults.expireSessions();
    // each client keeps the session it was given until its Expiration, as against AWS
    expect(await rejection(s3.send(new GetBucketVersioningCommand({ Bucket: 'ehr-extracts-prod' })))).toMatchObject({ name: 'ExpiredToken', status: 400 });
    expect(await rejection(kms.send(new DescribeKeyCommand({ KeyId: 'alias/phi-data' })))).toMatchObject({ name: 'ExpiredTokenException', status: 400 });
    // base keys never expire
    expect((await new STSClient(opts()).send(new GetCallerIdentityCommand({}))).Account).toBe('222222222222');
  });

  it('a hang never answers (the client times out) and a closed connection is a network error the SDK retries', { timeout: 30_000 }, async () => {
    aws.faults.hang('kms:DescribeKey');
    const kms = new KMSClient(opts(prodRole()));
    const started = Date.now();
    const hung = await rejection(kms.send(new DescribeKeyCommand({ KeyId: 'alias/phi-data' }), { abortSignal: AbortSignal.timeout(300) }));
    expect(hung.name).toMatch(/Abort|Timeout/);
    expect(Date.now() - started).toBeLessThan(5000);
    const timed = new KMSClient({ ...opts(prodRole()), requestHandler: { requestTimeout: 200, throwOnRequestTimeout: true } });
    expect((await rejection(timed.send(new DescribeKeyCommand({ KeyId: 'alias/phi-data' })))).name).toBe('TimeoutError');
    await until(() => aws.stats().inFlight === 0);

    aws.faults.clear();
    aws.faults.closeConnection('s3:GetBucketVersioning', { times: 1 });
    const s3 = new S3Client({ ...opts(prodRole()), maxAttempts: 3 });
    const ok = await s3.send(new GetBucketVersioningCommand({ Bucket: 'ehr-extracts-prod' }));
    expect(ok.$metadata.attempts).toBe(2);
    aws.faults.closeConnection('s3:GetBucketVersioning');
    const closed = (await s3.send(new GetBucketVersioningCommand({ Bucket: 'ehr-extracts-prod' })).catch((e: unknown) => e)) as NodeJS.ErrnoException & {
      $metadata?: { attempts?: number };
    };
    expect(closed).toBeInstanceOf(Error);
    expect(closed.code ?? closed.message).toMatch(/ECONNRESET|socket hang up/);
    expect(aws.calls({ action: 'GetBucketVersioning' }).map((c) => c.fault)).toEqual(['close', undefined, 'close', 'close', 'close']);
  });

  it('an error of any code, and faults declared in a fixture', async () => {
    aws.faults.add({ kind: 'error', action: 's3:GetBucketVersioning', code: 'NoSuchBucket', status: 404, message: 'gone', times: 1 });
    const s3 = new S3Client(opts(prodRole()));
    expect(await rejection(s3.send(new GetBucketVersioningCommand({ Bucket: 'ehr-extracts-prod' })))).toMatchObject({ name: 'NoSuchBucket', status: 404 });
    expect((await s3.send(new GetBucketVersioningCommand({ Bucket: 'ehr-extracts-prod' }))).Status).toBe('Enabled');

    const other = await startAwsServer({
      state: {
        faults: [{ kind: 'accessDenied', action: 'iam:GetAccountSummary', account: 'solo' }],
        accounts: { solo: { id: '333333333333' } },
      },
    });
    try {
      const c = other.credentials('solo');
      const iam = new IAMClient({ endpoint: other.url, region: c.region, credentials: c, maxAttempts: 1 });
      expect(await rejection(iam.send(new GetAccountSummaryCommand({})))).toMatchObject({ name: 'AccessDenied', status: 403 });
      expect(other.faults.list()).toHaveLength(1);
      expect(other.calls()).toMatchObject([
        { service: 'iam', action: 'GetAccountSummary', account: 'solo', accountId: '333333333333', status: 403, code: 'AccessDenied', fault: 'accessDenied' },
      ]);
    } finally {
      await other.close();
    }
  });

  it('reads faults and latency from a fixture file', { timeout: 30_000 }, async () => {
    const degraded = await startAwsServer({ fixture: 'fixtures/aws/degraded.yaml' });
    try {
      const c = degraded.credentials('clinic');
      const o = { endpoint: degraded.url, region: c.region, credentials: c };
      const s3 = new S3Client({ ...o, maxAttempts: 1 });
      expect(await rejection(s3.send(new GetBucketPolicyCommand({ Bucket: 'intake-forms' })))).toMatchObject({ name: 'AccessDenied', status: 403 });
      expect(await rejection(s3.send(new GetBucketEncryptionCommand({ Bucket: 'intake-forms' })))).toMatchObject({ name: 'NoSuchBucket', status: 404 });
      const enc = await s3.send(new GetBucketEncryptionCommand({ Bucket: 'lab-results' }));
      const keyId = enc.ServerSideEncryptionConfiguration?.Rules?.[0]?.ApplyServerSideEncryptionByDefault?.KMSMasterKeyID;
      const key = await new KMSClient({ ...o, maxAttempts: 3 }).send(new DescribeKeyCommand({ KeyId: keyId }));
      expect(key.KeyMetadata?.KeyManager).toBe('CUSTOMER');
      expect(key.$metadata.attempts).toBe(3);
      expect(degraded.calls().map((x) => [x.action, x.fault])).toEqual([
        ['GetBucketPolicy', 'accessDenied'],
        ['GetBucketEncryption', 'error'],
        ['GetBucketEncryption', undefined],
        ['DescribeKey', 'throttle'],
        ['DescribeKey', 'throttle'],
        ['DescribeKey', undefined],
      ]);
      const t = Date.now();
      await s3.send(new GetBucketVersioningCommand({ Bucket: 'lab-results' }));
      expect(Date.now() - t).toBeGreaterThanOrEqual(4);
    } finally {
      await degraded.close();
    }
  });

  it('answers an operation it does not implement with 501, so a new call fails loudly', async () => {
    const iam = new IAMClient(opts());
    expect(await rejection(iam.send(new CreateUserCommand({ UserName: 'x' })))).toMatchObject({ name: 'InvalidAction', status: 501 });
    const s3 = new S3Client(opts(prodRole()));
    expect(await rejection(s3.send(new PutObjectCommand({ Bucket: 'ehr-extracts-prod', Key: 'k', Body: 'x' })))).toMatchObject({
      name: 'NotImplemented',
      status: 501,
    });
    const auth = `AWS4-HMAC-SHA256 Credential=${aws.credentials('audit').accessKeyId}/20261206/us-east-1/iam/aws4_request, SignedHeaders=host, Signature=x`;
    const r = await fetch(`${aws.url}/`, {
      method: 'POST',
      body: 'Action=constructor',
      headers: { authorization: auth, 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(r.status).toBe(501);
    expect(aws.calls().map((c) => `${c.service}:${c.action}`)).toEqual(['iam:CreateUser', 'sts:AssumeRole', 's3:PUT /ehr-extracts-prod/k', 'iam:constructor']);
  });

  it('rejects a fixture with an unknown key, naming its path', async () => {
    await expect(
      startAwsServer({ state: { accounts: { a: { id: '444444444444', s3: { buckets: { b: { encrpytion: 'none' } as never } } } } } }),
    ).rejects.toThrow('unknown key accounts.a.s3.buckets.b.encrpytion');
    await expect(startAwsServer({ state: { accounts: { a: { id: '4444' } } } })).rejects.toThrow('accounts.a.id must be 12 digits');
    await expect(startAwsServer({ state: { accounts: {}, faults: [{ kind: 'explode' as never }] } })).rejects.toThrow('faults[0].kind must be one of');
  });
});

describe('latency, counting and the in-flight peak', () => {
  it('adds latency per call and per action, counts per action and account, and records the peak in flight', async () => {
    const s3 = new S3Client(opts(prodRole()));
    await s3.send(new GetBucketVersioningCommand({ Bucket: 'ehr-extracts-prod' })); // the role's credentials are fetched once
    aws.reset();
    aws.faults.setLatency(100);
    let t = Date.now();
    await s3.send(new GetBucketVersioningCommand({ Bucket: 'ehr-extracts-prod' }));
    expect(Date.now() - t).toBeGreaterThanOrEqual(95);
    expect(aws.stats().peakInFlight).toBe(1);

    const buckets = ['access-logs-prod', 'audit-trail-prod', 'ehr-extracts-prod', 'scoring-output-prod'];
    t = Date.now();
    await Promise.all([...buckets, ...buckets].map((Bucket) => s3.send(new GetBucketVersioningCommand({ Bucket }))));
    expect(Date.now() - t).toBeLessThan(700);
    expect(aws.stats()).toMatchObject({ total: 9, byAction: { 's3:GetBucketVersioning': 9 }, byAccount: { prod: 9 }, peakInFlight: 8, inFlight: 0 });

    aws.faults.setLatency(0);
    aws.faults.add({ kind: 'latency', action: 'iam:*', ms: 150 });
    t = Date.now();
    await s3.send(new GetBucketVersioningCommand({ Bucket: 'ehr-extracts-prod' }));
    expect(Date.now() - t).toBeLessThan(100);
    t = Date.now();
    await new IAMClient(opts()).send(new GetAccountSummaryCommand({}));
    expect(Date.now() - t).toBeGreaterThanOrEqual(145);
    expect(aws.stats().byAccount).toEqual({ prod: 10, audit: 1 });
  });
});

async function until(condition: () => boolean, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('env(): a child process signs through the SDK default chain, isolated from the machine', () => {
  async function callerIdentity(env: Record<string, string | undefined>): Promise<{ Account?: string; Arn?: string }> {
    const script =
      "import { STSClient, GetCallerIdentityCommand } from '@aws-sdk/client-sts';" +
      'const r = await new STSClient({}).send(new GetCallerIdentityCommand({}));' +
      'process.stdout.write(JSON.stringify({ Account: r.Account, Arn: r.Arn }));';
    const merged: Record<string, string | undefined> = { ...process.env, ...env };
    for (const k of Object.keys(merged)) if (merged[k] === undefined || (k.startsWith('AWS_') && !(k in env))) delete merged[k];
    const { spawn } = await import('node:child_process');
    return await new Promise((resolve, reject) => {
      const child = spawn(process.execPath, ['--no-warnings', '--input-type=module', '-e', script], { env: merged as NodeJS.ProcessEnv });
      let out = '';
      let err = '';
      child.stdout.on('data', (d: Buffer) => {
        out += d;
      });
      child.stderr.on('data', (d: Buffer) => {
        err += d;
      });
      child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`exit ${code}: ${err}`))));
    });
  }

  it('with the account keys, with a profile, and with a role profile', { timeout: 60_000 }, async () => {
    const env = aws.env('audit');
    expect(env).toMatchObject({ AWS_ENDPOINT_URL: aws.url, AWS_REGION: 'us-east-1', AWS_EC2_METADATA_DISABLED: 'true', AWS_SESSION_TOKEN: undefined });
    expect(env.HOME).toBe(path.dirname(env.AWS_CONFIG_FILE ?? ''));
    expect(await callerIdentity(env)).toEqual({ Account: '222222222222', Arn: 'arn:aws:iam::222222222222:user/phi-audit-ci' });
    const keysOff = { AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined };
    expect((await callerIdentity({ ...env, ...keysOff, AWS_PROFILE: 'prod' })).Account).toBe('111111111111');
    expect(await callerIdentity({ ...env, ...keysOff, AWS_PROFILE: 'prod-phi-audit-read' })).toEqual({
      Account: '111111111111',
      Arn: expect.stringMatching(/^arn:aws:sts::111111111111:assumed-role\/phi-audit-read\//),
    });
    expect(aws.calls({ action: 'AssumeRole' })).toMatchObject([{ account: 'audit', resource: 'arn:aws:iam::111111111111:role/phi-audit-read' }]);
  });
});
