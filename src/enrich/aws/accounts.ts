/**
 * Where the map meets the account: the accounts to read, and which AWS resource each node names. Only the map's
 * structure is read here (hosting, account, resource); safeguard values are facts (facts.ts).
 */
import { accountOf, hostingOf, type MapNode, type PhiMap, resourceOf } from '../../map/model.js';

/** An account as the live checks read it. */
export interface AccountRef {
  /** The map's `accounts:` id (`default` when the map declares none). */
  readonly id: string;
  /** The 12-digit id the map declares; undefined for the default account (whatever the credentials reach). */
  readonly accountId?: string | undefined;
  readonly regions: readonly string[];
  readonly roleArn?: string | undefined;
  readonly profile?: string | undefined;
}

export const DEFAULT_ACCOUNT = 'default';

/** The accounts a live run reads: the map's, or one for whatever the default credentials reach. */
export function accountsOf(map: PhiMap, region: string): Map<string, AccountRef> {
  const out = new Map<string, AccountRef>();
  for (const [id, a] of map.accounts ?? []) {
    out.set(id, { id, accountId: a.spec.account_id, regions: a.spec.regions ?? [region], roleArn: a.spec.role_arn, profile: a.spec.profile });
  }
  if (out.size === 0) out.set(DEFAULT_ACCOUNT, { id: DEFAULT_ACCOUNT, regions: [region] });
  return out;
}

/** Vendor ids that mean AWS in `hosting:` (the catalog's aliases). */
export const AWS_VENDORS = new Set(['aws', 'amazon-web-services', 'amazon']);

export type ResourceKind = 's3' | 'trail' | 'logs' | 'rds' | 'sqs' | 'sagemaker' | 'bedrock';

const SERVICE_KIND = new Map<string, ResourceKind>([
  ['s3', 's3'],
  ['cloudtrail', 'trail'],
  ['cloudwatch-logs', 'logs'],
  ['logs', 'logs'],
  ['cloudwatch', 'logs'],
  ['rds', 'rds'],
  ['aurora', 'rds'],
  ['aurora-postgres', 'rds'],
  ['aurora-postgresql', 'rds'],
  ['aurora-mysql', 'rds'],
  ['sqs', 'sqs'],
  ['sagemaker', 'sagemaker'],
  ['bedrock', 'bedrock'],
  ['bedrock-runtime', 'bedrock'],
  ['bedrock-agent', 'bedrock'],
  ['bedrock-agent-runtime', 'bedrock'],
]);

/** The AWS vendor id a node is hosted on, when it is hosted on AWS. */
export function awsHosting(node: MapNode): { vendor: string; service?: string } | undefined {
  const h = hostingOf(node);
  return h && AWS_VENDORS.has(h.vendor) ? h : undefined;
}

export function kindOfNode(node: MapNode): ResourceKind | undefined {
  const h = awsHosting(node);
  return h?.service ? SERVICE_KIND.get(h.service) : undefined;
}

/** A resource locator read: a name, and what an ARN or URL adds (region, account). */
export interface Locator {
  readonly name: string;
  readonly region?: string | undefined;
  readonly accountId?: string | undefined;
  /** `s3://bucket/prefix` destinations keep their prefix. */
  readonly prefix?: string | undefined;
}

/** Reads a locator of a given kind: a plain name, an ARN, an SQS queue URL, or `s3://bucket/prefix`. */
export function parseLocator(kind: ResourceKind, text: string): Locator {
  const t = text.trim();
  const arn = /^arn:aws[a-z-]*:([a-z0-9-]+):([a-z0-9-]*):(\d{12})?:(.+)$/.exec(t);
  if (arn) {
    const [, , region, accountId, rest] = arn as unknown as [string, string, string, string | undefined, string];
    const r = region || undefined;
    switch (kind) {
      case 'logs':
        return { name: rest.replace(/^log-group:/, '').replace(/:\*$/, ''), region: r, accountId };
      case 'rds':
        return { name: rest.replace(/^(db|cluster):/, ''), region: r, accountId };
      case 'trail':
        return { name: t, region: r, accountId };
      case 'sagemaker':
        return { name: rest.replace(/^endpoint\//, ''), region: r, accountId };
      default:
        return { name: rest, region: r, accountId };
    }
  }
  const s3 = /^arn:aws[a-z-]*:s3:::([^/]+)/.exec(t) ?? /^s3:\/\/([^/]+)\/?(.*)$/.exec(t);
  if (s3) return { name: s3[1]!, prefix: s3[2] || undefined };
  const queueUrl = /^https?:\/\/[^/]*?(?:sqs\.([a-z0-9-]+)\.[^/]+|[^/]+)\/(\d{12})\/([^/?#]+)/.exec(t);
  if (kind === 'sqs' && queueUrl) return { name: queueUrl[3]!, region: queueUrl[1], accountId: queueUrl[2] };
  return { name: t };
}

/** A node tied to an AWS resource in an account. */
export interface Target {
  readonly node: MapNode;
  readonly kind: ResourceKind;
  readonly account: AccountRef;
  readonly locator: Locator;
}

/** The account a node lives in, as a live run reads it. */
export function accountFor(map: PhiMap, node: MapNode, accounts: ReadonlyMap<string, AccountRef>): AccountRef | undefined {
  if (!map.accounts || map.accounts.size === 0) return accounts.get(DEFAULT_ACCOUNT);
  const a = accountOf(map, node);
  return a ? accounts.get(a.id) : undefined;
}

export function targetOf(map: PhiMap, node: MapNode, accounts: ReadonlyMap<string, AccountRef>): Target | undefined {
  const kind = kindOfNode(node);
  const resource = resourceOf(node);
  const account = accountFor(map, node, accounts);
  if (!kind || !account || (resource === undefined && kind !== 'bedrock')) return undefined;
  return { node, kind, account, locator: parseLocator(kind, resource ?? '') };
}
