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
