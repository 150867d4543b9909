/** What AWS resource attributes say in the map's words, shared by the Terraform and CloudFormation readers. */
import type { DraftBuilder, DraftNode } from './model.js';

export type KeyOwner = 'customer-managed' | 'provider-managed' | undefined;

export const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
/** An own property, never one inherited (a `__proto__` key in the input is just a key). */
export const own = (o: unknown, k: string): unknown => (isObj(o) && Object.hasOwn(o, k) ? o[k] : undefined);
export const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
export const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined || v === null ? [] : [v]);
/** A boolean as Terraform or CloudFormation writes it (CloudFormation allows "true" and "false" as text). */
export function bool(v: unknown): boolean | undefined {
  if (typeof v === 'boolean') return v;
  if (v === 'true' || v === 'True') return true;
  if (v === 'false' || v === 'False') return false;
  return undefined;
}
export function num(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && /^\d+$/.test(v)) return Number(v);
  return undefined;
}

/** Set `encryption` from what the resource states. */
export function setEncryption(node: DraftNode, atRest: 'aes-256' | 'none', key: KeyOwner): void {
  node.fields.set('encryption', atRest === 'none' || key === undefined ? { at_rest: atRest } : { at_rest: atRest, key });
}

/** A key given as text that names no key in the input: an AWS managed key only by its `alias/aws/...` alias. */
export function literalKeyOwner(node: DraftNode, key: string): KeyOwner {
  if (/(^|:)alias\/aws\//.test(key)) return 'provider-managed';
  node.notes.push(`encrypted with KMS key ${key}, which is not in this input: if it is a customer managed key, add key: customer-managed under encryption`);
  return undefined;
}

export const QUESTIONS = {
  store: (what: string) => `QUESTION: does this ${what} hold PHI? If so: data: [phi] (and records: how many people)`,
  service: (what: string) => `QUESTION: does this ${what} create or collect PHI itself (beyond what reaches it through the flows)? If so: data: [phi]`,
  log: (what: string) =>
    `QUESTION: can PHI reach this ${what} (payloads, errors, debug output)? If it can, add a flow to it from each node that writes PHI there`,
  audit: 'QUESTION: how is this audit log reviewed? review: { method: siem } (or alerting, or manual with interval_days)',
  access: 'QUESTION: who can read it? access: { rbac: true, unique_user_ids: true } once that is true',
};

/** The question for a node, by what it is. */
export function ask(node: DraftNode, what: string): void {
  if (node.section === 'stores') node.questions.push(QUESTIONS.store(what));
  else if (node.section === 'services') node.questions.push(QUESTIONS.service(what));
  else node.questions.push(QUESTIONS.log(what));
}

/** S3's algorithm names. */
export function s3AtRest(algorithm: string | undefined): 'aes-256' | undefined {
  if (algorithm === undefined) return undefined;
  return algorithm === 'AES256' || algorithm.startsWith('aws:kms') ? 'aes-256' : undefined;
}

export const S3_DEFAULT_NOTE =
  'no default encryption configuration in this input: S3 encrypts new objects with SSE-S3 (AES-256, an AWS owned key) since January 2023; if you rely on that, write encryption: { at_rest: aes-256, key: provider-managed }';

export const CLOUDWATCH_NOTE = 'CloudWatch Logs encrypts log data at rest; with no KMS key the key is AWS owned';
export const DYNAMODB_NOTE = 'DynamoDB encrypts every table at rest (AES-256); without a KMS key the key is AWS owned or AWS managed';

interface DatabaseFacts {
  encrypted: boolean | undefined;
  key: () => KeyOwner;
  keyGiven: boolean;
  publicly: boolean | undefined;
  retention: number | undefined;
  deletion: boolean | undefined;
  iamAuth: boolean | undefined;
  builder: DraftBuilder;
  keyBase: string;
}

/** RDS and Aurora, from either reader: encryption, public endpoint, automated backups. */
export function databaseFacts(node: DraftNode, f: DatabaseFacts): void {
  if (f.encrypted === true) setEncryption(node, 'aes-256', f.keyGiven ? f.key() : 'provider-managed');
  else if (f.encrypted === false) setEncryption(node, 'none', undefined);
  if (f.publicly === true) node.fields.set('public_access', 'allowed');
  else if (f.publicly === false) node.fields.set('public_access', 'blocked');
  if (f.retention !== undefined && f.retention > 0) {
    node.fields.set('point_in_time_recovery', true);
    const backup = f.builder.add(`${f.keyBase}#backups`, node.type, 'stores', `${node.name}-backups`);
    backup.fields.set('kind', 'backup');
    backup.fields.set('hosting', node.fields.get('hosting'));
    const enc = node.fields.get('encryption');
    if (enc !== undefined) backup.fields.set('encryption', enc);
    backup.description = `automated backups of ${node.description ?? 'the database'}, kept ${f.retention} days`;
    backup.notes.push('RDS keeps automated backups encrypted with the database’s own key');
    node.fields.set('backup', backup);
  } else if (f.retention === 0) node.notes.push('automated backups are off (backup retention 0 days)');
  if (f.deletion !== undefined) node.notes.push(`deletion protection is ${f.deletion ? 'on' : 'off'}`);
  if (f.iamAuth === true) node.notes.push('IAM database authentication is on');
}

/** A database instance in a cluster: a public endpoint on any instance makes the cluster reachable. */
export function joinClusterInstance(cluster: DraftNode, instance: string, publicly: boolean | undefined): void {
  cluster.joined.push(`${instance} (cluster instance)`);
  if (publicly === true) cluster.fields.set('public_access', 'allowed');
  else if (publicly === false && !cluster.fields.has('public_access')) cluster.fields.set('public_access', 'blocked');
}

/** Other stores read the same way: a kind, a host, a name, and whether (and under which key) they are encrypted. */
export interface StoreSpec {
  readonly kind: 'database' | 'filesystem' | 'cache';
  readonly hosting: string;
  readonly what: string;
  /** Attribute paths, in the tool's own names. */
  readonly name: readonly string[];
  readonly encrypted: readonly (string | number)[];
  readonly key: readonly (string | number)[];
  readonly publicly?: readonly string[];
}

const OPENSEARCH_DOMAIN: StoreSpec = {
  kind: 'database',
  hosting: 'aws/opensearch',
  what: 'OpenSearch domain',
  name: ['domain_name'],
  encrypted: ['encrypt_at_rest', 0, 'enabled'],
  key: ['encrypt_at_rest', 0, 'kms_key_id'],
};

export const TERRAFORM_STORES: ReadonlyMap<string, StoreSpec> = new Map([
  ['aws_ebs_volume', { kind: 'filesystem', hosting: 'aws/ebs', what: 'EBS volume', name: ['id'], encrypted: ['encrypted'], key: ['kms_key_id'] }],
  [
    'aws_efs_file_system',
    { kind: 'filesystem', hosting: 'aws/efs', what: 'EFS file system', name: ['creation_token'], encrypted: ['encrypted'], key: ['kms_key_id'] },
  ],
  // The Elasticsearch resource is the OpenSearch one under its older name: same service, same arguments.
  ['aws_elasticsearch_domain', OPENSEARCH_DOMAIN],
  ['aws_opensearch_domain', OPENSEARCH_DOMAIN],
  [
    'aws_neptune_cluster',
    { kind: 'database', hosting: 'aws/neptune', what: 'Neptune cluster', name: ['cluster_identifier'], encrypted: ['storage_encrypted'], key: ['kms_key_arn'] },
  ],
  [
    'aws_docdb_cluster',
    {
      kind: 'database',
      hosting: 'aws/documentdb',
      what: 'DocumentDB cluster',
      name: ['cluster_identifier'],
      encrypted: ['storage_encrypted'],
      key: ['kms_key_id'],
    },
  ],
  [
    'aws_elasticache_replication_group',
    {
      kind: 'cache',
      hosting: 'aws/elasticache',
      what: 'ElastiCache replication group',
      name: ['replication_group_id'],
      encrypted: ['at_rest_encryption_enabled'],
      key: ['kms_key_id'],
    },
  ],
  [
    'aws_redshift_cluster',
    {
      kind: 'database',
      hosting: 'aws/redshift',
      what: 'Redshift cluster',
      name: ['cluster_identifier'],
      encrypted: ['encrypted'],
      key: ['kms_key_id'],
      publicly: ['publicly_accessible'],
    },
  ],
] as [string, StoreSpec][]);

export const CLOUDFORMATION_STORES: ReadonlyMap<string, StoreSpec> = new Map([
  ['AWS::EC2::Volume', { kind: 'filesystem', hosting: 'aws/ebs', what: 'EBS volume', name: [], encrypted: ['Encrypted'], key: ['KmsKeyId'] }],
  ['AWS::EFS::FileSystem', { kind: 'filesystem', hosting: 'aws/efs', what: 'EFS file system', name: [], encrypted: ['Encrypted'], key: ['KmsKeyId'] }],
  [
    'AWS::OpenSearchService::Domain',
    {
      kind: 'database',
      hosting: 'aws/opensearch',
      what: 'OpenSearch domain',
      name: ['DomainName'],
      encrypted: ['EncryptionAtRestOptions', 'Enabled'],
      key: ['EncryptionAtRestOptions', 'KmsKeyId'],
    },
  ],
  [
    'AWS::Elasticsearch::Domain',
    {
      kind: 'database',
      hosting: 'aws/opensearch',
      what: 'OpenSearch domain',
      name: ['DomainName'],
      encrypted: ['EncryptionAtRestOptions', 'Enabled'],
      key: ['EncryptionAtRestOptions', 'KmsKeyId'],
    },
  ],
  [
    'AWS::Neptune::DBCluster',
    { kind: 'database', hosting: 'aws/neptune', what: 'Neptune cluster', name: ['DBClusterIdentifier'], encrypted: ['StorageEncrypted'], key: ['KmsKeyId'] },
  ],
  [
    'AWS::DocDB::DBCluster',
    {
      kind: 'database',
      hosting: 'aws/documentdb',
      what: 'DocumentDB cluster',
      name: ['DBClusterIdentifier'],
      encrypted: ['StorageEncrypted'],
      key: ['KmsKeyId'],
    },
  ],
  [
    'AWS::ElastiCache::ReplicationGroup',
    {
      kind: 'cache',
      hosting: 'aws/elasticache',
      what: 'ElastiCache replication group',
      name: ['ReplicationGroupId'],
      encrypted: ['AtRestEncryptionEnabled'],
      key: ['KmsKeyId'],
    },
  ],
  [
    'AWS::Redshift::Cluster',
    {
      kind: 'database',
      hosting: 'aws/redshift',
      what: 'Redshift cluster',
      name: ['ClusterIdentifier'],
      encrypted: ['Encrypted'],
      key: ['KmsKeyId'],
      publicly: ['PubliclyAccessible'],
    },
  ],
] as [string, StoreSpec][]);

export function pathValue(v: unknown, path: readonly (string | number)[]): unknown {
  let cur = v;
  for (const p of path) cur = typeof p === 'number' ? (Array.isArray(cur) ? cur[p] : undefined) : own(cur, p);
  return cur;
}

/** Fill a store from its spec; `keyOwner` says whose key a given key value is. */
export function storeFromSpec(node: DraftNode, spec: StoreSpec, props: unknown, keyGiven: boolean, keyOwner: () => KeyOwner): void {
  const encrypted = bool(pathValue(props, spec.encrypted));
  if (encrypted === true) setEncryption(node, 'aes-256', keyGiven ? keyOwner() : 'provider-managed');
  else if (encrypted === false) setEncryption(node, 'none', undefined);
  else node.notes.push(`encryption at rest is not stated: say under encryption what this ${spec.what} uses`);
  const publicly = spec.publicly ? bool(pathValue(props, spec.publicly)) : undefined;
  if (publicly !== undefined) node.fields.set('public_access', publicly ? 'allowed' : 'blocked');
  ask(node, spec.what);
}
