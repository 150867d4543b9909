/**
 * CloudWatch Logs groups, RDS instances and clusters, and SQS queues that PHI reaches, each read with one or two
 * calls and turned into the map's own fields. A queue's dead-letter queue is a copy of failed messages: returned to
 * the caller, which checks it against the map like every other copy AWS makes.
 */
import type { AccountRef, Target } from './accounts.js';
import { CallError } from './caller.js';
import { isNotFound, type LiveContext } from './context.js';
import { LIVE } from './fields.js';
import type { KeyFacts } from './kms.js';

type KeyReader = (account: AccountRef, region: string, keyId: string) => Promise<KeyFacts>;

async function observeKey(live: LiveContext, key: KeyReader, subject: string, account: AccountRef, region: string, keyId: string): Promise<void> {
  try {
    const k = await key(account, region, keyId);
    live.observe(subject, 'encryption.key', k.key, k.source);
    if (k.rotation !== undefined) live.observe(subject, LIVE.keyRotation, k.rotation, `kms:GetKeyRotationStatus ${keyId}`);
    else if (k.rotationError) live.unavailable(subject, [LIVE.keyRotation], k.rotationError, `kms:GetKeyRotationStatus ${keyId}`);
  } catch (err) {
    live.unavailable(subject, ['encryption.key'], err, `kms:DescribeKey ${keyId}`);
  }
}

/** A log group's retention, when it never expires and the map is silent: a hundred years. */
const NEVER_EXPIRES_DAYS = 36500;

export async function checkLogGroup(live: LiveContext, target: Target, key: KeyReader): Promise<void> {
  const { account, node } = target;
  const name = target.locator.name;
  const region = target.locator.region ?? account.regions[0]!;
  const source = `logs:DescribeLogGroups ${name} (${account.id}, ${region})`;
  const fields = ['encryption.at_rest', 'encryption.key', 'retention_days'];
  try {
    const out = await live.call<{ logGroups?: { logGroupName?: string; retentionInDays?: number; kmsKeyId?: string }[] }>(
      account,
      region,
      'logs:DescribeLogGroups',
      { logGroupNamePrefix: name, limit: 50 },
    );
    const group = (out.logGroups ?? []).find((g) => g.logGroupName === name);
    if (!group) {
      live.unavailable(
        node.id,
        fields,
        new CallError('logs:DescribeLogGroups', 'NotFound', `log group ${name} does not exist in ${account.id}/${region}`),
        source,
      );
      return;
    }
    // CloudWatch Logs always encrypts; a KMS key on the group is always a customer managed key.
    live.observe(node.id, 'encryption.at_rest', 'aes-256', `${source}: encrypted by CloudWatch Logs`);
    if (group.kmsKeyId) await observeKey(live, key, node.id, account, region, group.kmsKeyId);
    else live.observe(node.id, 'encryption.key', 'provider-managed', `${source}: no KMS key (service-owned keys)`);
    if (group.retentionInDays !== undefined)
      live.observe(node.id, 'retention_days', group.retentionInDays, `${source}: retentionInDays ${group.retentionInDays}`);
    else {
      const declared = node.type === 'log' ? node.spec.retention_days : undefined;
      live.observe(node.id, 'retention_days', declared ?? NEVER_EXPIRES_DAYS, `${source}: never expires`);
    }
  } catch (err) {
    live.unavailable(node.id, fields, err, source);
  }
}

interface DbFields {
  StorageEncrypted?: boolean;
  KmsKeyId?: string;
  PubliclyAccessible?: boolean;
  BackupRetentionPeriod?: number;
  DeletionProtection?: boolean;
}

export async function checkDatabase(live: LiveContext, target: Target, key: KeyReader): Promise<void> {
  const { account, node } = target;
  const id = target.locator.name;
  const region = target.locator.region ?? account.regions[0]!;
  const fields = ['encryption.at_rest', 'encryption.key', 'public_access', 'point_in_time_recovery', LIVE.deletionProtection, LIVE.backupRetention];
  let db: DbFields | undefined;
  let source = `rds:DescribeDBInstances ${id} (${account.id}, ${region})`;
  let cluster = false;
  try {
    db = (await live.call<{ DBInstances?: DbFields[] }>(account, region, 'rds:DescribeDBInstances', { DBInstanceIdentifier: id })).DBInstances?.[0];
  } catch (err) {
    if (!isNotFound(err, 'DBInstanceNotFoundFault', 'DBInstanceNotFound')) {
      live.unavailable(node.id, fields, err, source);
      return;
    }
  }
  if (!db) {
    source = `rds:DescribeDBClusters ${id} (${account.id}, ${region})`;
    cluster = true;
    try {
      db = (await live.call<{ DBClusters?: DbFields[] }>(account, region, 'rds:DescribeDBClusters', { DBClusterIdentifier: id })).DBClusters?.[0];
    } catch (err) {
      const missing = isNotFound(err, 'DBClusterNotFoundFault', 'DBClusterNotFound');
      const e = missing ? new CallError('rds:DescribeDBClusters', 'NotFound', `no DB instance or cluster ${id} in ${account.id}/${region}`) : err;
      live.unavailable(node.id, fields, e, source);
      return;
    }
  }
  if (!db) {
    live.unavailable(
      node.id,
      fields,
      new CallError('rds:DescribeDBClusters', 'NotFound', `no DB instance or cluster ${id} in ${account.id}/${region}`),
      source,
    );
    return;
  }
  live.observe(node.id, 'encryption.at_rest', db.StorageEncrypted ? 'aes-256' : 'none', `${source}: StorageEncrypted ${db.StorageEncrypted === true}`);
  if (db.StorageEncrypted && db.KmsKeyId) await observeKey(live, key, node.id, account, region, db.KmsKeyId);
  if (!cluster && db.PubliclyAccessible !== undefined) {
    live.observe(node.id, 'public_access', db.PubliclyAccessible ? 'allowed' : 'blocked', `${source}: PubliclyAccessible ${db.PubliclyAccessible}`);
  }
  const days = db.BackupRetentionPeriod ?? 0;
  live.observe(node.id, 'point_in_time_recovery', days > 0, `${source}: BackupRetentionPeriod ${days} (automated backups give point-in-time recovery)`);
  live.observe(node.id, LIVE.backupRetention, days, `${source}: BackupRetentionPeriod ${days}`);
  live.observe(node.id, LIVE.deletionProtection, db.DeletionProtection === true, `${source}: DeletionProtection ${db.DeletionProtection === true}`);
}

/** Reads a queue; returns its dead-letter queue's name (a copy of failed messages), if it has one. */
export async function checkQueue(live: LiveContext, target: Target, key: KeyReader): Promise<{ dlq?: string; region: string } | undefined> {
  const { account, node } = target;
  const name = target.locator.name;
  const region = target.locator.region ?? account.regions[0]!;
  const fields = ['encryption.at_rest', 'encryption.key'];
  const owner = target.locator.accountId ?? account.accountId;
  let source = `sqs:GetQueueUrl ${name} (${account.id}, ${region})`;
  try {
    // Resolved through the configured endpoint: a queue URL's own host would bypass it (AWS-NOTES.md).
    const url = (
      await live.call<{ QueueUrl?: string }>(account, region, 'sqs:GetQueueUrl', { QueueName: name, ...(owner ? { QueueOwnerAWSAccountId: owner } : {}) })
    ).QueueUrl;
    source = `sqs:GetQueueAttributes ${name} (${account.id}, ${region})`;
    const attrs =
      (await live.call<{ Attributes?: Record<string, string> }>(account, region, 'sqs:GetQueueAttributes', { QueueUrl: url, AttributeNames: ['All'] }))
        .Attributes ?? {};
    const kms = attrs.KmsMasterKeyId;
    const sse = attrs.SqsManagedSseEnabled === 'true';
    if (kms) {
      live.observe(node.id, 'encryption.at_rest', 'aes-256', `${source}: SSE-KMS`);
      if (kms === 'alias/aws/sqs') live.observe(node.id, 'encryption.key', 'provider-managed', `${source}: the AWS-managed alias/aws/sqs key`);
      else await observeKey(live, key, node.id, account, region, kms);
    } else if (sse) {
      live.observe(node.id, 'encryption.at_rest', 'aes-256', `${source}: SSE-SQS`);
      live.observe(node.id, 'encryption.key', 'provider-managed', `${source}: SSE-SQS (SQS-owned keys)`);
    } else live.observe(node.id, 'encryption.at_rest', 'none', `${source}: no server-side encryption`);
    let dlq: string | undefined;
    if (attrs.RedrivePolicy) {
      try {
        const arn = (JSON.parse(attrs.RedrivePolicy) as { deadLetterTargetArn?: string }).deadLetterTargetArn;
        dlq = arn ? (arn.split(':').pop() ?? arn) : undefined;
      } catch {
        dlq = undefined;
      }
    }
    return { ...(dlq ? { dlq } : {}), region };
  } catch (err) {
    live.unavailable(node.id, fields, err, source);
    if (node.type === 'store' && node.spec.kind !== 'dead-letter-queue') live.unavailable(node.id, [LIVE.undeclaredCopies], err, source);
    return undefined;
  }
}
