/**
 * S3 buckets PHI reaches: default encryption and its key's manager, Block Public Access (bucket and account) with
 * the policy status, a TLS-only policy, server access logging, versioning, and object lock where it matters. Each
 * answer becomes a fact under the map's own field names; an error makes only the facts it touches unavailable.
 */
import type { AccountRef, Target } from './accounts.js';
import { CallError } from './caller.js';
import { isNotFound, type LiveContext } from './context.js';
import { LIVE } from './fields.js';
import type { KeyFacts } from './kms.js';

const PAB_KEYS = ['BlockPublicAcls', 'IgnorePublicAcls', 'BlockPublicPolicy', 'RestrictPublicBuckets'] as const;
type Pab = Partial<Record<(typeof PAB_KEYS)[number], boolean>>;
/** A block's four settings, or none (not configured), or the error that kept it from being read. */
export type PabResult = { pab: Pab | undefined } | { error: unknown };

export interface AccountS3 {
  /** Bucket name → region, from ListBuckets; undefined when it could not be listed. */
  readonly regions: Promise<ReadonlyMap<string, string> | undefined>;
  /** Why the buckets could not be listed. */
  readonly listError: () => unknown;
  readonly accountPab: Promise<PabResult>;
}

export function accountS3(live: LiveContext, account: AccountRef): AccountS3 {
  const home = account.regions[0]!;
  let listError: unknown;
  const regions = (async () => {
    const out = new Map<string, string>();
    let token: string | undefined;
    try {
      do {
        const page = await live.call<{ Buckets?: { Name?: string; BucketRegion?: string }[]; ContinuationToken?: string }>(account, home, 's3:ListBuckets', {
          MaxBuckets: 1000,
          ...(token ? { ContinuationToken: token } : {}),
        });
        for (const b of page.Buckets ?? []) if (b.Name) out.set(b.Name, b.BucketRegion ?? home);
        token = page.ContinuationToken;
      } while (token);
      return out;
    } catch (err) {
      listError = err;
      return undefined;
    }
  })();
  const accountPab = (async (): Promise<PabResult> => {
    try {
      const id = await live.accountId(account);
      const out = await live.call<{ PublicAccessBlockConfiguration?: Pab }>(account, home, 's3control:GetPublicAccessBlock', { AccountId: id ?? '' });
      return { pab: out.PublicAccessBlockConfiguration ?? {} };
    } catch (err) {
      if (err instanceof CallError && err.code === 'NoSuchPublicAccessBlockConfiguration') return { pab: undefined };
      return { error: err };
    }
  })();
  return { regions, listError: () => listError, accountPab };
}

/** Whether a policy denies every request made without TLS. */
export function deniesInsecureTransport(policyText: string): boolean {
  let policy: { Statement?: unknown };
  try {
    policy = JSON.parse(policyText) as { Statement?: unknown };
  } catch {
    return false;
  }
  const statements = Array.isArray(policy.Statement) ? policy.Statement : [policy.Statement];
  return statements.some((s) => {
    if (!s || typeof s !== 'object') return false;
    const st = s as { Effect?: string; Condition?: Record<string, Record<string, unknown>>; Principal?: unknown };
    if (st.Effect !== 'Deny') return false;
    const p = st.Principal;
    const everyone = p === '*' || (p && typeof p === 'object' && (p as { AWS?: unknown }).AWS === '*');
    if (!everyone) return false;
    for (const [op, cond] of Object.entries(st.Condition ?? {})) {
      if (!/^Bool(IfExists)?$/.test(op) || !cond || typeof cond !== 'object') continue;
      const v = (cond as Record<string, unknown>)['aws:SecureTransport'];
      const values = Array.isArray(v) ? v : [v];
      if (values.some((x) => x === false || x === 'false')) return true;
    }
    return false;
  });
}

export interface BucketInput {
  readonly target: Target;
  readonly s3: AccountS3;
  readonly key: (account: AccountRef, region: string, keyId: string) => Promise<KeyFacts>;
  /** Object lock matters here (a bucket behind an audit log, or the map declares it). */
  readonly wantObjectLock: boolean;
  /** Whether a logging trail records reads of the bucket (undefined with the error when that is not known). */
  readonly dataEvents: (bucket: string, region: string) => Promise<{ covered: boolean | undefined; by?: string; error?: unknown }>;
}

/** Reads one bucket; returns its region for the data-event check, or undefined when the bucket is missing. */
export async function checkBucket(live: LiveContext, input: BucketInput): Promise<string | undefined> {
  const { target, s3 } = input;
  const { account } = target;
  const subject = target.node.id;
  const bucket = target.locator.name;
  const isLog = target.node.type === 'log';
  const regions = await s3.regions;
  const region = regions?.get(bucket) ?? target.locator.region ?? account.regions[0]!;
  const where = `${bucket} (${account.id}, ${region})`;
  const call = <T>(action: Parameters<LiveContext['call']>[2], extra: Record<string, unknown> = {}) =>
    live.call<T>(account, region, action, { Bucket: bucket, ...extra });

  // A bucket the account does not list is missing: every fact is unavailable, with one clear reason.
  if (regions && !regions.has(bucket)) {
    const err = new CallError('s3:ListBuckets', 'NoSuchBucket', `bucket ${bucket} does not exist in account ${account.id} (s3:ListBuckets does not list it)`);
    const fields = ['encryption.at_rest', 'encryption.key', 'public_access', LIVE.tlsRequired, LIVE.accessLogging, 'versioning', LIVE.dataEvents];
    live.unavailable(subject, isLog ? fields.filter((f) => f !== 'public_access' && f !== 'versioning') : fields, err, `s3:ListBuckets ${where}`);
    return undefined;
  }

  const jobs: Promise<void>[] = [];
  // Encryption, and the key's manager.
  jobs.push(
    (async () => {
      const source = `s3:GetBucketEncryption ${where}`;
      try {
        const out = await call<{
          ServerSideEncryptionConfiguration?: { Rules?: { ApplyServerSideEncryptionByDefault?: { SSEAlgorithm?: string; KMSMasterKeyID?: string } }[] };
        }>('s3:GetBucketEncryption');
        const rule = out.ServerSideEncryptionConfiguration?.Rules?.[0]?.ApplyServerSideEncryptionByDefault;
        const alg = rule?.SSEAlgorithm;
        if (!alg) {
          live.observe(subject, 'encryption.at_rest', 'none', `${source}: no default encryption rule`);
          return;
        }
        live.observe(subject, 'encryption.at_rest', 'aes-256', `${source}: ${alg}`);
        if (alg === 'AES256') live.observe(subject, 'encryption.key', 'provider-managed', `${source}: SSE-S3 (AWS-owned keys)`);
        else if (!rule.KMSMasterKeyID) live.observe(subject, 'encryption.key', 'provider-managed', `${source}: ${alg} with the AWS-managed aws/s3 key`);
        else {
          try {
            const k = await input.key(account, region, rule.KMSMasterKeyID);
            live.observe(subject, 'encryption.key', k.key, k.source);
            if (k.rotation !== undefined) live.observe(subject, LIVE.keyRotation, k.rotation, `kms:GetKeyRotationStatus ${rule.KMSMasterKeyID}`);
            else if (k.rotationError) live.unavailable(subject, [LIVE.keyRotation], k.rotationError, `kms:GetKeyRotationStatus ${rule.KMSMasterKeyID}`);
          } catch (err) {
            live.unavailable(subject, ['encryption.key'], err, `kms:DescribeKey ${rule.KMSMasterKeyID}`);
          }
        }
      } catch (err) {
        if (err instanceof CallError && err.code === 'ServerSideEncryptionConfigurationNotFoundError') {
          live.observe(subject, 'encryption.at_rest', 'none', `${source}: no default encryption`);
        } else live.unavailable(subject, ['encryption.at_rest', 'encryption.key'], err, source);
      }
    })(),
  );

  // Public access (stores only: a log has no public_access field) and the TLS-only policy, from the same policy read.
  jobs.push(
    (async () => {
      const policySource = `s3:GetBucketPolicy ${where}`;
      let policy: string | undefined;
      let policyError: unknown;
      try {
        policy = (await call<{ Policy?: string }>('s3:GetBucketPolicy')).Policy;
      } catch (err) {
        if (!(err instanceof CallError && err.code === 'NoSuchBucketPolicy')) policyError = err;
      }
      if (policyError) live.unavailable(subject, [LIVE.tlsRequired], policyError, policySource);
      else
        live.observe(
          subject,
          LIVE.tlsRequired,
          policy !== undefined && deniesInsecureTransport(policy),
          `${policySource}: ${policy === undefined ? 'no bucket policy' : 'policy read'}`,
        );
      if (isLog) return;

      const pabSource = `s3:GetPublicAccessBlock ${where}`;
      const accountPab = await s3.accountPab;
      // The account's block, all four on, blocks every bucket in it: nothing to ask per bucket.
      if ('pab' in accountPab && PAB_KEYS.every((k) => accountPab.pab?.[k] === true)) {
        live.observe(
          subject,
          'public_access',
          'blocked',
          `s3control:GetPublicAccessBlock (${account.id}): all four Block Public Access settings on for the account`,
        );
        return;
      }
      let bucketPab: PabResult;
      try {
        bucketPab = { pab: (await call<{ PublicAccessBlockConfiguration?: Pab }>('s3:GetPublicAccessBlock')).PublicAccessBlockConfiguration ?? {} };
      } catch (err) {
        bucketPab = err instanceof CallError && err.code === 'NoSuchPublicAccessBlockConfiguration' ? { pab: undefined } : { error: err };
      }
      const off: string[] = [];
      let unknown: unknown;
      for (const k of PAB_KEYS) {
        const b = 'pab' in bucketPab ? bucketPab.pab?.[k] === true : undefined;
        const a = 'pab' in accountPab ? accountPab.pab?.[k] === true : undefined;
        if (b === true || a === true) continue;
        if (b === undefined || a === undefined) unknown ??= 'error' in bucketPab ? bucketPab.error : 'error' in accountPab ? accountPab.error : undefined;
        else off.push(k);
      }
      if (off.length === 0 && unknown === undefined) {
        live.observe(subject, 'public_access', 'blocked', `${pabSource} and s3control:GetPublicAccessBlock: all four Block Public Access settings on`);
        return;
      }
      if (unknown !== undefined) {
        live.unavailable(subject, ['public_access'], unknown, 'error' in bucketPab ? pabSource : `s3control:GetPublicAccessBlock (${account.id})`);
        return;
      }
      let isPublic: boolean | undefined = false;
      if (policy !== undefined) {
        try {
          isPublic = (await call<{ PolicyStatus?: { IsPublic?: boolean } }>('s3:GetBucketPolicyStatus')).PolicyStatus?.IsPublic === true;
        } catch {
          isPublic = undefined;
        }
      }
      const note = isPublic ? 'the bucket policy is public' : isPublic === undefined ? 'policy status not readable' : 'no public policy';
      live.observe(subject, 'public_access', 'allowed', `${pabSource}: Block Public Access off for ${off.join(', ')} (bucket and account); ${note}`);
    })(),
  );

  jobs.push(
    (async () => {
      // Reads recorded: by a logging trail's data events, or else by server access logging.
      const d = await input.dataEvents(bucket, region);
      const trailSource = `cloudtrail:GetEventSelectors (${account.id})`;
      if (d.covered === undefined) live.unavailable(subject, [LIVE.dataEvents], d.error, trailSource);
      else
        live.observe(
          subject,
          LIVE.dataEvents,
          d.covered,
          d.covered ? `${trailSource}: trail ${d.by} records reads of ${bucket}` : `${trailSource}: no logging trail records reads of ${bucket}`,
        );
      if (d.covered) return;
      const source = `s3:GetBucketLogging ${where}`;
      try {
        const out = await call<{ LoggingEnabled?: { TargetBucket?: string } }>('s3:GetBucketLogging');
        const to = out.LoggingEnabled?.TargetBucket;
        live.observe(subject, LIVE.accessLogging, to !== undefined, `${source}: ${to ? `to ${to}` : 'off'}`);
      } catch (err) {
        live.unavailable(subject, [LIVE.accessLogging], err, source);
      }
    })(),
  );

  jobs.push(
    (async () => {
      const source = `s3:GetBucketVersioning ${where}`;
      let enabled: boolean;
      try {
        const out = await call<{ Status?: string }>('s3:GetBucketVersioning');
        enabled = out.Status === 'Enabled';
        if (!isLog) live.observe(subject, 'versioning', enabled, `${source}: ${out.Status ?? 'never enabled'}`);
      } catch (err) {
        if (!isLog) live.unavailable(subject, ['versioning'], err, source);
        return;
      }
      const field = isLog ? 'tamper_evident' : 'object_lock';
      // Object lock needs versioning: without it there is none, and nothing to ask.
      if (!enabled) {
        if (!isLog) live.observe(subject, field, false, `${source}: versioning off, so no object lock`);
        return;
      }
      if (!input.wantObjectLock) return;
      const lockSource = `s3:GetObjectLockConfiguration ${where}`;
      try {
        const out = await call<{ ObjectLockConfiguration?: { ObjectLockEnabled?: string } }>('s3:GetObjectLockConfiguration');
        const on = out.ObjectLockConfiguration?.ObjectLockEnabled === 'Enabled';
        // A log may be tamper-evident by other means (a separate account): only object lock on says so here.
        if (on || !isLog) live.observe(subject, field, on, `${lockSource}: ${on ? 'enabled' : 'off'}`);
      } catch (err) {
        if (isNotFound(err, 'ObjectLockConfigurationNotFoundError')) {
          if (!isLog) live.observe(subject, field, false, `${lockSource}: not configured`);
        } else live.unavailable(subject, [field], err, lockSource);
      }
    })(),
  );
  await Promise.all(jobs);
  return region;
}
