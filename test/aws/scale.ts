/**
 * The benchmark's AWS estate (issue 7, item 8): N PHI buckets across three accounts, generated (a 1,000-bucket file
 * would be noise in the repository), and a PHI map naming every one. Deterministic: the same options give the same
 * fixture and the same map text.
 */
import type { BucketFixture, Fixture, RegionFixture } from './fixture.js';

export interface ScaleOptions {
  /** Default 1000. */
  buckets?: number;
  /** Default 3. */
  accounts?: number;
  /** Every this-many-th bucket lives in us-west-2 (default 20; 0: none). */
  westEvery?: number;
}

export const SCALE_ROLE = 'phi-audit-read';

export const scaleAccountId = (i: number): string => `3000000000${String(i).padStart(2, '0')}`;
export const scaleBucketName = (i: number): string => `phi-bucket-${String(i).padStart(4, '0')}`;
const customerKey = (account: number) => `5ca1e000-0000-4000-8000-${String(account).padStart(12, '0')}`;
const awsKey = (account: number) => `5ca1e000-0000-4000-8000-aa${String(account).padStart(10, '0')}`;
const keyArn = (account: number, region: string, id: string) => `arn:aws:kms:${region}:${scaleAccountId(account)}:key/${id}`;

/** Bucket i's settings: a mix, so the live checks verify some declarations and contradict others. */
function bucketSettings(i: number, account: number, region: string): BucketFixture {
  const name = scaleBucketName(i);
  const b: BucketFixture = { region };
  if (i % 4 === 0) b.encryption = { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: keyArn(account, region, customerKey(account)), BucketKeyEnabled: true };
  else if (i % 4 === 1) b.encryption = { SSEAlgorithm: 'aws:kms' };
  if (i % 10 === 3) b.publicAccessBlock = 'none';
  if (i % 2 === 0) {
    b.policy = {
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'DenyInsecureTransport',
          Effect: 'Deny',
          Principal: '*',
          Action: 's3:*',
          Resource: [`arn:aws:s3:::${name}`, `arn:aws:s3:::${name}/*`],
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        },
      ],
    };
  }
  if (i % 3 !== 2) b.logging = { TargetBucket: `access-logs-${scaleAccountId(account)}`, TargetPrefix: `${name}/` };
  if (i % 3 === 0) b.versioning = 'Enabled';
  if (i % 17 === 0) b.objectLock = { mode: 'GOVERNANCE', days: 365 };
  return b;
}

function regionFixture(account: number, region: string, home: boolean): RegionFixture {
  const r: RegionFixture = {
    kmsKeys: {
      [customerKey(account)]: { KeyManager: 'CUSTOMER', KeyRotationEnabled: account !== 2, Aliases: ['alias/phi-data'] },
      [awsKey(account)]: { KeyManager: 'AWS', Aliases: ['alias/aws/s3'] },
    },
  };
  if (home) {
    r.trails = {
      'org-trail': {
        IsMultiRegionTrail: true,
        LogFileValidationEnabled: account !== 1,
        S3BucketName: `audit-trail-${scaleAccountId(account)}`,
        KmsKeyId: keyArn(account, region, customerKey(account)),
        Status: { IsLogging: true },
        // account 0 logs data events for every bucket; the others for the first half of their buckets only
        AdvancedEventSelectors: [
          {
            Name: 'S3 data events',
            FieldSelectors: [
              { Field: 'eventCategory', Equals: ['Data'] },
              { Field: 'resources.type', Equals: ['AWS::S3::Object'] },
              ...(account === 0
                ? []
                : [
                    {
                      Field: 'resources.ARN',
                      StartsWith: [
                        'arn:aws:s3:::phi-bucket-00',
                        'arn:aws:s3:::phi-bucket-01',
                        'arn:aws:s3:::phi-bucket-02',
                        'arn:aws:s3:::phi-bucket-03',
                        'arn:aws:s3:::phi-bucket-04',
                      ],
                    },
                  ]),
            ],
          },
        ],
      },
    };
    r.logGroups = { '/phi/app': { retentionInDays: 2192, kmsKeyId: keyArn(account, region, customerKey(account)) } };
  }
  return r;
}

/** The fixture: accounts scale-0.. (ids 300000000000..); scale-0 holds the base keys; every account has the role. */
export function scaleFixture(options: ScaleOptions = {}): Fixture {
  const buckets = options.buckets ?? 1000;
  const accounts = options.accounts ?? 3;
  const westEvery = options.westEvery ?? 20;
  const fixture: Fixture = { accounts: {} };
  for (let a = 0; a < accounts; a++) {
    fixture.accounts[`scale-${a}`] = {
      id: scaleAccountId(a),
      region: 'us-east-1',
      ...(a === 0 ? { accessKeys: { AKIASCALE00000000000: 'scale-secret' }, user: 'bench' } : {}),
      roles: { [SCALE_ROLE]: { trustedBy: ['scale-0'] } },
      iam: {
        summary: { AccountMFAEnabled: a === 2 ? 0 : 1 },
        passwordPolicy: { MinimumPasswordLength: 14, RequireSymbols: true, MaxPasswordAge: 90 },
        users: { admin: { loginProfile: true, mfaDevices: 1 }, analyst: { loginProfile: true }, deployer: { accessKeys: 1 } },
      },
      s3: { publicAccessBlock: true, buckets: {} },
      regions: { 'us-east-1': regionFixture(a, 'us-east-1', true), 'us-west-2': regionFixture(a, 'us-west-2', false) },
    };
  }
  for (let i = 0; i < buckets; i++) {
    const a = i % accounts;
    const region = westEvery > 0 && i % westEvery === westEvery - 1 ? 'us-west-2' : 'us-east-1';
    const account = fixture.accounts[`scale-${a}`];
    if (account?.s3?.buckets) account.s3.buckets[scaleBucketName(i)] = bucketSettings(i, a, region);
  }
  return fixture;
}

/**
 * A PHI map naming every bucket of the fixture as a PHI store, each under its account (scale-1 and scale-2 through
 * the role, scale-0 with the base keys), with declarations that mostly agree with the account.
 */
export function scaleMap(fixture: Fixture): string {
  const lines = ['# Generated by test/aws/scale.ts: the live-check benchmark map.', 'version: 1', 'system: scale-bench', 'accounts:'];
  const names = Object.keys(fixture.accounts);
  for (const [name, a] of Object.entries(fixture.accounts)) {
    lines.push(`  ${name}:`, '    provider: aws', `    account_id: "${a.id}"`, '    regions: [us-east-1, us-west-2]');
    if (name !== names[0]) lines.push(`    role_arn: arn:aws:iam::${a.id}:role/${SCALE_ROLE}`);
  }
  lines.push(
    'vendors:',
    '  aws: { role: business-associate, baa: { status: signed, signed: 2025-01-15, document: contracts/aws.pdf } }',
    'services:',
    `  ingest: { hosting: aws/ecs, account: ${names[0]}, data: [phi], audit_log: trail-${names[0]} }`,
    'logs:',
  );
  for (const name of names) {
    lines.push(
      `  trail-${name}: { kind: audit, hosting: aws/cloudtrail, account: ${name}, resource: org-trail, encryption: { at_rest: aes-256, key: customer-managed } }`,
    );
  }
  lines.push('stores:');
  const flows: string[] = [];
  for (const [name, a] of Object.entries(fixture.accounts)) {
    for (const [bucket, b] of Object.entries(a.s3?.buckets ?? {})) {
      const key = b && typeof b.encryption === 'object' && b.encryption.KMSMasterKeyID ? 'customer-managed' : 'provider-managed';
      const versioning = b?.versioning === 'Enabled';
      lines.push(
        `  ${bucket}: { kind: object-store, hosting: aws/s3, account: ${name}, resource: ${bucket}, encryption: { at_rest: aes-256, key: ${key} }, public_access: blocked, versioning: ${versioning}, audit_log: trail-${name} }`,
      );
      flows.push(`  - { from: ingest, to: ${bucket}, tls: "1.3" }`);
    }
  }
  lines.push('flows:', ...flows, '');
  return lines.join('\n');
}
