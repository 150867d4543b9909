/** The local AWS server's services: one handler table per service, reading the normalized fixture state. */
import type { IncomingHttpHeaders } from 'node:http';
import { type Account, type Bucket, mfaSerials, type Region, type State } from './fixture.js';
import { AwsError, epochSeconds, members, type Protocol } from './protocol.js';

export type ServiceName = 's3' | 's3control' | 'iam' | 'sts' | 'cloudtrail' | 'kms' | 'logs' | 'rds' | 'sqs' | 'sagemaker' | 'bedrock';

/** Who signs a call: an account's base keys, or a session AssumeRole issued. */
export interface Session {
  account: Account;
  arn: string;
  userId: string;
  /** Epoch ms; Infinity for base keys. */
  expires: number;
  /** Set for sessions from AssumeRole (role chaining caps them at one hour). */
  role?: string;
}

export interface Ctx {
  service: ServiceName;
  action: string;
  account: Account;
  session: Session;
  region: string;
  params: Record<string, unknown>;
  headers: IncomingHttpHeaders;
  /** The server's own URL (SQS queue URLs point at it). */
  url: string;
  state: State;
  /** Registers a session and returns its new access key id. */
  issue(session: Session): string;
}

type Handler = (ctx: Ctx) => unknown;

interface ServiceDef {
  protocol: Protocol;
  /** Query protocol: the response namespace. */
  xmlns?: string;
  actions: Record<string, Handler>;
}

type Obj = Record<string, unknown>;
const str = (v: unknown): string | undefined => (v === undefined || v === null || v === '' ? undefined : String(v));
const num = (v: unknown, fallback: number): number => (v === undefined || v === null || v === '' ? fallback : Number(v));
const CREATED = new Date('2025-01-15T10:00:00Z');

function regionOf(ctx: Ctx, account = ctx.account): Region {
  return (
    account.regions.get(ctx.region) ?? {
      trails: new Map(),
      kmsKeys: new Map(),
      logGroups: new Map(),
      dbInstances: new Map(),
      dbClusters: new Map(),
      queues: new Map(),
      endpoints: new Map(),
      endpointConfigs: new Map(),
      bedrockLogging: undefined,
    }
  );
}

/** A page of a sorted list: the token is the index of the next item (opaque to clients). */
function page<T>(items: T[], token: unknown, size: number): { items: T[]; next: string | undefined } {
  const start = token ? Number.parseInt(Buffer.from(String(token), 'base64url').toString(), 10) || 0 : 0;
  const end = start + size;
  return { items: items.slice(start, end), next: end < items.length ? Buffer.from(String(end)).toString('base64url') : undefined };
}

const sorted = <T>(m: Map<string, T>): [string, T][] => [...m.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

// ---------------------------------------------------------------- S3 and S3 Control (REST-XML, path style)

const S3_SUBRESOURCES: [string, string][] = [
  ['encryption', 'GetBucketEncryption'],
  ['publicAccessBlock', 'GetPublicAccessBlock'],
  ['policyStatus', 'GetBucketPolicyStatus'],
  ['policy', 'GetBucketPolicy'],
  ['logging', 'GetBucketLogging'],
  ['object-lock', 'GetObjectLockConfiguration'],
  ['versioning', 'GetBucketVersioning'],
  ['location', 'GetBucketLocation'],
];

export function routeS3(service: ServiceName, method: string, u: URL, params: Obj): string | undefined {
  if (method !== 'GET') return undefined;
  if (service === 's3control') return u.pathname === '/v20180820/configuration/publicAccessBlock' ? 'GetPublicAccessBlock' : undefined;
  if (params.Bucket === undefined) return 'ListBuckets';
  if (u.pathname.split('/').filter(Boolean).length > 1) return undefined;
  return S3_SUBRESOURCES.find(([q]) => u.searchParams.has(q))?.[1];
}

/** The caller's bucket; another account's bucket is 403 as on AWS, a bucket in another region a 301 redirect. */
function bucketOf(ctx: Ctx, checkRegion = true): Bucket {
  const name = String(ctx.params.Bucket);
  const bucket = ctx.account.s3.buckets.get(name);
  if (!bucket) {
    for (const a of ctx.state.accounts.values()) if (a.s3.buckets.has(name)) throw new AwsError('AccessDenied', 403, 'Access Denied');
    throw new AwsError('NoSuchBucket', 404, 'The specified bucket does not exist');
  }
  if (checkRegion && bucket.region !== ctx.region) {
    throw new AwsError('PermanentRedirect', 301, 'The bucket you are attempting to access must be addressed using the specified endpoint.', undefined, {
      'x-amz-bucket-region': bucket.region,
    });
  }
  return bucket;
}

const notFound = (code: string, message: string, status = 404) => new AwsError(code, status, message);

const s3: ServiceDef = {
  protocol: 'rest-xml',
  actions: {
    ListBuckets: (ctx) => {
      const p = ctx.params;
      let buckets = sorted(ctx.account.s3.buckets).map(([, b]) => b);
      const prefix = str(p.prefix);
      const region = str(p['bucket-region']);
      if (prefix) buckets = buckets.filter((b) => b.name.startsWith(prefix));
      if (region) buckets = buckets.filter((b) => b.region === region);
      const { items, next } = page(buckets, p['continuation-token'], num(p['max-buckets'], 10_000));
      return {
        ListAllMyBucketsResult: {
          Buckets: { Bucket: items.map((b) => ({ Name: b.name, CreationDate: b.created, BucketRegion: b.region })) },
          Owner: { ID: `owner-${ctx.account.id}`, DisplayName: ctx.account.name },
          ContinuationToken: next,
          Prefix: prefix,
        },
      };
    },
    GetBucketEncryption: (ctx) => {
      const e = bucketOf(ctx).encryption;
      if (!e) throw notFound('ServerSideEncryptionConfigurationNotFoundError', 'The server side encryption configuration was not found');
      const byDefault = { SSEAlgorithm: e.SSEAlgorithm, KMSMasterKeyID: e.KMSMasterKeyID };
      return {
        ServerSideEncryptionConfiguration: { Rule: [{ ApplyServerSideEncryptionByDefault: byDefault, BucketKeyEnabled: e.BucketKeyEnabled ?? false }] },
      };
    },
    GetPublicAccessBlock: (ctx) => {
      const block = bucketOf(ctx).publicAccessBlock;
      if (!block) throw notFound('NoSuchPublicAccessBlockConfiguration', 'The public access block configuration was not found');
      return { PublicAccessBlockConfiguration: block };
    },
    GetBucketPolicyStatus: (ctx) => {
      const b = bucketOf(ctx);
      if (!b.policy) throw notFound('NoSuchBucketPolicy', 'The bucket policy does not exist');
      return { PolicyStatus: { IsPublic: b.public } };
    },
    GetBucketPolicy: (ctx) => {
      const b = bucketOf(ctx);
      if (!b.policy) throw notFound('NoSuchBucketPolicy', 'The bucket policy does not exist');
      return b.policy;
    },
    GetBucketLogging: (ctx) => ({ BucketLoggingStatus: { LoggingEnabled: bucketOf(ctx).logging } }),
    GetObjectLockConfiguration: (ctx) => {
      const lock = bucketOf(ctx).objectLock;
      if (!lock) throw notFound('ObjectLockConfigurationNotFoundError', 'Object Lock configuration does not exist for this bucket');
      const retention = lock.mode ? { Mode: lock.mode, Days: lock.days, Years: lock.years } : undefined;
      return { ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: retention && { DefaultRetention: retention } } };
    },
    GetBucketVersioning: (ctx) => ({ VersioningConfiguration: { Status: bucketOf(ctx).versioning } }),
    GetBucketLocation: (ctx) => {
      const region = bucketOf(ctx, false).region;
      return { LocationConstraint: region === 'us-east-1' ? '' : region };
    },
  },
};

const s3control: ServiceDef = {
  protocol: 'rest-xml',
  actions: {
    GetPublicAccessBlock: (ctx) => {
      if (String(ctx.headers['x-amz-account-id'] ?? '') !== ctx.account.id) throw new AwsError('AccessDenied', 403, 'Access Denied');
      const block = ctx.account.s3.publicAccessBlock;
      if (!block) throw notFound('NoSuchPublicAccessBlockConfiguration', 'The public access block configuration was not found');
      return { PublicAccessBlockConfiguration: block };
    },
  },
};

// ---------------------------------------------------------------- IAM and STS (Query)

const userArn = (a: Account, user: string) => `arn:aws:iam::${a.id}:user/${user}`;

function userOf(ctx: Ctx): [string, NonNullable<ReturnType<Account['iam']['users']['get']>>] {
  const name = str(ctx.params.UserName) ?? ctx.account.user;
  const user = ctx.account.iam.users.get(name);
  if (!user) throw notFound('NoSuchEntity', `The user with name ${name} cannot be found.`);
  return [name, user];
}

const REPORT_COLUMNS =
  'user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated';

function credentialReport(a: Account): string {
  const created = CREATED.toISOString().replace('.000Z', '+00:00');
  const keys = (n: number) => [0, 1].flatMap((i) => (i < n ? ['true', created, 'N/A', 'N/A', 'N/A'] : ['false', 'N/A', 'N/A', 'N/A', 'N/A']));
  const rootKeys = a.iam.summary.AccountAccessKeysPresent ?? 0;
  const rows = [
    [
      '<root_account>',
      `arn:aws:iam::${a.id}:root`,
      created,
      'not_supported',
      'N/A',
      'not_supported',
      'not_supported',
      String(a.iam.summary.AccountMFAEnabled === 1),
      ...keys(rootKeys),
    ],
  ];
  for (const [name, u] of sorted(a.iam.users)) {
    const password = u.loginProfile === true;
    const mfa = mfaSerials(u, '').length > 0;
    rows.push([
      name,
      userArn(a, name),
      created,
      String(password),
      u.PasswordLastUsed ?? (password ? 'no_information' : 'N/A'),
      password ? created : 'N/A',
      'N/A',
      String(mfa),
      ...keys(u.accessKeys ?? 0),
    ]);
  }
  return [REPORT_COLUMNS, ...rows.map((r) => [...r, 'false', 'N/A', 'false', 'N/A'].join(','))].join('\n');
}

const iam: ServiceDef = {
  protocol: 'query',
  xmlns: 'https://iam.amazonaws.com/doc/2010-05-08/',
  actions: {
    GetAccountSummary: (ctx) => ({
      SummaryMap: { entry: Object.entries(ctx.account.iam.summary).map(([key, value]) => ({ key, value })) },
    }),
    GetAccountPasswordPolicy: (ctx) => {
      const policy = ctx.account.iam.passwordPolicy;
      if (!policy) throw notFound('NoSuchEntity', `The Password Policy with domain name ${ctx.account.id} cannot be found.`);
      return { PasswordPolicy: { AllowUsersToChangePassword: true, ExpirePasswords: policy.MaxPasswordAge !== undefined, ...policy } };
    },
    ListUsers: (ctx) => {
      const users = sorted(ctx.account.iam.users).map(([name, u]) => ({
        Path: '/',
        UserName: name,
        UserId: `AIDA${ctx.account.id}${name.toUpperCase()}`,
        Arn: userArn(ctx.account, name),
        CreateDate: CREATED,
        PasswordLastUsed: u.PasswordLastUsed,
      }));
      const { items, next } = page(users, ctx.params.Marker, num(ctx.params.MaxItems, 100));
      return { Users: members(items), IsTruncated: next !== undefined, Marker: next };
    },
    ListMFADevices: (ctx) => {
      const [name, user] = userOf(ctx);
      const devices = mfaSerials(user, `arn:aws:iam::${ctx.account.id}:mfa/${name}-`).map((SerialNumber) => ({
        UserName: name,
        SerialNumber,
        EnableDate: CREATED,
      }));
      return { MFADevices: members(devices), IsTruncated: false };
    },
    GetLoginProfile: (ctx) => {
      const [name, user] = userOf(ctx);
      if (user.loginProfile !== true) throw notFound('NoSuchEntity', `Login Profile for User ${name} cannot be found.`);
      return { LoginProfile: { UserName: name, CreateDate: CREATED, PasswordResetRequired: false } };
    },
    GenerateCredentialReport: (ctx) => {
      const iamState = ctx.account.iam;
      if (iamState.credentialReport === 'inProgress') return { State: 'STARTED', Description: 'No report exists. Starting a new report generation task' };
      const fresh = iamState.credentialReport !== 'present';
      iamState.credentialReport = 'present';
      return fresh ? { State: 'STARTED', Description: 'No report exists. Starting a new report generation task' } : { State: 'COMPLETE' };
    },
    GetCredentialReport: (ctx) => {
      switch (ctx.account.iam.credentialReport) {
        case 'absent':
          throw new AwsError('ReportNotPresent', 410, 'Credential report not present. Call GenerateCredentialReport first.');
        case 'expired':
          throw new AwsError('ReportExpired', 410, 'The credential report has expired. Call GenerateCredentialReport.');
        case 'inProgress':
          throw new AwsError('ReportInProgress', 404, 'Credential report is being generated.');
        default:
          return { Content: Buffer.from(credentialReport(ctx.account)).toString('base64'), ReportFormat: 'text/csv', GeneratedTime: new Date() };
      }
    },
  },
};

const sts: ServiceDef = {
  protocol: 'query',
  xmlns: 'https://sts.amazonaws.com/doc/2011-06-15/',
  actions: {
    GetCallerIdentity: (ctx) => ({ UserId: ctx.session.userId, Account: ctx.account.id, Arn: ctx.session.arn }),
    AssumeRole: (ctx) => {
      const roleArn = String(ctx.params.RoleArn ?? '');
      const m = /^arn:aws:iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(roleArn);
      const target = m ? [...ctx.state.accounts.values()].find((a) => a.id === m[1]) : undefined;
      const roleName = m?.[2] ?? '';
      const role = target?.roles.get(roleName);
      const trusted = role && (role.trustedBy === undefined || role.trustedBy.some((t) => t === ctx.account.name || t === ctx.account.id));
      if (!target || !role || !trusted) {
        throw new AwsError('AccessDenied', 403, `User: ${ctx.session.arn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`);
      }
      const sessionName = str(ctx.params.RoleSessionName) ?? 'session';
      const max = ctx.session.role ? 3600 : role.maxSessionSeconds;
      const seconds = num(ctx.params.DurationSeconds, 3600);
      if (seconds < 900 || seconds > max) {
        throw new AwsError('ValidationError', 400, `The requested DurationSeconds exceeds the MaxSessionDuration set for this role (${max}).`);
      }
      const expiration = new Date(Date.now() + seconds * 1000);
      const arn = `arn:aws:sts::${target.id}:assumed-role/${roleName}/${sessionName}`;
      const roleId = `AROA${target.id}${roleName.length}`;
      const id = ctx.issue({ account: target, arn, userId: `${roleId}:${sessionName}`, expires: expiration.getTime(), role: roleName });
      return {
        // the server checks the token against the key (server.ts)
        Credentials: { AccessKeyId: id, SecretAccessKey: `secret-${id}`, SessionToken: `token-${id}`, Expiration: expiration },
        AssumedRoleUser: { AssumedRoleId: `${roleId}:${sessionName}`, Arn: arn },
        PackedPolicySize: 0,
      };
    },
  },
};

// ---------------------------------------------------------------- CloudTrail, KMS, CloudWatch Logs (JSON 1.1)

const TRAIL_EXTRAS = new Set(['Status', 'EventSelectors', 'AdvancedEventSelectors']);
interface TrailRef {
  name: string;
  home: string;
  fields: Obj;
  arn: string;
}

function trailsOf(ctx: Ctx): TrailRef[] {
  const out: TrailRef[] = [];
  for (const [home, r] of ctx.account.regions) {
    for (const [name, fields] of r.trails) out.push({ name, home, fields, arn: `arn:aws:cloudtrail:${home}:${ctx.account.id}:trail/${name}` });
  }
  return out;
}

/** A trail by name (its home region must be the caller's) or ARN. */
function trailOf(ctx: Ctx, ref: unknown): TrailRef {
  const id = String(ref ?? '');
  const found = trailsOf(ctx).find((t) => (id.startsWith('arn:') ? t.arn === id : t.name === id && t.home === ctx.region));
  if (!found) throw new AwsError('TrailNotFoundException', 400, `Unknown trail: ${id} for the user: ${ctx.account.id}`);
  return found;
}

function describeTrail(t: TrailRef): Obj {
  const fields = Object.fromEntries(Object.entries(t.fields).filter(([k]) => !TRAIL_EXTRAS.has(k)));
  const custom = t.fields.AdvancedEventSelectors !== undefined || t.fields.EventSelectors !== undefined;
  return {
    Name: t.name,
    S3BucketName: `${t.name}-logs`,
    IncludeGlobalServiceEvents: true,
    IsMultiRegionTrail: false,
    HomeRegion: t.home,
    TrailARN: t.arn,
    LogFileValidationEnabled: false,
    HasCustomEventSelectors: custom,
    HasInsightSelectors: false,
    IsOrganizationTrail: false,
    ...fields,
  };
}

const cloudtrail: ServiceDef = {
  protocol: 'json',
  actions: {
    DescribeTrails: (ctx) => {
      const shadows = ctx.params.includeShadowTrails !== false;
      const names = Array.isArray(ctx.params.trailNameList) ? ctx.params.trailNameList.map(String) : undefined;
      const list = trailsOf(ctx)
        .filter((t) => t.home === ctx.region || (shadows && t.fields.IsMultiRegionTrail === true))
        .filter((t) => !names?.length || names.includes(t.name) || names.includes(t.arn));
      return { trailList: list.map(describeTrail) };
    },
    GetTrailStatus: (ctx) => {
      const t = trailOf(ctx, ctx.params.Name);
      const status = (t.fields.Status ?? {}) as Obj;
      const logging = status.IsLogging !== false;
      const now = epochSeconds(new Date());
      return {
        IsLogging: logging,
        LatestDeliveryTime: logging ? now - 300 : undefined,
        StartLoggingTime: epochSeconds(CREATED),
        TimeLoggingStarted: CREATED.toISOString(),
        ...status,
      };
    },
    GetEventSelectors: (ctx) => {
      const t = trailOf(ctx, ctx.params.TrailName);
      const { EventSelectors, AdvancedEventSelectors } = t.fields;
      if (AdvancedEventSelectors !== undefined) return { TrailARN: t.arn, AdvancedEventSelectors };
      const basic = EventSelectors ?? [{ ReadWriteType: 'All', IncludeManagementEvents: true, DataResources: [], ExcludeManagementEventSources: [] }];
      return { TrailARN: t.arn, EventSelectors: basic };
    },
  },
};

interface KeyRef {
  id: string;
  fields: Obj;
  account: Account;
  arn: string;
}

/** A key by id, key ARN, alias name or alias ARN; an ARN may name another account's key (cross-account reads). */
function keyOf(ctx: Ctx, ref: unknown): KeyRef {
  const text = String(ref ?? '');
  const arn = /^arn:aws:kms:([^:]+):(\d{12}):(key|alias)\/(.+)$/.exec(text);
  let account = ctx.account;
  if (arn) {
    const owner = [...ctx.state.accounts.values()].find((a) => a.id === arn[2]);
    if (!owner || arn[1] !== ctx.region) throw new AwsError('NotFoundException', 400, `Invalid arn ${ctx.region}`);
    account = owner;
  }
  const kind = arn ? arn[3] : text.startsWith('alias/') ? 'alias' : 'key';
  const name = arn ? (kind === 'alias' ? `alias/${arn[4]}` : (arn[4] as string)) : text;
  for (const [id, fields] of regionOf(ctx, account).kmsKeys) {
    const aliases = Array.isArray(fields.Aliases) ? fields.Aliases.map(String) : [];
    if (kind === 'key' ? id === name : aliases.includes(name)) return { id, fields, account, arn: `arn:aws:kms:${ctx.region}:${account.id}:key/${id}` };
  }
  if (kind === 'alias') throw new AwsError('NotFoundException', 400, `Alias arn:aws:kms:${ctx.region}:${account.id}:${name} is not found.`);
  throw new AwsError('NotFoundException', 400, `Key 'arn:aws:kms:${ctx.region}:${account.id}:key/${name}' does not exist`);
}

const kms: ServiceDef = {
  protocol: 'json',
  actions: {
    DescribeKey: (ctx) => {
      const k = keyOf(ctx, ctx.params.KeyId);
      const { Aliases: _aliases, KeyRotationEnabled: _rotation, ...fields } = k.fields;
      const state = String(fields.KeyState ?? 'Enabled');
      return {
        KeyMetadata: {
          AWSAccountId: k.account.id,
          KeyId: k.id,
          Arn: k.arn,
          CreationDate: epochSeconds(CREATED),
          Enabled: state === 'Enabled',
          Description: '',
          KeyUsage: 'ENCRYPT_DECRYPT',
          KeyState: state,
          Origin: 'AWS_KMS',
          KeyManager: 'CUSTOMER',
          CustomerMasterKeySpec: 'SYMMETRIC_DEFAULT',
          KeySpec: 'SYMMETRIC_DEFAULT',
          EncryptionAlgorithms: ['SYMMETRIC_DEFAULT'],
          MultiRegion: false,
          ...fields,
        },
      };
    },
    GetKeyRotationStatus: (ctx) => {
      const k = keyOf(ctx, ctx.params.KeyId);
      const enabled = k.fields.KeyManager === 'AWS' || k.fields.KeyRotationEnabled === true;
      return { KeyRotationEnabled: enabled, KeyId: k.arn, RotationPeriodInDays: enabled ? 365 : undefined };
    },
  },
};

const logs: ServiceDef = {
  protocol: 'json',
  actions: {
    DescribeLogGroups: (ctx) => {
      const limit = num(ctx.params.limit, 50);
      if (limit < 1 || limit > 50) throw new AwsError('InvalidParameterException', 400, '1 validation error detected: limit must be between 1 and 50');
      const prefix = str(ctx.params.logGroupNamePrefix) ?? '';
      const all = sorted(regionOf(ctx).logGroups).filter(([name]) => name.startsWith(prefix));
      const { items, next } = page(all, ctx.params.nextToken, limit);
      const arn = (name: string) => `arn:aws:logs:${ctx.region}:${ctx.account.id}:log-group:${name}`;
      return {
        logGroups: items.map(([name, g]) => ({
          logGroupName: name,
          creationTime: CREATED.getTime(),
          metricFilterCount: 0,
          arn: `${arn(name)}:*`,
          logGroupArn: arn(name),
          storedBytes: 0,
          logGroupClass: 'STANDARD',
          ...g,
        })),
        nextToken: next,
      };
    },
  },
};

// ---------------------------------------------------------------- RDS (Query)

/** RDS names its list members; a fixture's lists are wrapped with these names. */
const RDS_MEMBERS: Record<string, string> = {
  VpcSecurityGroups: 'VpcSecurityGroupMembership',
  DBClusterMembers: 'DBClusterMember',
  ReadReplicaDBInstanceIdentifiers: 'ReadReplicaDBInstanceIdentifier',
  AvailabilityZones: 'AvailabilityZone',
  TagList: 'Tag',
  EnabledCloudwatchLogsExports: 'member',
};
const rdsLists = (o: Obj): Obj =>
  Object.fromEntries(Object.entries(o).map(([k, v]) => [k, Array.isArray(v) ? members(v, Object.hasOwn(RDS_MEMBERS, k) ? RDS_MEMBERS[k] : 'member') : v]));

function describeRds(ctx: Ctx, kind: 'instance' | 'cluster'): Obj {
  const p = ctx.params;
  const max = num(p.MaxRecords, 100);
  if (!Number.isInteger(max) || max < 20 || max > 100)
    throw new AwsError('InvalidParameterValue', 400, 'Invalid value for MaxRecords. Must be between 20 and 100');
  const region = regionOf(ctx);
  const idKey = kind === 'instance' ? 'DBInstanceIdentifier' : 'DBClusterIdentifier';
  const arnOf = (id: string) => `arn:aws:rds:${ctx.region}:${ctx.account.id}:${kind === 'instance' ? 'db' : 'cluster'}:${id}`;
  let all = sorted(kind === 'instance' ? region.dbInstances : region.dbClusters);
  const wanted = str(p[idKey]);
  if (wanted) {
    all = all.filter(([id]) => id === wanted || arnOf(id) === wanted);
    if (all.length === 0) {
      if (kind === 'instance') throw notFound('DBInstanceNotFound', `DBInstance ${wanted} not found.`);
      throw notFound('DBClusterNotFoundFault', `DBCluster ${wanted} not found.`);
    }
  }
  const { items, next } = page(all, p.Marker, max);
  const base = (id: string): Obj =>
    kind === 'instance'
      ? {
          DBInstanceIdentifier: id,
          DBInstanceClass: 'db.t3.medium',
          Engine: 'postgres',
          DBInstanceStatus: 'available',
          MultiAZ: false,
          StorageEncrypted: false,
          PubliclyAccessible: false,
          BackupRetentionPeriod: 7,
          DeletionProtection: false,
          InstanceCreateTime: CREATED,
          DBInstanceArn: arnOf(id),
        }
      : {
          DBClusterIdentifier: id,
          Engine: 'aurora-postgresql',
          Status: 'available',
          MultiAZ: false,
          StorageEncrypted: false,
          BackupRetentionPeriod: 7,
          DeletionProtection: false,
          ClusterCreateTime: CREATED,
          DBClusterArn: arnOf(id),
        };
  const list = items.map(([id, fields]) => rdsLists({ ...base(id), ...fields }));
  return kind === 'instance' ? { DBInstances: members(list, 'DBInstance'), Marker: next } : { DBClusters: members(list, 'DBCluster'), Marker: next };
}

const rds: ServiceDef = {
  protocol: 'query',
  xmlns: 'http://rds.amazonaws.com/doc/2014-10-31/',
  actions: {
    DescribeDBInstances: (ctx) => describeRds(ctx, 'instance'),
    DescribeDBClusters: (ctx) => describeRds(ctx, 'cluster'),
  },
};

// ---------------------------------------------------------------- SQS (JSON 1.0, query-compatible errors)

const noQueue = () => new AwsError('QueueDoesNotExist', 400, 'The specified queue does not exist.', 'AWS.SimpleQueueService.NonExistentQueue');

/** A queue from its URL: the path is /ACCOUNT_ID/NAME on any host. */
function queueOf(ctx: Ctx): [string, Obj] {
  const m = /\/(\d{12})\/([^/?]+)$/.exec(String(ctx.params.QueueUrl ?? ''));
  if (!m) throw new AwsError('InvalidAddress', 404, 'The address is not valid for this endpoint.', 'InvalidAddress');
  const owner = [...ctx.state.accounts.values()].find((a) => a.id === m[1]);
  const queue = owner && regionOf(ctx, owner).queues.get(decodeURIComponent(m[2] as string));
  if (!owner || !queue) throw noQueue();
  if (owner !== ctx.account) throw new AwsError('AccessDenied', 403, 'Access to the resource is denied.');
  return [decodeURIComponent(m[2] as string), queue];
}

const queueUrl = (ctx: Ctx, account: Account, name: string) => `${ctx.url}/${account.id}/${encodeURIComponent(name)}`;

const sqs: ServiceDef = {
  protocol: 'sqs',
  actions: {
    GetQueueUrl: (ctx) => {
      const ownerId = str(ctx.params.QueueOwnerAWSAccountId);
      const owner = ownerId ? [...ctx.state.accounts.values()].find((a) => a.id === ownerId) : ctx.account;
      const name = String(ctx.params.QueueName ?? '');
      if (!owner || !regionOf(ctx, owner).queues.has(name)) throw noQueue();
      return { QueueUrl: queueUrl(ctx, owner, name) };
    },
    GetQueueAttributes: (ctx) => {
      const [name, q] = queueOf(ctx);
      const attributes: Record<string, string> = {
        QueueArn: `arn:aws:sqs:${ctx.region}:${ctx.account.id}:${name}`,
        ApproximateNumberOfMessages: '0',
        ApproximateNumberOfMessagesNotVisible: '0',
        ApproximateNumberOfMessagesDelayed: '0',
        CreatedTimestamp: String(epochSeconds(CREATED)),
        LastModifiedTimestamp: String(epochSeconds(CREATED)),
        VisibilityTimeout: '30',
        MaximumMessageSize: '262144',
        MessageRetentionPeriod: '345600',
        DelaySeconds: '0',
        ReceiveMessageWaitTimeSeconds: '0',
        SqsManagedSseEnabled: q.KmsMasterKeyId === undefined ? 'true' : 'false',
      };
      for (const [k, v] of Object.entries(q)) attributes[k] = typeof v === 'object' ? JSON.stringify(v) : String(v);
      const wanted = Array.isArray(ctx.params.AttributeNames) ? ctx.params.AttributeNames.map(String) : [];
      if (wanted.includes('All')) return { Attributes: attributes };
      return { Attributes: Object.fromEntries(Object.entries(attributes).filter(([k]) => wanted.includes(k))) };
    },
    ListQueues: (ctx) => {
      const prefix = str(ctx.params.QueueNamePrefix) ?? '';
      const names = sorted(regionOf(ctx).queues)
        .map(([n]) => n)
        .filter((n) => n.startsWith(prefix));
      const paged = ctx.params.MaxResults !== undefined;
      const { items, next } = page(names, ctx.params.NextToken, paged ? num(ctx.params.MaxResults, 1000) : 1000);
      return { QueueUrls: items.map((n) => queueUrl(ctx, ctx.account, n)), NextToken: paged ? next : undefined };
    },
  },
};

// ---------------------------------------------------------------- SageMaker (JSON 1.1), Bedrock (REST-JSON)

const smArn = (ctx: Ctx, kind: string, name: string) => `arn:aws:sagemaker:${ctx.region}:${ctx.account.id}:${kind}/${name.toLowerCase()}`;

function endpointOf(ctx: Ctx): [string, Obj] {
  const name = String(ctx.params.EndpointName ?? '');
  const e = regionOf(ctx).endpoints.get(name);
  if (!e) throw new AwsError('ValidationException', 400, `Could not find endpoint "${smArn(ctx, 'endpoint', name)}".`);
  return [name, e];
}

const sagemaker: ServiceDef = {
  protocol: 'json',
  actions: {
    ListEndpoints: (ctx) => {
      const contains = str(ctx.params.NameContains) ?? '';
      const all = sorted(regionOf(ctx).endpoints).filter(([n]) => n.includes(contains));
      const { items, next } = page(all, ctx.params.NextToken, num(ctx.params.MaxResults, 10));
      return {
        Endpoints: items.map(([name, e]) => ({
          EndpointName: name,
          EndpointArn: smArn(ctx, 'endpoint', name),
          CreationTime: epochSeconds(CREATED),
          LastModifiedTime: epochSeconds(CREATED),
          EndpointStatus: e.EndpointStatus ?? 'InService',
        })),
        NextToken: next,
      };
    },
    DescribeEndpoint: (ctx) => {
      const [name, e] = endpointOf(ctx);
      const { DataCaptureConfig: capture, ...fields } = e;
      const c = capture as Obj | undefined;
      return {
        EndpointName: name,
        EndpointArn: smArn(ctx, 'endpoint', name),
        EndpointStatus: 'InService',
        CreationTime: epochSeconds(CREATED),
        LastModifiedTime: epochSeconds(CREATED),
        DataCaptureConfig: c && {
          EnableCapture: c.EnableCapture ?? true,
          CaptureStatus: c.EnableCapture === false ? 'Stopped' : 'Started',
          CurrentSamplingPercentage: c.InitialSamplingPercentage ?? 100,
          DestinationS3Uri: c.DestinationS3Uri,
          KmsKeyId: c.KmsKeyId,
        },
        ...fields,
      };
    },
    DescribeEndpointConfig: (ctx) => {
      const name = String(ctx.params.EndpointConfigName ?? '');
      const config = regionOf(ctx).endpointConfigs.get(name);
      if (!config) throw new AwsError('ValidationException', 400, `Could not find endpoint configuration "${smArn(ctx, 'endpoint-config', name)}".`);
      const capture = config.DataCaptureConfig as Obj | undefined;
      return {
        EndpointConfigName: name,
        EndpointConfigArn: smArn(ctx, 'endpoint-config', name),
        ProductionVariants: [
          { VariantName: 'AllTraffic', ModelName: `${name}-model`, InitialInstanceCount: 1, InstanceType: 'ml.m5.large', InitialVariantWeight: 1 },
        ],
        CreationTime: epochSeconds(CREATED),
        ...config,
        DataCaptureConfig: capture && {
          EnableCapture: true,
          InitialSamplingPercentage: 100,
          CaptureOptions: [{ CaptureMode: 'Input' }, { CaptureMode: 'Output' }],
          ...capture,
        },
      };
    },
  },
};

export function routeRestJson(service: ServiceName, method: string, pathname: string): string | undefined {
  if (service === 'bedrock' && method === 'GET' && pathname === '/logging/modelinvocations') return 'GetModelInvocationLoggingConfiguration';
  return undefined;
}

const bedrock: ServiceDef = {
  protocol: 'rest-json',
  actions: {
    GetModelInvocationLoggingConfiguration: (ctx) => {
      const config = regionOf(ctx).bedrockLogging;
      return config ? { loggingConfig: config } : {};
    },
  },
};

export const SERVICES: Record<ServiceName, ServiceDef> = { s3, s3control, iam, sts, cloudtrail, kms, logs, rds, sqs, sagemaker, bedrock };

const RESOURCE_PARAMS = [
  'Bucket',
  'TrailName',
  'Name',
  'KeyId',
  'logGroupNamePrefix',
  'DBInstanceIdentifier',
  'DBClusterIdentifier',
  'QueueName',
  'EndpointName',
  'EndpointConfigName',
  'UserName',
  'RoleArn',
];

/** What a call is about, for the call log and fault matching (a queue URL gives its name). */
export function resourceOf(params: Record<string, unknown>): string | undefined {
  if (typeof params.QueueUrl === 'string') return decodeURIComponent(params.QueueUrl.slice(params.QueueUrl.lastIndexOf('/') + 1));
  for (const key of RESOURCE_PARAMS) if (typeof params[key] === 'string' && params[key] !== '') return params[key];
  return undefined;
}
