/**
 * The local AWS server's state: the fixture format (what a test writes, in YAML or JSON) and the normalized state the
 * handlers read. Field names inside resources are AWS's own (as the API returns them); lower-case keys are the server's.
 * test/aws/README.md documents the format.
 */
import { readFileSync } from 'node:fs';
import YAML from 'yaml';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Obj = Record<string, Json>;

export type FaultKind = 'latency' | 'throttle' | 'serverError' | 'accessDenied' | 'expiredToken' | 'hang' | 'close' | 'error';

/** One fault rule. Every given match field must match the call; `times` counts the calls it still applies to. */
export interface FaultRule {
  kind: FaultKind;
  /** `service:Action` (e.g. `s3:GetBucketEncryption`, `iam:ListUsers`), `service:*`, or `*`. Default `*`. */
  action?: string;
  /** Account name or id. */
  account?: string;
  region?: string;
  /** Bucket, trail, key, log group, DB, queue or endpoint the call is about. */
  resource?: string;
  /** How many matching calls it applies to (default: all of them). */
  times?: number;
  /** latency: milliseconds added to each matching call. */
  ms?: number;
  /** serverError (default 500) and error: the HTTP status. */
  status?: number;
  /** error: the wire error code. */
  code?: string;
  message?: string;
}

export interface Fixture {
  /** Milliseconds added to every call. */
  latencyMs?: number;
  faults?: FaultRule[];
  accounts: Record<string, AccountFixture>;
}

export interface AccountFixture {
  /** 12 digits. */
  id: string;
  /** Access key id → secret. Default: one key `AKIA` + the id + `BASE`, secret `secret-<name>`. */
  accessKeys?: Record<string, string>;
  /** The IAM user those keys belong to (for GetCallerIdentity). Default `auditor`. */
  user?: string;
  /** Default region (env()); default: the first key of `regions`, else us-east-1. */
  region?: string;
  /** Role name → who may assume it (account names or ids; default every account in the fixture). */
  roles?: Record<string, { trustedBy?: string[]; maxSessionSeconds?: number } | null>;
  iam?: IamFixture;
  s3?: S3Fixture;
  regions?: Record<string, RegionFixture | null>;
}

export interface IamFixture {
  /** Merged over the defaults (AccountMFAEnabled 1, AccountAccessKeysPresent 0, ...). */
  summary?: Record<string, number>;
  /** Absent: GetAccountPasswordPolicy answers NoSuchEntity. */
  passwordPolicy?: Obj;
  users?: Record<string, UserFixture | null>;
  /** absent (default: GenerateCredentialReport must run first), present, expired, or inProgress (GetCredentialReport never ready). */
  credentialReport?: 'absent' | 'present' | 'expired' | 'inProgress';
}

export interface UserFixture {
  /** true: a console password; false/absent: GetLoginProfile answers NoSuchEntity. */
  loginProfile?: boolean;
  /** MFA device serial numbers, or a count (serials are made up). */
  mfaDevices?: string[] | number;
  PasswordLastUsed?: string;
  /** Active access keys (credential report columns). */
  accessKeys?: number;
}

export interface BucketFixture {
  /** Default: the account's default region. */
  region?: string;
  /** Default SSE-S3 (AES256), as AWS sets on every new bucket; `none`: ServerSideEncryptionConfigurationNotFoundError. */
  encryption?: 'none' | { SSEAlgorithm: string; KMSMasterKeyID?: string; BucketKeyEnabled?: boolean };
  /** Default all four true (AWS's default for new buckets); `none`: NoSuchPublicAccessBlockConfiguration. */
  publicAccessBlock?: 'none' | boolean | Partial<PublicAccessBlock>;
  /** Bucket policy (object or JSON text). Absent: NoSuchBucketPolicy. */
  policy?: Obj | string;
  /** PolicyStatus.IsPublic (only with a policy). Default false. */
  public?: boolean;
  logging?: { TargetBucket: string; TargetPrefix?: string };
  /** Absent: ObjectLockConfigurationNotFoundError. */
  objectLock?: { mode?: 'GOVERNANCE' | 'COMPLIANCE'; days?: number; years?: number } | boolean;
  versioning?: 'Enabled' | 'Suspended';
}

export interface PublicAccessBlock {
  BlockPublicAcls: boolean;
  IgnorePublicAcls: boolean;
  BlockPublicPolicy: boolean;
  RestrictPublicBuckets: boolean;
}

export interface S3Fixture {
  /** Account-level block (S3 Control). Absent: NoSuchPublicAccessBlockConfiguration. */
  publicAccessBlock?: boolean | Partial<PublicAccessBlock>;
  buckets?: Record<string, BucketFixture | null>;
}

export interface RegionFixture {
  /** Trail name → fields as DescribeTrails returns them, plus Status (GetTrailStatus) and the selectors. */
  trails?: Record<string, Obj | null>;
  /** Key id → { KeyManager: CUSTOMER|AWS, KeyRotationEnabled, Aliases: [alias/x], KeyState, ... }. */
  kmsKeys?: Record<string, Obj | null>;
  /** Log group name → { retentionInDays, kmsKeyId, ... }. */
  logGroups?: Record<string, Obj | null>;
  /** DB instance id → DescribeDBInstances fields. */
  dbInstances?: Record<string, Obj | null>;
  dbClusters?: Record<string, Obj | null>;
  /** Queue name → attributes (RedrivePolicy may be an object; its deadLetterTargetArn may be a queue name). */
  queues?: Record<string, Obj | null>;
  /** Endpoint name → { EndpointConfigName, EndpointStatus, DataCaptureConfig (defines the config inline) }. */
  endpoints?: Record<string, Obj | null>;
  endpointConfigs?: Record<string, Obj | null>;
  /** Bedrock model invocation logging (the loggingConfig object). Absent: not configured. */
  bedrockLogging?: Obj;
}

// ---------- normalized state ----------

export interface Account {
  name: string;
  id: string;
  region: string;
  user: string;
  accessKeys: Map<string, string>;
  roles: Map<string, { trustedBy: string[] | undefined; maxSessionSeconds: number }>;
  iam: {
    summary: Record<string, number>;
    passwordPolicy: Obj | undefined;
    users: Map<string, UserFixture>;
    credentialReport: 'absent' | 'present' | 'expired' | 'inProgress';
  };
  s3: { publicAccessBlock: PublicAccessBlock | undefined; buckets: Map<string, Bucket> };
  regions: Map<string, Region>;
}

export interface Bucket {
  name: string;
  region: string;
  created: Date;
  encryption: { SSEAlgorithm: string; KMSMasterKeyID?: string; BucketKeyEnabled?: boolean } | undefined;
  publicAccessBlock: PublicAccessBlock | undefined;
  policy: string | undefined;
  public: boolean;
  logging: { TargetBucket: string; TargetPrefix?: string } | undefined;
  objectLock: { mode?: string; days?: number; years?: number } | undefined;
  versioning: string | undefined;
}

export interface Region {
  trails: Map<string, Obj>;
  kmsKeys: Map<string, Obj>;
  logGroups: Map<string, Obj>;
  dbInstances: Map<string, Obj>;
  dbClusters: Map<string, Obj>;
  queues: Map<string, Obj>;
  endpoints: Map<string, Obj>;
  endpointConfigs: Map<string, Obj>;
  bedrockLogging: Obj | undefined;
}

export interface State {
  accounts: Map<string, Account>;
  latencyMs: number;
  faults: FaultRule[];
}

// ---------- loading ----------

/** Reads a fixture file (.yaml, .yml or .json). */
export function readFixture(file: string): Fixture {
  const text = readFileSync(file, 'utf8');
  const data: unknown = file.endsWith('.json') ? JSON.parse(text) : YAML.parse(text);
  return data as Fixture;
}

const KEYS = {
  top: ['latencyMs', 'faults', 'accounts'],
  account: ['id', 'accessKeys', 'user', 'region', 'roles', 'iam', 's3', 'regions'],
  iam: ['summary', 'passwordPolicy', 'users', 'credentialReport'],
  user: ['loginProfile', 'mfaDevices', 'PasswordLastUsed', 'accessKeys'],
  s3: ['publicAccessBlock', 'buckets'],
  bucket: ['region', 'encryption', 'publicAccessBlock', 'policy', 'public', 'logging', 'objectLock', 'versioning'],
  region: ['trails', 'kmsKeys', 'logGroups', 'dbInstances', 'dbClusters', 'queues', 'endpoints', 'endpointConfigs', 'bedrockLogging'],
  fault: ['kind', 'action', 'account', 'region', 'resource', 'times', 'ms', 'status', 'code', 'message'],
};

/** A typo in a fixture would silently change what the server answers: unknown keys are errors naming their path. */
function checkKeys(value: unknown, allowed: string[], where: string): void {
  if (value === undefined || value === null) return;
  if (typeof value !== 'object' || Array.isArray(value)) throw new Error(`fixture: ${where} must be a mapping`);
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) throw new Error(`fixture: unknown key ${where}.${key} (expected one of ${allowed.join(', ')})`);
  }
}

const FAULT_KINDS: FaultKind[] = ['latency', 'throttle', 'serverError', 'accessDenied', 'expiredToken', 'hang', 'close', 'error'];

export function checkFault(rule: FaultRule, where = 'fault'): FaultRule {
  checkKeys(rule, KEYS.fault, where);
  if (!FAULT_KINDS.includes(rule.kind)) throw new Error(`fixture: ${where}.kind must be one of ${FAULT_KINDS.join(', ')}`);
  if (rule.kind === 'error' && !rule.code) throw new Error(`fixture: ${where} of kind error needs a code`);
  return { ...rule };
}

function pab(value: boolean | Partial<PublicAccessBlock>): PublicAccessBlock {
  const all = typeof value === 'boolean' ? value : false;
  const o = typeof value === 'object' ? value : {};
  return {
    BlockPublicAcls: o.BlockPublicAcls ?? all,
    IgnorePublicAcls: o.IgnorePublicAcls ?? all,
    BlockPublicPolicy: o.BlockPublicPolicy ?? all,
    RestrictPublicBuckets: o.RestrictPublicBuckets ?? all,
  };
}

const entries = <T>(record: Record<string, T | null> | undefined): [string, T | Record<string, never>][] =>
  Object.entries(record ?? {}).map(([k, v]) => [k, v ?? {}]);

const CREATED = new Date('2025-01-15T10:00:00Z');

/** Validates a fixture and fills in every default. */
export function normalize(input: Fixture): State {
  // the state is mutable (tests change it) and defaults are written into it: never share objects with the caller
  const fixture = structuredClone(input);
  checkKeys(fixture, KEYS.top, 'fixture');
  const accounts = new Map<string, Account>();
  for (const [name, a] of Object.entries(fixture.accounts ?? {})) {
    const where = `accounts.${name}`;
    checkKeys(a, KEYS.account, where);
    if (!/^\d{12}$/.test(String(a.id))) throw new Error(`fixture: ${where}.id must be 12 digits (quote it in YAML)`);
    checkKeys(a.iam, KEYS.iam, `${where}.iam`);
    checkKeys(a.s3, KEYS.s3, `${where}.s3`);
    const id = String(a.id);
    const regionNames = Object.keys(a.regions ?? {});
    const region = a.region ?? regionNames[0] ?? 'us-east-1';
    const regions = new Map<string, Region>();
    for (const r of new Set([region, ...regionNames])) {
      const rf = a.regions?.[r] ?? {};
      checkKeys(rf, KEYS.region, `${where}.regions.${r}`);
      regions.set(r, normalizeRegion(rf, id, r));
    }
    const users = new Map<string, UserFixture>();
    for (const [u, uf] of entries(a.iam?.users)) {
      checkKeys(uf, KEYS.user, `${where}.iam.users.${u}`);
      users.set(u, uf);
    }
    const buckets = new Map<string, Bucket>();
    for (const [b, bf] of entries(a.s3?.buckets)) {
      checkKeys(bf, KEYS.bucket, `${where}.s3.buckets.${b}`);
      buckets.set(b, normalizeBucket(b, bf, region));
    }
    accounts.set(name, {
      name,
      id,
      region,
      user: a.user ?? 'auditor',
      accessKeys: new Map(Object.entries(a.accessKeys ?? { [`AKIA${id}BASE`]: `secret-${name}` })),
      roles: new Map(entries(a.roles).map(([r, rf]) => [r, { trustedBy: rf.trustedBy, maxSessionSeconds: rf.maxSessionSeconds ?? 3600 }])),
      iam: {
        summary: {
          AccountMFAEnabled: 1,
          AccountAccessKeysPresent: 0,
          Users: users.size,
          MFADevices: [...users.values()].reduce((n, u) => n + mfaSerials(u, '').length, 0),
          ...a.iam?.summary,
        },
        passwordPolicy: a.iam?.passwordPolicy,
        users,
        credentialReport: a.iam?.credentialReport ?? 'absent',
      },
      s3: { publicAccessBlock: a.s3?.publicAccessBlock === undefined ? undefined : pab(a.s3.publicAccessBlock), buckets },
      regions,
    });
  }
  const faults = (fixture.faults ?? []).map((f, i) => checkFault(f, `faults[${i}]`));
  return { accounts, latencyMs: fixture.latencyMs ?? 0, faults };
}

export function mfaSerials(user: UserFixture, arnPrefix: string): string[] {
  const m = user.mfaDevices;
  if (Array.isArray(m)) return m;
  return Array.from({ length: m ?? 0 }, (_, i) => `${arnPrefix}mfa-${i + 1}`);
}

function normalizeBucket(name: string, b: BucketFixture, defaultRegion: string): Bucket {
  const lock = b.objectLock;
  return {
    name,
    region: b.region ?? defaultRegion,
    created: CREATED,
    encryption: b.encryption === 'none' ? undefined : (b.encryption ?? { SSEAlgorithm: 'AES256', BucketKeyEnabled: false }),
    publicAccessBlock: b.publicAccessBlock === 'none' ? undefined : pab(b.publicAccessBlock ?? true),
    policy: b.policy === undefined ? undefined : typeof b.policy === 'string' ? b.policy : JSON.stringify(b.policy),
    public: b.public ?? false,
    logging: b.logging,
    objectLock: lock === undefined || lock === false ? undefined : lock === true ? {} : lock,
    versioning: b.versioning,
  };
}

function normalizeRegion(r: RegionFixture, account: string, region: string): Region {
  const map = (record: Record<string, Obj | null> | undefined) => new Map(entries(record).map(([k, v]) => [k, v as Obj]));
  const endpointConfigs = map(r.endpointConfigs);
  const endpoints = map(r.endpoints);
  for (const [name, e] of endpoints) {
    const configName = typeof e.EndpointConfigName === 'string' ? e.EndpointConfigName : `${name}-config`;
    e.EndpointConfigName = configName;
    if (e.DataCaptureConfig !== undefined && !endpointConfigs.has(configName)) {
      endpointConfigs.set(configName, { DataCaptureConfig: e.DataCaptureConfig });
    }
  }
  const queues = map(r.queues);
  for (const q of queues.values()) {
    const redrive = q.RedrivePolicy;
    if (redrive && typeof redrive === 'object' && !Array.isArray(redrive)) {
      const target = String(redrive.deadLetterTargetArn ?? '');
      if (!target.startsWith('arn:')) redrive.deadLetterTargetArn = `arn:aws:sqs:${region}:${account}:${target}`;
      redrive.maxReceiveCount ??= 5;
    }
  }
  return {
    trails: map(r.trails),
    kmsKeys: map(r.kmsKeys),
    logGroups: map(r.logGroups),
    dbInstances: map(r.dbInstances),
    dbClusters: map(r.dbClusters),
    queues,
    endpoints,
    endpointConfigs,
    bedrockLogging: r.bedrockLogging,
  };
}
