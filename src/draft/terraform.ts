/**
 * A map draft from the JSON of `terraform show -json`: a plan (`planned_values`, with `configuration` for the
 * references whose values are known only after apply) or a state (`values`). Modules are walked to any depth the
 * file has (bounded). Nothing is evaluated: values are read as the plan states them, references as Terraform
 * recorded them.
 */
import { InputError } from '../source/diagnostics.js';
import {
  ask,
  bool,
  CLOUDWATCH_NOTE,
  DYNAMODB_NOTE,
  databaseFacts,
  isObj,
  joinClusterInstance,
  type KeyOwner,
  list,
  literalKeyOwner,
  num,
  own,
  pathValue,
  QUESTIONS,
  S3_DEFAULT_NOTE,
  s3AtRest,
  setEncryption,
  storeFromSpec,
  str,
  TERRAFORM_STORES,
} from './aws.js';
import { type Draft, DraftBuilder, type DraftNode } from './model.js';

type Obj = Record<string, unknown>;

interface TfResource {
  readonly address: string;
  readonly type: string;
  /** Module instance path ('' at the root, else `module.a.module.b["x"]`). */
  readonly module: string;
  /** `type.name` within its module, without an instance key. */
  readonly local: string;
  readonly index: unknown;
  readonly values: Obj;
  /** The expressions of its configuration block, when the plan has them. */
  readonly config?: Obj;
}

const MAX_MODULE_DEPTH = 64;
const MAX_EXPRESSION_DEPTH = 32;

/** `module.a["x"].module.b[0]` → `module.a.module.b`: the module path in `configuration`, instance keys removed. */
function moduleConfigPath(module: string): string {
  let out = '';
  let depth = 0;
  for (const c of module) {
    if (c === '[') depth++;
    else if (c === ']') depth--;
    else if (depth === 0) out += c;
  }
  return out;
}

function collectResources(root: unknown, configs: Map<string, Obj>, file: string): TfResource[] {
  const out: TfResource[] = [];
  const stack: { mod: unknown; depth: number }[] = [{ mod: root, depth: 0 }];
  while (stack.length > 0) {
    const { mod, depth } = stack.pop()!;
    if (!isObj(mod)) continue;
    if (depth > MAX_MODULE_DEPTH)
      throw new InputError([{ file, line: 1, column: 1, message: `modules nested more than ${MAX_MODULE_DEPTH} deep: this is not a plan Terraform wrote` }]);
    const module = str(own(mod, 'address')) ?? '';
    for (const r of list(own(mod, 'resources'))) {
      if (!isObj(r) || own(r, 'mode') !== 'managed') continue;
      const address = str(own(r, 'address'));
      const type = str(own(r, 'type'));
      const name = str(own(r, 'name'));
      if (!address || !type || !name) continue;
      const local = `${type}.${name}`;
      const values = isObj(own(r, 'values')) ? (own(r, 'values') as Obj) : {};
      const cfgPath = moduleConfigPath(module);
      out.push({ address, type, module, local, index: own(r, 'index'), values, config: configs.get(cfgPath ? `${cfgPath}.${local}` : local) });
    }
    for (const child of list(own(mod, 'child_modules'))) stack.push({ mod: child, depth: depth + 1 });
  }
  return out.sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
}

/** Every resource block's expressions in `configuration`, keyed by `module.a.module.b.type.name`. */
function collectConfigs(configuration: unknown): Map<string, Obj> {
  const out = new Map<string, Obj>();
  const stack: { mod: unknown; prefix: string; depth: number }[] = [{ mod: own(configuration, 'root_module'), prefix: '', depth: 0 }];
  while (stack.length > 0) {
    const { mod, prefix, depth } = stack.pop()!;
    if (!isObj(mod) || depth > MAX_MODULE_DEPTH) continue;
    for (const r of list(own(mod, 'resources'))) {
      const address = str(own(r, 'address'));
      const expressions = own(r, 'expressions');
      if (address && isObj(expressions) && own(r, 'mode') === 'managed') out.set(`${prefix}${address}`, expressions);
    }
    const calls = own(mod, 'module_calls');
    if (isObj(calls)) {
      for (const [name, call] of Object.entries(calls)) stack.push({ mod: own(call, 'module'), prefix: `${prefix}module.${name}.`, depth: depth + 1 });
    }
  }
  return out;
}

/** Identifiers a resource can be named by elsewhere in the plan: ARN, id, name, URL. */
const ID_ATTRIBUTES = ['arn', 'id', 'name', 'bucket', 'function_name', 'url', 'key_id', 'stream_arn', 'identifier', 'cluster_identifier'];

/** Resource types that become nodes: an untyped reference resolves only to one of these. */
const NODE_TYPES = new Set([
  'aws_s3_bucket',
  'aws_db_instance',
  'aws_rds_cluster',
  'aws_dynamodb_table',
  'aws_sqs_queue',
  'aws_sns_topic',
  'aws_kinesis_stream',
  'aws_lambda_function',
  'aws_ecs_service',
  'aws_sagemaker_endpoint',
  'aws_cloudwatch_log_group',
  'aws_cloudtrail',
]);

class TfIndex {
  private readonly byValue = new Map<string, TfResource[]>();
  private readonly byLocal = new Map<string, TfResource[]>();

  constructor(readonly resources: TfResource[]) {
    for (const r of resources) {
      for (const a of ID_ATTRIBUTES) {
        const v = str(own(r.values, a));
        if (v === undefined) continue;
        const l = this.byValue.get(v) ?? [];
        if (!l.includes(r)) l.push(r);
        this.byValue.set(v, l);
      }
      const k = `${r.module}\u0000${r.local}`;
      const l = this.byLocal.get(k) ?? [];
      l.push(r);
      this.byLocal.set(k, l);
    }
  }

  /** The resource a known value names (an ARN, a name), if exactly one of the given types (or node types) does. */
  byId(value: unknown, types?: readonly string[], except?: TfResource): TfResource | undefined {
    const s = str(value);
    if (s === undefined) return undefined;
    const all = [...(this.byValue.get(s) ?? []), ...(this.byValue.get(s.replace(/:\*$/, '')) ?? [])];
    const hits = [...new Set(all)].filter((r) => r !== except && (types ? types.includes(r.type) : NODE_TYPES.has(r.type)));
    return hits.length === 1 ? hits[0] : undefined;
  }

  /** Resources a configuration expression refers to, from `from`'s module (`aws_sqs_queue.dlq.arn` → that queue). */
  refs(from: TfResource, path: readonly (string | number)[]): TfResource[] {
    let expr: unknown = from.config;
    for (const p of path) {
      if (typeof p === 'string') expr = own(expr, p);
      else if (Array.isArray(expr)) expr = expr[p] ?? expr[0];
    }
    const names = new Set<string>();
    const stack: { v: unknown; d: number }[] = [{ v: expr, d: 0 }];
    while (stack.length > 0) {
      const { v, d } = stack.pop()!;
      if (d > MAX_EXPRESSION_DEPTH) continue;
      if (Array.isArray(v)) for (const x of v) stack.push({ v: x, d: d + 1 });
      else if (isObj(v)) {
        for (const [k, x] of Object.entries(v)) {
          if (k === 'references') for (const ref of list(x)) if (typeof ref === 'string') names.add(ref);
          stack.push({ v: x, d: d + 1 });
        }
      }
    }
    const out: TfResource[] = [];
    for (const ref of names) {
      const m = /^([a-z0-9_]+)\.([A-Za-z0-9_-]+)(\[[^\]]*\])?/.exec(ref);
      if (!m || ['var', 'local', 'data', 'module', 'each', 'count', 'path', 'self', 'terraform'].includes(m[1]!)) continue;
      const candidates = this.byLocal.get(`${from.module}\u0000${m[1]}.${m[2]}`) ?? [];
      let hit: TfResource | undefined;
      if (candidates.length === 1) hit = candidates[0];
      else if (m[3]) hit = candidates.find((c) => c.address.endsWith(`${m[1]}.${m[2]}${m[3]}`));
      else hit = candidates.find((c) => c.index !== undefined && c.index === from.index);
      if (hit && !out.includes(hit)) out.push(hit);
    }
    return out;
  }

  /** What an attribute names: by its value when known, else by the references Terraform recorded for it. */
  link(from: TfResource, path: readonly (string | number)[], value: unknown, types?: readonly string[]): TfResource | undefined {
    const direct = this.byId(value, types, from);
    if (direct) return direct;
    return this.refs(from, path).find((r) => r !== from && (types ? types.includes(r.type) : NODE_TYPES.has(r.type)));
  }
}

const at = (v: unknown, ...path: (string | number)[]): unknown => {
  let cur = v;
  for (const p of path) cur = typeof p === 'number' ? (Array.isArray(cur) ? cur[p] : undefined) : own(cur, p);
  return cur;
};

function parseJsonText(v: unknown): unknown {
  if (typeof v !== 'string' || v.length > 1_000_000) return undefined;
  try {
    return JSON.parse(v);
  } catch {
    return undefined;
  }
}

const KMS_TYPES = ['aws_kms_key', 'aws_kms_alias', 'aws_kms_replica_key', 'aws_kms_external_key'];

export function draftFromTerraform(plan: unknown, file: string): Draft {
  const fail = (message: string): never => {
    throw new InputError([{ file, line: 1, column: 1, message }]);
  };
  if (!isObj(plan)) return fail('expected the JSON object that `terraform show -json` writes');
  const root = own(own(plan, 'planned_values'), 'root_module') ?? own(own(plan, 'values'), 'root_module');
  if (!isObj(root)) {
    const hint =
      Object.hasOwn(plan, 'Resources') || Object.hasOwn(plan, 'AWSTemplateFormatVersion')
        ? ' (this looks like a CloudFormation template: use --from cloudformation)'
        : '';
    return fail(
      `this is not the JSON of \`terraform show -json\`: it has neither planned_values.root_module (a plan) nor values.root_module (a state)${hint}; write it with \`terraform show -json tfplan > plan.json\``,
    );
  }
  const configs = collectConfigs(own(plan, 'configuration'));
  const index = new TfIndex(collectResources(root, configs, file));
  const b = new DraftBuilder('terraform', file);
  const nodeOf = new Map<TfResource, DraftNode>();
  const addNode = (r: TfResource, section: DraftNode['section'], name: string | undefined, fields: [string, unknown][]) => {
    const node = b.add(r.address, r.type, section, name ?? r.address.replace(/\baws_[a-z0-9_]+\./g, ''));
    for (const [k, v] of fields) if (v !== undefined) node.fields.set(k, v);
    nodeOf.set(r, node);
    return node;
  };
  const resourceOf = (r: TfResource, ...attrs: string[]) => {
    for (const a of attrs) {
      const v = str(own(r.values, a));
      if (v) return v;
    }
    return undefined;
  };
  const keyOwner = (node: DraftNode, r: TfResource, path: (string | number)[], value: unknown): KeyOwner => {
    const target = index.link(r, path, value, KMS_TYPES);
    if (target) {
      node.joined.push(`${target.address} (KMS key)`);
      return 'customer-managed';
    }
    const literal = str(value);
    if (literal) return literalKeyOwner(node, literal);
    if (index.refs(r, path).length > 0 || (r.config && at(r.config, ...path.filter((p) => typeof p === 'string')) !== undefined)) {
      node.notes.push(`the KMS key (${path.join('.')}) is set by an expression this plan cannot resolve: say whose key it is under encryption`);
    }
    return undefined;
  };
  const nodeFor = (r: TfResource | undefined) => (r ? nodeOf.get(r) : undefined);

  // Pass 1: the nodes.
  for (const r of index.resources) {
    const v = r.values;
    const spec = TERRAFORM_STORES.get(r.type);
    if (spec) {
      const name = spec.name.map((a) => str(own(v, a))).find((x) => x !== undefined);
      const node = addNode(r, 'stores', name, [
        ['kind', spec.kind],
        ['hosting', spec.hosting],
        ['resource', str(own(v, 'arn')) ?? name],
      ]);
      node.description = `${spec.what}${name ? ` ${name}` : ''}`;
      const keyPath = [...spec.key];
      const key = pathValue(v, keyPath);
      storeFromSpec(node, spec, v, str(key) !== undefined || index.refs(r, keyPath).length > 0, () => keyOwner(node, r, keyPath, key));
      continue;
    }
    switch (r.type) {
      case 'aws_s3_bucket': {
        const bucket = str(own(v, 'bucket'));
        const node = addNode(r, 'stores', bucket, [
          ['kind', 'object-store'],
          ['hosting', 'aws/s3'],
          ['resource', str(own(v, 'arn')) ?? (bucket ? `arn:aws:s3:::${bucket}` : undefined)],
        ]);
        node.description = `S3 bucket${bucket ? ` ${bucket}` : ''}`;
        // Inline blocks (AWS provider before 4.0); the separate resources below take precedence.
        const rule = at(v, 'server_side_encryption_configuration', 0, 'rule', 0, 'apply_server_side_encryption_by_default', 0);
        const alg = str(own(rule, 'sse_algorithm'));
        if (s3AtRest(alg)) {
          const key =
            alg === 'AES256'
              ? 'provider-managed'
              : (keyOwner(
                  node,
                  r,
                  ['server_side_encryption_configuration', 0, 'rule', 0, 'apply_server_side_encryption_by_default', 0, 'kms_master_key_id'],
                  own(rule, 'kms_master_key_id'),
                ) ?? (str(own(rule, 'kms_master_key_id')) ? undefined : 'provider-managed'));
          setEncryption(node, 'aes-256', key);
        }
        const ver = bool(at(v, 'versioning', 0, 'enabled'));
        if (ver !== undefined) node.fields.set('versioning', ver);
        if (bool(own(v, 'object_lock_enabled')) === true || str(at(v, 'object_lock_configuration', 0, 'object_lock_enabled')) === 'Enabled')
          node.fields.set('object_lock', true);
        const acl = str(own(v, 'acl'));
        if (acl === 'public-read' || acl === 'public-read-write') node.fields.set('public_access', 'allowed');
        ask(node, 'bucket');
        break;
      }
      case 'aws_db_instance':
      case 'aws_rds_cluster': {
        const engine = str(own(v, 'engine')) ?? '';
        if (r.type === 'aws_db_instance' && (engine.startsWith('aurora') || str(own(v, 'cluster_identifier')))) break; // the cluster is the store
        const name = resourceOf(r, 'identifier', 'cluster_identifier', 'identifier_prefix', 'cluster_identifier_prefix');
        const node = addNode(r, 'stores', name, [
          ['kind', 'database'],
          ['hosting', engine.startsWith('aurora') ? 'aws/aurora' : 'aws/rds'],
          ['resource', str(own(v, 'arn')) ?? name],
        ]);
        node.description = `${engine.startsWith('aurora') ? 'Aurora cluster' : r.type === 'aws_rds_cluster' ? 'RDS cluster' : 'RDS database'}${engine ? ` (${engine})` : ''}`;
        if (own(v, 'storage_encrypted') === null && !str(own(v, 'snapshot_identifier')) && !str(own(v, 'replicate_source_db'))) {
          node.notes.push('storage_encrypted is not set: the database is then created unencrypted');
        }
        databaseFacts(node, {
          encrypted: bool(own(v, 'storage_encrypted')),
          key: () => keyOwner(node, r, ['kms_key_id'], own(v, 'kms_key_id')),
          keyGiven: str(own(v, 'kms_key_id')) !== undefined || index.refs(r, ['kms_key_id']).length > 0,
          publicly: bool(own(v, 'publicly_accessible')),
          retention: num(own(v, 'backup_retention_period')),
          deletion: bool(own(v, 'deletion_protection')),
          iamAuth: bool(own(v, 'iam_database_authentication_enabled')),
          builder: b,
          keyBase: r.address,
        });
        ask(node, 'database');
        break;
      }
      case 'aws_dynamodb_table': {
        const name = str(own(v, 'name'));
        const node = addNode(r, 'stores', name, [
          ['kind', 'database'],
          ['hosting', 'aws/dynamodb'],
          ['resource', str(own(v, 'arn')) ?? name],
        ]);
        node.description = `DynamoDB table${name ? ` ${name}` : ''}`;
        const sse = at(v, 'server_side_encryption', 0);
        const kms = own(sse, 'kms_key_arn');
        const key =
          bool(own(sse, 'enabled')) === true && (str(kms) || index.refs(r, ['server_side_encryption', 0, 'kms_key_arn']).length > 0)
            ? keyOwner(node, r, ['server_side_encryption', 0, 'kms_key_arn'], kms)
            : 'provider-managed';
        setEncryption(node, 'aes-256', key);
        if (key === 'provider-managed') node.notes.push(DYNAMODB_NOTE);
        const pitr = bool(at(v, 'point_in_time_recovery', 0, 'enabled'));
        if (pitr !== undefined) node.fields.set('point_in_time_recovery', pitr);
        if (bool(own(v, 'deletion_protection_enabled')) === true) node.notes.push('deletion protection is on');
        ask(node, 'table');
        break;
      }
      case 'aws_sqs_queue': {
        const name = str(own(v, 'name'));
        const node = addNode(r, 'stores', name, [
          ['kind', 'queue'],
          ['hosting', 'aws/sqs'],
          ['resource', str(own(v, 'arn')) ?? name],
        ]);
        node.description = `SQS queue${name ? ` ${name}` : ''}`;
        const kms = own(v, 'kms_master_key_id');
        if (str(kms) || index.refs(r, ['kms_master_key_id']).length > 0) setEncryption(node, 'aes-256', keyOwner(node, r, ['kms_master_key_id'], kms));
        else if (bool(own(v, 'sqs_managed_sse_enabled')) === true) setEncryption(node, 'aes-256', 'provider-managed');
        else if (bool(own(v, 'sqs_managed_sse_enabled')) === false) setEncryption(node, 'none', undefined);
        else node.notes.push('no server-side encryption stated: say what the queue uses under encryption');
        const days = num(own(v, 'message_retention_seconds'));
        if (days !== undefined) node.notes.push(`messages are kept ${Math.round((days / 86400) * 10) / 10} days`);
        ask(node, 'queue');
        break;
      }
      case 'aws_sns_topic': {
        const name = str(own(v, 'name'));
        const node = addNode(r, 'stores', name, [
          ['kind', 'queue'],
          ['hosting', 'aws/sns'],
          ['resource', str(own(v, 'arn')) ?? name],
        ]);
        node.description = `SNS topic${name ? ` ${name}` : ''}`;
        const kms = own(v, 'kms_master_key_id');
        if (str(kms) || index.refs(r, ['kms_master_key_id']).length > 0) setEncryption(node, 'aes-256', keyOwner(node, r, ['kms_master_key_id'], kms));
        else node.notes.push('no KMS key: SNS keeps messages unencrypted at rest unless one is set');
        ask(node, 'topic');
        break;
      }
      case 'aws_kinesis_stream': {
        const name = str(own(v, 'name'));
        const node = addNode(r, 'stores', name, [
          ['kind', 'queue'],
          ['hosting', 'aws/kinesis'],
          ['resource', str(own(v, 'arn')) ?? name],
        ]);
        node.description = `Kinesis stream${name ? ` ${name}` : ''}`;
        const enc = str(own(v, 'encryption_type'));
        if (enc === 'KMS') setEncryption(node, 'aes-256', keyOwner(node, r, ['kms_key_id'], own(v, 'kms_key_id')));
        else if (enc === 'NONE') setEncryption(node, 'none', undefined);
        ask(node, 'stream');
        break;
      }
      case 'aws_lambda_function': {
        const name = str(own(v, 'function_name'));
        const node = addNode(r, 'services', name, [
          ['hosting', 'aws/lambda'],
          ['resource', str(own(v, 'arn')) ?? name],
        ]);
        node.description = `Lambda function${name ? ` ${name}` : ''}`;
        ask(node, 'function');
        break;
      }
      case 'aws_ecs_service': {
        const name = str(own(v, 'name'));
        const node = addNode(r, 'services', name, [
          ['hosting', 'aws/ecs'],
          ['resource', str(own(v, 'id')) ?? name],
        ]);
        node.description = `ECS service${name ? ` ${name}` : ''}`;
        ask(node, 'service');
        break;
      }
      case 'aws_sagemaker_endpoint': {
        const name = str(own(v, 'name'));
        const node = addNode(r, 'services', name, [
          ['hosting', 'aws/sagemaker'],
          ['resource', str(own(v, 'arn')) ?? name],
        ]);
        node.description = `SageMaker endpoint${name ? ` ${name}` : ''}`;
        ask(node, 'endpoint');
        break;
      }
      case 'aws_cloudwatch_log_group': {
        const name = str(own(v, 'name'));
        const node = addNode(r, 'logs', name, [
          ['hosting', 'aws/cloudwatch-logs'],
          ['resource', str(own(v, 'arn')) ?? name],
        ]);
        node.description = `CloudWatch log group${name ? ` ${name}` : ''}`;
        const kms = own(v, 'kms_key_id');
        if (str(kms) || index.refs(r, ['kms_key_id']).length > 0) setEncryption(node, 'aes-256', keyOwner(node, r, ['kms_key_id'], kms));
        else {
          setEncryption(node, 'aes-256', 'provider-managed');
          node.notes.push(CLOUDWATCH_NOTE);
        }
        const days = num(own(v, 'retention_in_days'));
        if (days !== undefined && days > 0) node.fields.set('retention_days', days);
        else if (days === 0 || own(v, 'retention_in_days') === null) node.notes.push('retention: never expires');
        ask(node, 'log group');
        break;
      }
      case 'aws_cloudtrail': {
        const name = str(own(v, 'name'));
        const node = addNode(r, 'logs', name, [
          ['kind', 'audit'],
          ['hosting', 'aws/cloudtrail'],
          ['resource', str(own(v, 'arn')) ?? name],
        ]);
        node.description = `CloudTrail trail${name ? ` ${name}` : ''}`;
        const kms = own(v, 'kms_key_id');
        if (str(kms) || index.refs(r, ['kms_key_id']).length > 0) setEncryption(node, 'aes-256', keyOwner(node, r, ['kms_key_id'], kms));
        else {
          setEncryption(node, 'aes-256', 'provider-managed');
          node.notes.push('CloudTrail encrypts log files with SSE-S3 when no KMS key is set');
        }
        const validation = bool(own(v, 'enable_log_file_validation'));
        if (validation !== undefined) node.fields.set('tamper_evident', validation);
        node.notes.push('retention is the lifecycle of the bucket the trail writes to: set retention_days to it');
        node.questions.push(QUESTIONS.audit);
        break;
      }
      case 'aws_bedrock_model_invocation_logging_configuration': {
        const node = addNode(r, 'services', 'bedrock', [['hosting', 'aws/bedrock']]);
        node.description = 'Amazon Bedrock model invocations in this account and region (invocation logging configured)';
        ask(node, 'use of Bedrock');
        break;
      }
    }
  }

  // Pass 2: what other resources add to those nodes, and the flows the code states.
  for (const r of index.resources) {
    const v = r.values;
    switch (r.type) {
      case 'aws_s3_bucket_server_side_encryption_configuration': {
        const bucket = nodeFor(index.link(r, ['bucket'], own(v, 'bucket'), ['aws_s3_bucket']));
        if (!bucket) break;
        const rule = at(v, 'rule', 0, 'apply_server_side_encryption_by_default', 0);
        const alg = str(own(rule, 'sse_algorithm'));
        if (!s3AtRest(alg)) break;
        bucket.joined.push(`${r.address} (encryption)`);
        const kms = own(rule, 'kms_master_key_id');
        const path = ['rule', 0, 'apply_server_side_encryption_by_default', 0, 'kms_master_key_id'];
        const key = alg === 'AES256' ? 'provider-managed' : str(kms) || index.refs(r, path).length > 0 ? keyOwner(bucket, r, path, kms) : 'provider-managed';
        setEncryption(bucket, 'aes-256', key);
        break;
      }
      case 'aws_s3_bucket_versioning': {
        const bucket = nodeFor(index.link(r, ['bucket'], own(v, 'bucket'), ['aws_s3_bucket']));
        const status = str(at(v, 'versioning_configuration', 0, 'status'));
        if (!bucket || !status) break;
        bucket.joined.push(`${r.address} (versioning)`);
        bucket.fields.set('versioning', status === 'Enabled');
        break;
      }
      case 'aws_s3_bucket_object_lock_configuration': {
        const bucket = nodeFor(index.link(r, ['bucket'], own(v, 'bucket'), ['aws_s3_bucket']));
        if (!bucket) break;
        bucket.joined.push(`${r.address} (object lock)`);
        bucket.fields.set('object_lock', true);
        break;
      }
      case 'aws_s3_bucket_public_access_block': {
        const bucket = nodeFor(index.link(r, ['bucket'], own(v, 'bucket'), ['aws_s3_bucket']));
        if (!bucket) break;
        bucket.joined.push(`${r.address} (public access block)`);
        const flags = ['block_public_acls', 'block_public_policy', 'ignore_public_acls', 'restrict_public_buckets'].map((k) => bool(own(v, k)));
        if (flags.every((f) => f === true)) bucket.fields.set('public_access', 'blocked');
        else bucket.notes.push('the public access block does not set all four settings: check the bucket policy and ACLs, then write public_access');
        break;
      }
      case 'aws_s3_bucket_logging':
      case 'aws_s3_bucket': {
        const bucketRes = r.type === 'aws_s3_bucket' ? r : index.link(r, ['bucket'], own(v, 'bucket'), ['aws_s3_bucket']);
        const bucket = nodeFor(bucketRes);
        const base = r.type === 'aws_s3_bucket' ? ['logging', 0] : [];
        const target = at(v, ...base, 'target_bucket');
        const configured = r.type === 'aws_s3_bucket' ? isObj(at(v, 'logging', 0)) : true;
        if (!bucket || !bucketRes || !configured) break;
        const targetRes = index.link(r, [...base, 'target_bucket'], target, ['aws_s3_bucket']);
        const targetName = str(target) ?? (targetRes ? str(own(targetRes.values, 'bucket')) : undefined);
        const log = b.add(
          `s3-access-log:${targetRes?.address ?? targetName ?? r.address}`,
          'aws_s3_bucket_logging',
          'logs',
          `${targetName ?? 'bucket'}-access-logs`,
        );
        if (log.fields.size === 0) {
          log.fields.set('kind', 'audit');
          log.fields.set('hosting', 'aws/s3');
          if (targetName) log.fields.set('resource', `arn:aws:s3:::${targetName}`);
          log.description = `S3 server access logs written to bucket ${targetName ?? '(set by an expression)'}`;
          log.notes.push('records every request to the buckets that log here; retention is that bucket’s lifecycle: set retention_days to it');
          log.questions.push(QUESTIONS.audit);
        }
        log.joined.push(`${r.address} (server access logging)`);
        bucket.fields.set('audit_log', log);
        if (r.type !== 'aws_s3_bucket') bucket.joined.push(`${r.address} (access logging)`);
        break;
      }
      case 'aws_s3_bucket_notification': {
        const bucket = nodeFor(index.link(r, ['bucket'], own(v, 'bucket'), ['aws_s3_bucket']));
        for (const [block, attr] of [
          ['lambda_function', 'lambda_function_arn'],
          ['queue', 'queue_arn'],
          ['topic', 'topic_arn'],
        ] as const) {
          list(own(v, block)).forEach((entry, i) => {
            b.flow(bucket, nodeFor(index.link(r, [block, i, attr], own(entry, attr))), `${r.address} (${block} notification)`);
          });
        }
        break;
      }
      case 'aws_s3_bucket_replication_configuration': {
        const bucket = nodeFor(index.link(r, ['bucket'], own(v, 'bucket'), ['aws_s3_bucket']));
        list(own(v, 'rule')).forEach((rule, i) => {
          const dest = at(rule, 'destination', 0, 'bucket');
          b.flow(bucket, nodeFor(index.link(r, ['rule', i, 'destination', 0, 'bucket'], dest, ['aws_s3_bucket'])), `${r.address} (replication)`);
        });
        break;
      }
      case 'aws_sqs_queue':
      case 'aws_sqs_queue_redrive_policy': {
        const queue = r.type === 'aws_sqs_queue' ? r : index.link(r, ['queue_url'], own(v, 'queue_url'), ['aws_sqs_queue']);
        const policy = parseJsonText(own(v, 'redrive_policy'));
        const dlq = index.link(r, ['redrive_policy'], own(policy, 'deadLetterTargetArn'), ['aws_sqs_queue']);
        const dlqNode = nodeFor(dlq);
        if (!queue || !dlqNode) break;
        dlqNode.fields.set('kind', 'dead-letter-queue');
        b.flow(nodeFor(queue), dlqNode, `${r.address} (redrive_policy)`, 'error');
        break;
      }
      case 'aws_lambda_event_source_mapping': {
        const source = index.link(r, ['event_source_arn'], own(v, 'event_source_arn'));
        const fn = index.link(r, ['function_name'], own(v, 'function_name'), ['aws_lambda_function']);
        b.flow(nodeFor(source), nodeFor(fn), `${r.address} (event source mapping)`);
        const onFailure = at(v, 'destination_config', 0, 'on_failure', 0, 'destination_arn');
        b.flow(
          nodeFor(source),
          nodeFor(index.link(r, ['destination_config', 0, 'on_failure', 0, 'destination_arn'], onFailure)),
          `${r.address} (on-failure destination)`,
          'error',
        );
        break;
      }
      case 'aws_lambda_function': {
        const fn = nodeFor(r);
        const dlq = at(v, 'dead_letter_config', 0, 'target_arn');
        b.flow(fn, nodeFor(index.link(r, ['dead_letter_config', 0, 'target_arn'], dlq)), `${r.address} (dead_letter_config)`, 'error');
        const name = str(own(v, 'function_name'));
        const group = str(at(v, 'logging_config', 0, 'log_group')) ?? (name ? `/aws/lambda/${name}` : undefined);
        const log = index.link(r, ['logging_config', 0, 'log_group'], group, ['aws_cloudwatch_log_group']) ?? findLogGroupReferring(index, r);
        const logNode = nodeFor(log);
        if (logNode) {
          if (!logNode.fields.has('kind')) logNode.fields.set('kind', 'application');
          b.flow(fn, logNode, `${r.address} (writes its logs to ${log!.address})`);
        } else if (fn) {
          fn.notes.push(
            `no log group for this function is in this input: Lambda writes to ${group ?? '/aws/lambda/<function name>'}, created with no expiry; add it if the function may log PHI`,
          );
        }
        break;
      }
      case 'aws_lambda_function_event_invoke_config': {
        const fn = nodeFor(index.link(r, ['function_name'], own(v, 'function_name'), ['aws_lambda_function']));
        const fail = at(v, 'destination_config', 0, 'on_failure', 0, 'destination');
        const ok = at(v, 'destination_config', 0, 'on_success', 0, 'destination');
        b.flow(fn, nodeFor(index.link(r, ['destination_config', 0, 'on_failure', 0, 'destination'], fail)), `${r.address} (on-failure destination)`, 'error');
        b.flow(fn, nodeFor(index.link(r, ['destination_config', 0, 'on_success', 0, 'destination'], ok)), `${r.address} (on-success destination)`);
        break;
      }
      case 'aws_sns_topic_subscription': {
        const topic = nodeFor(index.link(r, ['topic_arn'], own(v, 'topic_arn'), ['aws_sns_topic']));
        b.flow(
          topic,
          nodeFor(index.link(r, ['endpoint'], own(v, 'endpoint'))),
          `${r.address} (subscription, ${str(own(v, 'protocol')) ?? 'protocol not known'})`,
        );
        break;
      }
      case 'aws_cloudwatch_log_subscription_filter': {
        const group = nodeFor(index.link(r, ['log_group_name'], own(v, 'log_group_name'), ['aws_cloudwatch_log_group']));
        b.flow(group, nodeFor(index.link(r, ['destination_arn'], own(v, 'destination_arn'))), `${r.address} (subscription filter)`);
        break;
      }
      case 'aws_ecs_service': {
        const td = index.link(r, ['task_definition'], own(v, 'task_definition'), ['aws_ecs_task_definition']);
        const svc = nodeFor(r);
        if (!td || !svc) break;
        svc.joined.push(`${td.address} (task definition)`);
        const containers = parseJsonText(own(td.values, 'container_definitions'));
        const groups = new Set<string>();
        for (const c of list(containers)) {
          const g = str(at(c, 'logConfiguration', 'options', 'awslogs-group'));
          if (g && str(at(c, 'logConfiguration', 'logDriver')) === 'awslogs') groups.add(g);
        }
        const found = [...groups].map((g) => index.byId(g, ['aws_cloudwatch_log_group'])).filter((x): x is TfResource => x !== undefined);
        if (found.length === 0) found.push(...index.refs(td, ['container_definitions']).filter((x) => x.type === 'aws_cloudwatch_log_group'));
        for (const g of found) {
          const gn = nodeFor(g)!;
          if (!gn.fields.has('kind')) gn.fields.set('kind', 'application');
          b.flow(svc, gn, `${td.address} (awslogs log driver)`);
        }
        break;
      }
      case 'aws_sagemaker_endpoint': {
        const ep = nodeFor(r);
        const cfg = index.link(r, ['endpoint_config_name'], own(v, 'endpoint_config_name'), ['aws_sagemaker_endpoint_configuration']);
        if (!ep || !cfg) break;
        ep.joined.push(`${cfg.address} (endpoint configuration)`);
        const capture = at(cfg.values, 'data_capture_config', 0);
        if (!isObj(capture) || bool(own(capture, 'enable_capture')) === false) break;
        const uri = str(own(capture, 'destination_s3_uri'));
        const dest = captureStore(b, index, nodeFor, cfg, uri, `${cfg.address} (data capture)`);
        if (dest.fields.size === 0) {
          dest.fields.set('kind', 'dataset');
          dest.fields.set('hosting', 'aws/s3');
          if (uri) dest.fields.set('resource', uri);
          dest.description = `SageMaker data capture of ${ep.description ?? 'the endpoint'}: requests and responses`;
          const kms = own(capture, 'kms_key_id');
          if (str(kms) || index.refs(cfg, ['data_capture_config', 0, 'kms_key_id']).length > 0)
            setEncryption(dest, 'aes-256', keyOwner(dest, cfg, ['data_capture_config', 0, 'kms_key_id'], kms));
          else dest.notes.push('no KMS key for the capture: the bucket’s default encryption applies');
          ask(dest, 'capture');
        }
        b.flow(ep, dest, `${cfg.address} (data_capture_config)`);
        break;
      }
      case 'aws_bedrock_model_invocation_logging_configuration': {
        const bedrock = nodeFor(r);
        const lc = at(v, 'logging_config', 0);
        const cw = at(lc, 'cloudwatch_config', 0);
        const groupName = str(own(cw, 'log_group_name'));
        if (isObj(cw)) {
          let group = nodeFor(index.link(r, ['logging_config', 0, 'cloudwatch_config', 0, 'log_group_name'], groupName, ['aws_cloudwatch_log_group']));
          if (!group) {
            group = b.add(`bedrock-log:${groupName ?? r.address}`, 'aws_cloudwatch_log_group', 'logs', groupName ?? 'bedrock-invocation-logs');
            group.fields.set('hosting', 'aws/cloudwatch-logs');
            if (groupName) group.fields.set('resource', groupName);
            group.description = `CloudWatch log group ${groupName ?? '(set by an expression)'}, not in this input`;
          }
          group.fields.set('kind', 'application');
          group.notes.push('Bedrock writes model invocations here: prompts and responses, in full');
          b.flow(bedrock, group, `${r.address} (cloudwatch_config)`);
          const large = str(at(cw, 'large_data_delivery_s3_config', 0, 'bucket_name'));
          if (large)
            b.flow(
              bedrock,
              bedrockBucket(b, index, nodeFor, r, large, ['logging_config', 0, 'cloudwatch_config', 0, 'large_data_delivery_s3_config', 0, 'bucket_name']),
              `${r.address} (large_data_delivery_s3_config)`,
            );
        }
        const s3 = str(at(lc, 's3_config', 0, 'bucket_name'));
        if (s3 || index.refs(r, ['logging_config', 0, 's3_config', 0, 'bucket_name']).length > 0) {
          b.flow(bedrock, bedrockBucket(b, index, nodeFor, r, s3, ['logging_config', 0, 's3_config', 0, 'bucket_name']), `${r.address} (s3_config)`);
        }
        break;
      }
      case 'aws_cloudtrail': {
        const trail = nodeFor(r);
        const bucket = nodeFor(index.link(r, ['s3_bucket_name'], own(v, 's3_bucket_name'), ['aws_s3_bucket']));
        b.flow(trail, bucket, `${r.address} (s3_bucket_name)`);
        const group = index.link(r, ['cloud_watch_logs_group_arn'], own(v, 'cloud_watch_logs_group_arn'), ['aws_cloudwatch_log_group']);
        const gn = nodeFor(group);
        if (gn) {
          gn.fields.set('kind', 'audit');
          b.flow(trail, gn, `${r.address} (cloud_watch_logs_group_arn)`);
        }
        break;
      }
      case 'aws_rds_cluster_instance': {
        const cluster = nodeFor(index.link(r, ['cluster_identifier'], own(v, 'cluster_identifier'), ['aws_rds_cluster']));
        if (cluster) joinClusterInstance(cluster, r.address, bool(own(v, 'publicly_accessible')));
        break;
      }
      case 'aws_db_instance':
      case 'aws_rds_cluster': {
        if (r.type === 'aws_db_instance' && str(own(v, 'cluster_identifier'))) {
          const cluster = nodeFor(index.link(r, ['cluster_identifier'], own(v, 'cluster_identifier'), ['aws_rds_cluster']));
          if (cluster) joinClusterInstance(cluster, r.address, bool(own(v, 'publicly_accessible')));
        }
        const node = nodeFor(r);
        const exports = list(own(v, 'enabled_cloudwatch_logs_exports')).filter((x): x is string => typeof x === 'string');
        if (node && exports.length > 0) node.notes.push(`exports ${exports.join(', ')} logs to CloudWatch Logs`);
        break;
      }
    }
  }
  for (const [r, node] of nodeOf) if (r.type === 'aws_s3_bucket' && !node.fields.has('encryption')) node.notes.push(S3_DEFAULT_NOTE);
  const deleted = list(own(plan, 'resource_changes')).filter((c) => {
    const actions = list(own(own(c, 'change'), 'actions'));
    return own(c, 'mode') === 'managed' && actions.includes('delete') && !actions.includes('create');
  });
  if (deleted.length > 0) {
    const names = deleted.slice(0, 10).map((c) => str(own(c, 'address')) ?? '?');
    b.notes.push(
      `the plan deletes ${deleted.length} resource${deleted.length === 1 ? '' : 's'}, left out of this draft: ${names.join(', ')}${deleted.length > 10 ? ', …' : ''}`,
    );
  }
  const kms = index.resources.filter((r) => r.type === 'aws_kms_key');
  for (const k of kms) {
    const rotation = bool(own(k.values, 'enable_key_rotation'));
    b.notes.push(`KMS key ${k.address}${rotation === undefined ? '' : `: rotation ${rotation ? 'on' : 'off'}`}`);
  }
  return b.finish();
}

/** A log group whose configured name refers to this function (`name = "/aws/lambda/${aws_lambda_function.x.function_name}"`). */
function findLogGroupReferring(index: TfIndex, fn: TfResource): TfResource | undefined {
  return index.resources.find((g) => g.type === 'aws_cloudwatch_log_group' && index.refs(g, ['name']).includes(fn));
}

function captureStore(
  b: DraftBuilder,
  index: TfIndex,
  nodeFor: (r: TfResource | undefined) => DraftNode | undefined,
  from: TfResource,
  uri: string | undefined,
  why: string,
): DraftNode {
  const bucketName = uri ? /^s3:\/\/([^/]+)/.exec(uri)?.[1] : undefined;
  const bucket =
    nodeFor(index.byId(bucketName, ['aws_s3_bucket'])) ?? nodeFor(index.refs(from, ['data_capture_config']).find((x) => x.type === 'aws_s3_bucket'));
  if (bucket) return bucket;
  const node = b.add(`capture:${uri ?? from.address}`, 'aws_sagemaker_endpoint_configuration', 'stores', `${bucketName ?? from.address}-capture`);
  node.joined.push(why);
  return node;
}

function bedrockBucket(
  b: DraftBuilder,
  index: TfIndex,
  nodeFor: (r: TfResource | undefined) => DraftNode | undefined,
  r: TfResource,
  name: string | undefined,
  path: (string | number)[],
): DraftNode {
  const found = nodeFor(index.link(r, path, name, ['aws_s3_bucket']));
  if (found) return found;
  const node = b.add(`bedrock-bucket:${name ?? r.address}`, 'aws_s3_bucket', 'stores', name ?? 'bedrock-invocation-logs');
  if (node.fields.size === 0) {
    node.fields.set('kind', 'object-store');
    node.fields.set('hosting', 'aws/s3');
    if (name) node.fields.set('resource', `arn:aws:s3:::${name}`);
    node.description = `S3 bucket ${name ?? '(set by an expression)'} for Bedrock invocation logs, not in this input`;
    node.notes.push('Bedrock writes model invocations here: prompts and responses, in full');
    ask(node, 'bucket');
  }
  return node;
}
