/**
 * A map draft from a CloudFormation template. Intrinsic functions are read, never evaluated: `Ref`, `Fn::GetAtt` and
 * the `${Name}` of `Fn::Sub` say which resource a property names; anything else (parameters, imports, conditions)
 * leaves the property unknown.
 */
import { InputError } from '../source/diagnostics.js';
import {
  ask,
  bool,
  CLOUDFORMATION_STORES,
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
} from './aws.js';
import { type Draft, DraftBuilder, type DraftNode } from './model.js';

interface CfnResource {
  readonly id: string;
  readonly type: string;
  readonly props: Record<string, unknown>;
  readonly condition?: string;
}

const MAX_DEPTH = 64;
const KMS_TYPES = ['AWS::KMS::Key', 'AWS::KMS::Alias', 'AWS::KMS::ReplicaKey'];

/** `OrdersQueue` → `orders-queue`. */
function kebab(id: string): string {
  return id
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1-$2')
    .toLowerCase();
}

class CfnIndex {
  readonly byId = new Map<string, CfnResource>();
  private readonly byName = new Map<string, CfnResource | null>();
  readonly unresolved = new Set<string>();

  constructor(readonly resources: CfnResource[]) {
    for (const r of resources) this.byId.set(r.id, r);
    for (const r of resources) {
      for (const k of [
        'BucketName',
        'QueueName',
        'FunctionName',
        'LogGroupName',
        'TableName',
        'TopicName',
        'TrailName',
        'DBInstanceIdentifier',
        'DBClusterIdentifier',
        'Name',
        'EndpointConfigName',
      ]) {
        const v = str(own(r.props, k));
        if (v === undefined) continue;
        const seen = this.byName.get(v);
        this.byName.set(v, seen === undefined || seen === r ? r : null);
      }
    }
  }

  /** Logical ids a value refers to, through Ref, Fn::GetAtt and the `${...}` of Fn::Sub. */
  refs(value: unknown): CfnResource[] {
    const ids = new Set<string>();
    const stack: { v: unknown; d: number }[] = [{ v: value, d: 0 }];
    while (stack.length > 0) {
      const { v, d } = stack.pop()!;
      if (d > MAX_DEPTH) continue;
      if (Array.isArray(v)) {
        for (const x of v) stack.push({ v: x, d: d + 1 });
        continue;
      }
      if (!isObj(v)) continue;
      const ref = own(v, 'Ref');
      if (typeof ref === 'string') ids.add(ref);
      const att = own(v, 'Fn::GetAtt');
      const attId = Array.isArray(att) ? att[0] : typeof att === 'string' ? att.split('.')[0] : undefined;
      if (typeof attId === 'string') ids.add(attId);
      const sub = own(v, 'Fn::Sub');
      const template = Array.isArray(sub) ? sub[0] : sub;
      if (typeof template === 'string') {
        for (const m of template.matchAll(/\$\{([A-Za-z0-9]+)(?:\.[A-Za-z0-9.]+)?\}/g)) ids.add(m[1]!);
      }
      for (const [k, x] of Object.entries(v)) if (k !== 'Ref') stack.push({ v: x, d: d + 1 });
    }
    const out: CfnResource[] = [];
    for (const id of ids) {
      const r = this.byId.get(id);
      if (r) out.push(r);
      else if (!id.startsWith('AWS::')) this.unresolved.add(id);
    }
    return out;
  }

  /** The one resource a property names (of the given types), by reference or by a literal name or ARN. */
  link(from: CfnResource, value: unknown, types?: readonly string[]): CfnResource | undefined {
    const ok = (r: CfnResource | undefined): r is CfnResource => r !== undefined && r !== from && (!types || types.includes(r.type));
    const hits = this.refs(value).filter(ok);
    if (hits.length === 1) return hits[0];
    if (hits.length > 1) return undefined;
    const s = str(value);
    if (s === undefined) return undefined;
    const byName = this.byName.get(s) ?? this.byName.get(s.replace(/^arn:aws[a-z-]*:s3:::/, '')) ?? undefined;
    return ok(byName) ? byName : undefined;
  }
}

export function draftFromCloudFormation(template: unknown, file: string): Draft {
  const fail = (message: string): never => {
    throw new InputError([{ file, line: 1, column: 1, message }]);
  };
  if (!isObj(template)) return fail('a CloudFormation template is a mapping with a Resources section');
  const resources = own(template, 'Resources');
  if (!isObj(resources)) {
    const hint =
      Object.hasOwn(template, 'planned_values') || Object.hasOwn(template, 'format_version') ? ' (this looks like Terraform JSON: use --from terraform)' : '';
    return fail(`the template has no Resources mapping${hint}`);
  }
  const list_: CfnResource[] = [];
  for (const [id, r] of Object.entries(resources)) {
    const type = str(own(r, 'Type'));
    if (!type) continue;
    list_.push({ id, type, props: isObj(own(r, 'Properties')) ? (own(r, 'Properties') as Record<string, unknown>) : {}, condition: str(own(r, 'Condition')) });
  }
  list_.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const index = new CfnIndex(list_);
  const b = new DraftBuilder('cloudformation', file);
  const nodeOf = new Map<CfnResource, DraftNode>();
  const nodeFor = (r: CfnResource | undefined) => (r ? nodeOf.get(r) : undefined);
  const addNode = (r: CfnResource, section: DraftNode['section'], fields: [string, unknown][]) => {
    const node = b.add(r.id, r.type, section, kebab(r.id));
    for (const [k, v] of fields) if (v !== undefined) node.fields.set(k, v);
    if (r.condition) node.notes.push(`created only where the template's condition ${r.condition} holds`);
    nodeOf.set(r, node);
    return node;
  };
  const keyOwner = (node: DraftNode, r: CfnResource, value: unknown): KeyOwner => {
    const target = index.link(r, value, KMS_TYPES);
    if (target) {
      node.joined.push(`${target.id} (KMS key)`);
      return 'customer-managed';
    }
    const literal = str(value);
    if (literal) return literalKeyOwner(node, literal);
    if (value !== undefined) node.notes.push('the KMS key is a parameter or an expression: say whose key it is under encryption');
    return undefined;
  };
  const parameters = own(template, 'Parameters');
  const physical = (node: DraftNode, name: unknown, arn?: (n: string) => string) => {
    const s = str(name);
    const param = str(own(name, 'Ref'));
    if (s) node.fields.set('resource', arn ? arn(s) : s);
    else if (param && isObj(parameters) && Object.hasOwn(parameters, param)) {
      node.notes.push(`its name is the stack parameter ${param}: write resource: (its ARN or name) for the live checks`);
    } else if (name !== undefined) node.notes.push('its name is set by an expression: write resource: (its ARN or name) for the live checks');
    else node.notes.push('its name is chosen when the stack is deployed: write resource: (its ARN or name) for the live checks');
  };

  for (const r of index.resources) {
    const p = r.props;
    const spec = CLOUDFORMATION_STORES.get(r.type);
    if (spec) {
      const node = addNode(r, 'stores', [
        ['kind', spec.kind],
        ['hosting', spec.hosting],
      ]);
      if (spec.name.length > 0) physical(node, own(p, spec.name[0]!));
      node.description = `${spec.what} (${r.id})`;
      const key = pathValue(p, spec.key);
      storeFromSpec(node, spec, p, key !== undefined && key !== '', () => keyOwner(node, r, key));
      continue;
    }
    switch (r.type) {
      case 'AWS::S3::Bucket': {
        const node = addNode(r, 'stores', [
          ['kind', 'object-store'],
          ['hosting', 'aws/s3'],
        ]);
        physical(node, own(p, 'BucketName'), (n) => `arn:aws:s3:::${n}`);
        node.description = `S3 bucket (${r.id})`;
        const sse = own(list(at(p, 'BucketEncryption', 'ServerSideEncryptionConfiguration'))[0], 'ServerSideEncryptionByDefault');
        const alg = str(own(sse, 'SSEAlgorithm'));
        if (s3AtRest(alg)) {
          const kms = own(sse, 'KMSMasterKeyID');
          setEncryption(node, 'aes-256', alg === 'AES256' || kms === undefined ? 'provider-managed' : keyOwner(node, r, kms));
        } else node.notes.push(S3_DEFAULT_NOTE);
        const status = str(at(p, 'VersioningConfiguration', 'Status'));
        if (status) node.fields.set('versioning', status === 'Enabled');
        if (bool(own(p, 'ObjectLockEnabled')) === true) node.fields.set('object_lock', true);
        const pab = own(p, 'PublicAccessBlockConfiguration');
        const acl = str(own(p, 'AccessControl'));
        if (acl === 'PublicRead' || acl === 'PublicReadWrite') node.fields.set('public_access', 'allowed');
        else if (isObj(pab)) {
          if (['BlockPublicAcls', 'BlockPublicPolicy', 'IgnorePublicAcls', 'RestrictPublicBuckets'].every((k) => bool(own(pab, k)) === true))
            node.fields.set('public_access', 'blocked');
          else node.notes.push('the public access block does not set all four settings: check the bucket policy and ACLs, then write public_access');
        }
        ask(node, 'bucket');
        break;
      }
      case 'AWS::RDS::DBInstance':
      case 'AWS::RDS::DBCluster': {
        const engine = str(own(p, 'Engine')) ?? '';
        if (r.type === 'AWS::RDS::DBInstance' && own(p, 'DBClusterIdentifier') !== undefined) break; // the cluster is the store
        const node = addNode(r, 'stores', [
          ['kind', 'database'],
          ['hosting', engine.startsWith('aurora') ? 'aws/aurora' : 'aws/rds'],
        ]);
        physical(node, own(p, r.type === 'AWS::RDS::DBInstance' ? 'DBInstanceIdentifier' : 'DBClusterIdentifier'));
        node.description = `${engine.startsWith('aurora') ? 'Aurora cluster' : 'RDS database'}${engine ? ` (${engine})` : ''} (${r.id})`;
        const encrypted = bool(own(p, 'StorageEncrypted'));
        const snapshot = str(own(p, 'SnapshotIdentifier')) ?? str(own(p, 'DBSnapshotIdentifier'));
        if (snapshot) node.notes.push(`restored from snapshot ${snapshot}: its encryption follows the snapshot's unless StorageEncrypted says otherwise`);
        else if (own(p, 'StorageEncrypted') === undefined) node.notes.push('StorageEncrypted is not set: CloudFormation then creates the database unencrypted');
        databaseFacts(node, {
          encrypted,
          key: () => keyOwner(node, r, own(p, 'KmsKeyId')),
          keyGiven: own(p, 'KmsKeyId') !== undefined,
          publicly: bool(own(p, 'PubliclyAccessible')),
          retention: num(own(p, 'BackupRetentionPeriod')),
          deletion: bool(own(p, 'DeletionProtection')),
          iamAuth: bool(own(p, 'EnableIAMDatabaseAuthentication')),
          builder: b,
          keyBase: r.id,
        });
        if (own(p, 'BackupRetentionPeriod') === undefined)
          node.notes.push('BackupRetentionPeriod is not set: CloudFormation keeps automated backups 1 day by default');
        ask(node, 'database');
        break;
      }
      case 'AWS::DynamoDB::Table':
      case 'AWS::DynamoDB::GlobalTable':
      case 'AWS::Serverless::SimpleTable': {
        const node = addNode(r, 'stores', [
          ['kind', 'database'],
          ['hosting', 'aws/dynamodb'],
        ]);
        physical(node, own(p, 'TableName'));
        node.description = `DynamoDB table (${r.id})`;
        const sse = own(p, 'SSESpecification');
        const kms = own(sse, 'KMSMasterKeyId');
        const key = bool(own(sse, 'SSEEnabled')) === true && kms !== undefined ? keyOwner(node, r, kms) : 'provider-managed';
        setEncryption(node, 'aes-256', key);
        if (key === 'provider-managed') node.notes.push(DYNAMODB_NOTE);
        const pitr = bool(at(p, 'PointInTimeRecoverySpecification', 'PointInTimeRecoveryEnabled'));
        if (pitr !== undefined) node.fields.set('point_in_time_recovery', pitr);
        if (bool(own(p, 'DeletionProtectionEnabled')) === true) node.notes.push('deletion protection is on');
        ask(node, 'table');
        break;
      }
      case 'AWS::SQS::Queue': {
        const node = addNode(r, 'stores', [
          ['kind', 'queue'],
          ['hosting', 'aws/sqs'],
        ]);
        physical(node, own(p, 'QueueName'));
        node.description = `SQS queue (${r.id})`;
        const kms = own(p, 'KmsMasterKeyId');
        if (kms !== undefined) setEncryption(node, 'aes-256', keyOwner(node, r, kms));
        else if (bool(own(p, 'SqsManagedSseEnabled')) === true) setEncryption(node, 'aes-256', 'provider-managed');
        else if (bool(own(p, 'SqsManagedSseEnabled')) === false) setEncryption(node, 'none', undefined);
        else
          node.notes.push(
            'no server-side encryption stated: queues created since October 2022 get SSE-SQS by default; say what this one uses under encryption',
          );
        const secs = num(own(p, 'MessageRetentionPeriod'));
        if (secs !== undefined) node.notes.push(`messages are kept ${Math.round((secs / 86400) * 10) / 10} days`);
        ask(node, 'queue');
        break;
      }
      case 'AWS::SNS::Topic': {
        const node = addNode(r, 'stores', [
          ['kind', 'queue'],
          ['hosting', 'aws/sns'],
        ]);
        physical(node, own(p, 'TopicName'));
        node.description = `SNS topic (${r.id})`;
        const kms = own(p, 'KmsMasterKeyId');
        if (kms !== undefined) setEncryption(node, 'aes-256', keyOwner(node, r, kms));
        else node.notes.push('no KMS key: SNS keeps messages unencrypted at rest unless one is set');
        ask(node, 'topic');
        break;
      }
      case 'AWS::Kinesis::Stream': {
        const node = addNode(r, 'stores', [
          ['kind', 'queue'],
          ['hosting', 'aws/kinesis'],
        ]);
        physical(node, own(p, 'Name'));
        node.description = `Kinesis stream (${r.id})`;
        const enc = own(p, 'StreamEncryption');
        if (str(own(enc, 'EncryptionType')) === 'KMS') setEncryption(node, 'aes-256', keyOwner(node, r, own(enc, 'KeyId')));
        ask(node, 'stream');
        break;
      }
      case 'AWS::Lambda::Function':
      case 'AWS::Serverless::Function': {
        const node = addNode(r, 'services', [['hosting', 'aws/lambda']]);
        physical(node, own(p, 'FunctionName'));
        node.description = `Lambda function (${r.id})`;
        ask(node, 'function');
        break;
      }
      case 'AWS::ECS::Service': {
        const node = addNode(r, 'services', [['hosting', 'aws/ecs']]);
        physical(node, own(p, 'ServiceName'));
        node.description = `ECS service (${r.id})`;
        ask(node, 'service');
        break;
      }
      case 'AWS::SageMaker::Endpoint': {
        const node = addNode(r, 'services', [['hosting', 'aws/sagemaker']]);
        physical(node, own(p, 'EndpointName'));
        node.description = `SageMaker endpoint (${r.id})`;
        ask(node, 'endpoint');
        break;
      }
      case 'AWS::Logs::LogGroup': {
        const node = addNode(r, 'logs', [['hosting', 'aws/cloudwatch-logs']]);
        physical(node, own(p, 'LogGroupName'));
        node.description = `CloudWatch log group (${r.id})`;
        const kms = own(p, 'KmsKeyId');
        if (kms !== undefined) setEncryption(node, 'aes-256', keyOwner(node, r, kms));
        else {
          setEncryption(node, 'aes-256', 'provider-managed');
          node.notes.push(CLOUDWATCH_NOTE);
        }
        const days = num(own(p, 'RetentionInDays'));
        if (days !== undefined) node.fields.set('retention_days', days);
        else if (own(p, 'RetentionInDays') === undefined) node.notes.push('RetentionInDays is not set: the log never expires');
        ask(node, 'log group');
        break;
      }
      case 'AWS::CloudTrail::Trail': {
        const node = addNode(r, 'logs', [
          ['kind', 'audit'],
          ['hosting', 'aws/cloudtrail'],
        ]);
        physical(node, own(p, 'TrailName'));
        node.description = `CloudTrail trail (${r.id})`;
        const kms = own(p, 'KMSKeyId');
        if (kms !== undefined) setEncryption(node, 'aes-256', keyOwner(node, r, kms));
        else {
          setEncryption(node, 'aes-256', 'provider-managed');
          node.notes.push('CloudTrail encrypts log files with SSE-S3 when no KMS key is set');
        }
        const validation = bool(own(p, 'EnableLogFileValidation'));
        node.fields.set('tamper_evident', validation === true);
        if (validation === undefined) node.notes.push('EnableLogFileValidation is not set: log file validation is off');
        node.notes.push('retention is the lifecycle of the bucket the trail writes to: set retention_days to it');
        node.questions.push(QUESTIONS.audit);
        break;
      }
    }
  }

  for (const r of index.resources) {
    const p = r.props;
    switch (r.type) {
      case 'AWS::S3::Bucket': {
        const bucket = nodeFor(r)!;
        const logTarget = at(p, 'LoggingConfiguration', 'DestinationBucketName');
        if (isObj(own(p, 'LoggingConfiguration'))) {
          const target = index.link(r, logTarget, ['AWS::S3::Bucket']);
          const name = target?.id ?? str(logTarget) ?? 'bucket';
          const log = b.add(`s3-access-log:${name}`, 'AWS::S3::Bucket', 'logs', `${kebab(name)}-access-logs`);
          if (log.fields.size === 0) {
            log.fields.set('kind', 'audit');
            log.fields.set('hosting', 'aws/s3');
            const literal = str(logTarget) ?? (target ? str(own(target.props, 'BucketName')) : undefined);
            if (literal) log.fields.set('resource', `arn:aws:s3:::${literal}`);
            log.description = `S3 server access logs written to ${target ? `bucket ${target.id}` : (str(logTarget) ?? 'a bucket set by a parameter')}`;
            log.notes.push('records every request to the buckets that log here; retention is that bucket’s lifecycle: set retention_days to it');
            log.questions.push(QUESTIONS.audit);
          }
          log.joined.push(`${r.id} (LoggingConfiguration)`);
          bucket.fields.set('audit_log', log);
        }
        const notif = own(p, 'NotificationConfiguration');
        for (const [block, attr, what] of [
          ['LambdaConfigurations', 'Function', 'Lambda'],
          ['QueueConfigurations', 'Queue', 'queue'],
          ['TopicConfigurations', 'Topic', 'topic'],
        ] as const) {
          for (const entry of list(own(notif, block))) {
            b.flow(
              bucket,
              nodeFor(index.link(r, own(entry, attr))),
              `${r.id} (NotificationConfiguration ${what} notification${str(own(entry, 'Event')) ? ` on ${str(own(entry, 'Event'))}` : ''})`,
            );
          }
        }
        for (const rule of list(at(p, 'ReplicationConfiguration', 'Rules'))) {
          b.flow(bucket, nodeFor(index.link(r, at(rule, 'Destination', 'Bucket'), ['AWS::S3::Bucket'])), `${r.id} (ReplicationConfiguration)`);
        }
        break;
      }
      case 'AWS::RDS::DBInstance': {
        const cluster =
          own(p, 'DBClusterIdentifier') === undefined ? undefined : nodeFor(index.link(r, own(p, 'DBClusterIdentifier'), ['AWS::RDS::DBCluster']));
        if (cluster) joinClusterInstance(cluster, r.id, bool(own(p, 'PubliclyAccessible')));
        break;
      }
      case 'AWS::SQS::Queue': {
        let policy = own(p, 'RedrivePolicy');
        if (typeof policy === 'string') {
          try {
            policy = JSON.parse(policy);
          } catch {
            policy = undefined;
          }
        }
        const dlq = nodeFor(index.link(r, own(policy, 'deadLetterTargetArn'), ['AWS::SQS::Queue']));
        if (dlq) {
          dlq.fields.set('kind', 'dead-letter-queue');
          b.flow(nodeFor(r), dlq, `${r.id} (RedrivePolicy)`, 'error');
        }
        break;
      }
      case 'AWS::SNS::Topic':
      case 'AWS::SNS::Subscription': {
        const topic = r.type === 'AWS::SNS::Topic' ? nodeFor(r) : nodeFor(index.link(r, own(p, 'TopicArn'), ['AWS::SNS::Topic']));
        const subs = r.type === 'AWS::SNS::Topic' ? list(own(p, 'Subscription')) : [p];
        for (const s of subs)
          b.flow(topic, nodeFor(index.link(r, own(s, 'Endpoint'))), `${r.id} (subscription, ${str(own(s, 'Protocol')) ?? 'protocol not known'})`);
        break;
      }
      case 'AWS::Lambda::EventSourceMapping': {
        const source = nodeFor(index.link(r, own(p, 'EventSourceArn')));
        b.flow(source, nodeFor(index.link(r, own(p, 'FunctionName'), ['AWS::Lambda::Function'])), `${r.id} (EventSourceMapping)`);
        b.flow(source, nodeFor(index.link(r, at(p, 'DestinationConfig', 'OnFailure', 'Destination'))), `${r.id} (on-failure destination)`, 'error');
        break;
      }
      case 'AWS::Lambda::EventInvokeConfig': {
        const fn = nodeFor(index.link(r, own(p, 'FunctionName'), ['AWS::Lambda::Function']));
        b.flow(fn, nodeFor(index.link(r, at(p, 'DestinationConfig', 'OnFailure', 'Destination'))), `${r.id} (on-failure destination)`, 'error');
        b.flow(fn, nodeFor(index.link(r, at(p, 'DestinationConfig', 'OnSuccess', 'Destination'))), `${r.id} (on-success destination)`);
        break;
      }
      case 'AWS::Lambda::Function':
      case 'AWS::Serverless::Function': {
        const fn = nodeFor(r)!;
        b.flow(fn, nodeFor(index.link(r, at(p, 'DeadLetterConfig', 'TargetArn'))), `${r.id} (DeadLetterConfig)`, 'error');
        if (r.type === 'AWS::Serverless::Function') serverlessFlows(b, index, nodeFor, r, fn);
        const named = index.link(r, at(p, 'LoggingConfig', 'LogGroup'), ['AWS::Logs::LogGroup']);
        const fname = str(own(p, 'FunctionName'));
        const group =
          named ??
          index.resources.find(
            (g) =>
              g.type === 'AWS::Logs::LogGroup' &&
              ((fname !== undefined && str(own(g.props, 'LogGroupName')) === `/aws/lambda/${fname}`) || index.refs(own(g.props, 'LogGroupName')).includes(r)),
          );
        const gn = nodeFor(group);
        if (gn) {
          if (!gn.fields.has('kind')) gn.fields.set('kind', 'application');
          b.flow(fn, gn, `${r.id} (writes its logs to ${group!.id})`);
        } else {
          fn.notes.push(
            'no log group for this function is in the template: Lambda writes to /aws/lambda/<function name>, created with no expiry; add it if the function may log PHI',
          );
        }
        break;
      }
      case 'AWS::Logs::SubscriptionFilter': {
        const group = nodeFor(index.link(r, own(p, 'LogGroupName'), ['AWS::Logs::LogGroup']));
        b.flow(group, nodeFor(index.link(r, own(p, 'DestinationArn'))), `${r.id} (SubscriptionFilter)`);
        break;
      }
      case 'AWS::ECS::Service': {
        const svc = nodeFor(r)!;
        const td = index.link(r, own(p, 'TaskDefinition'), ['AWS::ECS::TaskDefinition']);
        if (!td) break;
        svc.joined.push(`${td.id} (task definition)`);
        for (const c of list(own(td.props, 'ContainerDefinitions'))) {
          const lc = own(c, 'LogConfiguration');
          if (str(own(lc, 'LogDriver')) !== 'awslogs') continue;
          const g = nodeFor(index.link(td, at(lc, 'Options', 'awslogs-group'), ['AWS::Logs::LogGroup']));
          if (g && !g.fields.has('kind')) g.fields.set('kind', 'application');
          b.flow(svc, g, `${td.id} (awslogs log driver)`);
        }
        break;
      }
      case 'AWS::SageMaker::Endpoint': {
        const ep = nodeFor(r)!;
        const cfg = index.link(r, own(p, 'EndpointConfigName'), ['AWS::SageMaker::EndpointConfig']);
        if (!cfg) break;
        ep.joined.push(`${cfg.id} (endpoint configuration)`);
        const capture = own(cfg.props, 'DataCaptureConfig');
        if (!isObj(capture) || bool(own(capture, 'EnableCapture')) === false) break;
        const uri = own(capture, 'DestinationS3Uri');
        let dest = nodeFor(index.link(cfg, uri, ['AWS::S3::Bucket']));
        if (!dest) {
          dest = b.add(`${cfg.id}#capture`, 'AWS::SageMaker::EndpointConfig', 'stores', `${kebab(cfg.id)}-capture`);
          dest.fields.set('kind', 'dataset');
          dest.fields.set('hosting', 'aws/s3');
          if (str(uri)) dest.fields.set('resource', str(uri));
          dest.description = `SageMaker data capture of ${r.id}: requests and responses`;
          const kms = own(capture, 'KmsKeyId');
          if (kms !== undefined) setEncryption(dest, 'aes-256', keyOwner(dest, cfg, kms));
          else dest.notes.push('no KMS key for the capture: the bucket’s default encryption applies');
          ask(dest, 'capture');
        }
        b.flow(ep, dest, `${cfg.id} (DataCaptureConfig)`);
        break;
      }
      case 'AWS::CloudTrail::Trail': {
        const trail = nodeFor(r);
        b.flow(trail, nodeFor(index.link(r, own(p, 'S3BucketName'), ['AWS::S3::Bucket'])), `${r.id} (S3BucketName)`);
        const g = nodeFor(index.link(r, own(p, 'CloudWatchLogsLogGroupArn'), ['AWS::Logs::LogGroup']));
        if (g) {
          g.fields.set('kind', 'audit');
          b.flow(trail, g, `${r.id} (CloudWatchLogsLogGroupArn)`);
        }
        break;
      }
    }
  }
  for (const k of index.resources.filter((r) => r.type === 'AWS::KMS::Key')) {
    const rotation = bool(own(k.props, 'EnableKeyRotation'));
    b.notes.push(`KMS key ${k.id}: rotation ${rotation ? 'on' : 'off'}`);
  }
  const unresolved = [...index.unresolved].filter(
    (id) => !Object.hasOwn(isObj(own(template, 'Parameters')) ? (own(template, 'Parameters') as object) : {}, id),
  );
  if (unresolved.length > 0)
    b.notes.push(
      `references to names that are neither resources nor parameters, left unresolved: ${unresolved.slice(0, 10).join(', ')}${unresolved.length > 10 ? ', …' : ''}`,
    );
  return b.finish();
}

function at(v: unknown, ...path: string[]): unknown {
  let cur = v;
  for (const p of path) cur = own(cur, p);
  return cur;
}

/** A SAM function's Events (the sources that invoke it), DeadLetterQueue and EventInvokeConfig destinations. */
function serverlessFlows(
  b: DraftBuilder,
  index: CfnIndex,
  nodeFor: (r: CfnResource | undefined) => DraftNode | undefined,
  r: CfnResource,
  fn: DraftNode,
): void {
  const events = own(r.props, 'Events');
  if (isObj(events)) {
    for (const [name, event] of Object.entries(events)) {
      const type = str(own(event, 'Type'));
      const ep = own(event, 'Properties');
      const source =
        type === 'SQS'
          ? own(ep, 'Queue')
          : type === 'S3'
            ? own(ep, 'Bucket')
            : type === 'SNS'
              ? own(ep, 'Topic')
              : type === 'DynamoDB' || type === 'Kinesis'
                ? own(ep, 'Stream')
                : undefined;
      if (source !== undefined) b.flow(nodeFor(index.link(r, source)), fn, `${r.id} (Events.${name}, ${type})`);
    }
  }
  b.flow(fn, nodeFor(index.link(r, at(r.props, 'DeadLetterQueue', 'TargetArn'))), `${r.id} (DeadLetterQueue)`, 'error');
  const dest = at(r.props, 'EventInvokeConfig', 'DestinationConfig');
  b.flow(fn, nodeFor(index.link(r, at(dest, 'OnFailure', 'Destination'))), `${r.id} (EventInvokeConfig on-failure destination)`, 'error');
  b.flow(fn, nodeFor(index.link(r, at(dest, 'OnSuccess', 'Destination'))), `${r.id} (EventInvokeConfig on-success destination)`);
}
