/**
 * `phi-audit draft` from the CLI, on real public Terraform plans and CloudFormation templates (fixtures/draft/, each
 * with its source and licence) and on files written here for the edges. Every draft must validate and scan as
 * written, and its values must be the ones the source resources state.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CLI, cli, ROOT, STACK_TRACE } from './support/cli.js';

const FIX = path.join(ROOT, 'fixtures', 'draft');
const work = mkdtempSync(path.join(tmpdir(), 'phi-draft-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

type Obj = Record<string, unknown>;
interface MapShape {
  vendors: Obj;
  services?: Record<string, Obj>;
  stores?: Record<string, Obj>;
  logs?: Record<string, Obj>;
  flows?: { from: string; to: string; on?: string }[];
}

let n = 0;
/** Draft `file`, check the CLI's exit and stderr, write the draft to a temporary file, and return both. */
function draft(from: 'terraform' | 'cloudformation', file: string): { text: string; map: MapShape; file: string } {
  const r = cli(['draft', '--from', from, path.join(FIX, file)]);
  expect(r.stderr).not.toMatch(STACK_TRACE);
  expect(r.status, r.stderr).toBe(0);
  expect(r.stderr).toMatch(/^drafted \d+ services, \d+ stores, \d+ logs and \d+ flows from /);
  const out = path.join(work, `draft-${n++}.yaml`);
  writeFileSync(out, r.stdout);
  return { text: r.stdout, map: parse(r.stdout) as MapShape, file: out };
}

/** The draft loads, validates and scans as written (exit 0 or 1, never 2 or 3). */
function loadsValidatesScans(file: string): void {
  const v = cli(['validate', file]);
  expect(v.status, v.stderr).toBe(0);
  expect(v.stdout).toMatch(/^ok: 1 file, \d+ nodes, \d+ flows/);
  const s = cli(['scan', file, '--format', 'json']);
  expect([0, 1], s.stderr).toContain(s.status);
  const report = JSON.parse(s.stdout) as { summary: { nodes: number } };
  expect(report.summary.nodes).toBeGreaterThan(0);
}

/** The line of the flow `from → to` in the draft text. */
const flowLine = (text: string, from: string, to: string) => text.split('\n').find((l) => l.includes(`{ from: ${from}, to: ${to}`));

const planResources = (file: string) =>
  (JSON.parse(readFileSync(path.join(FIX, file), 'utf8')) as { planned_values: { root_module: unknown } }).planned_values.root_module;

function allResources(mod: unknown): { address: string; type: string; values: Obj }[] {
  const m = mod as { resources?: { address: string; type: string; values: Obj }[]; child_modules?: unknown[] };
  return [...(m.resources ?? []), ...(m.child_modules ?? []).flatMap(allResources)];
}

describe('draft --from terraform on real public plans', () => {
  it('Lambda with its log group (terraform-compliance test_issue_522): retention and flow match the plan', { timeout: 60_000 }, () => {
    const { text, map, file } = draft('terraform', 'tf-lambda-log-group/plan.json');
    loadsValidatesScans(file);
    const res = allResources(planResources('tf-lambda-log-group/plan.json'));
    const group = res.find((r) => r.type === 'aws_cloudwatch_log_group')!;
    const fn = res.find((r) => r.type === 'aws_lambda_function')!;
    const fnName = fn.values.function_name as string;
    const log = map.logs?.[`aws-lambda-${fnName}`];
    expect(log).toBeDefined();
    expect(log!.retention_days).toBe(group.values.retention_in_days);
    expect(log!.resource).toBe(group.values.name);
    expect(log!.hosting).toBe('aws/cloudwatch-logs');
    expect(map.services?.[fnName]?.hosting).toBe('aws/lambda');
    expect(flowLine(text, fnName, `aws-lambda-${fnName}`)).toContain(
      '# from terraform: aws_lambda_function.lambda (writes its logs to aws_cloudwatch_log_group.log_group)',
    );
  });

  it('S3 buckets in modules nested three deep (test_multi-module-referencing): one node per bucket, public access block joined', { timeout: 60_000 }, () => {
    const { text, map, file } = draft('terraform', 'tf-nested-modules-s3/plan.json');
    loadsValidatesScans(file);
    const res = allResources(planResources('tf-nested-modules-s3/plan.json'));
    const buckets = res.filter((r) => r.type === 'aws_s3_bucket');
    const blocks = res.filter((r) => r.type === 'aws_s3_bucket_public_access_block');
    expect(buckets.length).toBe(7);
    const stores = Object.values(map.stores ?? {});
    expect(stores.length).toBe(buckets.length);
    const allBlocked = blocks.every((b) =>
      ['block_public_acls', 'block_public_policy', 'ignore_public_acls', 'restrict_public_buckets'].every((k) => b.values[k] === true),
    );
    for (const s of stores) {
      expect(s.kind).toBe('object-store');
      expect(s.public_access).toBe(allBlocked ? 'blocked' : undefined);
      expect(buckets.map((b) => `arn:aws:s3:::${b.values.bucket}`)).toContain(s.resource);
    }
    expect(text).toContain('# from terraform: module.first_layer.module.second_layer.module.third_layer.aws_s3_bucket.test (aws_s3_bucket)');
    expect(text).toContain('# + module.first_layer.module.second_layer.module.third_layer.aws_s3_bucket_public_access_block.test (public access block)');
  });

  it('DynamoDB with SSE under a KMS key of the plan (test_dynamodb_kms_key_problem): customer-managed', { timeout: 60_000 }, () => {
    const { text, map, file } = draft('terraform', 'tf-dynamodb-kms/plan.json');
    loadsValidatesScans(file);
    const table = map.stores?.['test-table'];
    expect(table).toMatchObject({
      kind: 'database',
      hosting: 'aws/dynamodb',
      resource: 'test-table',
      encryption: { at_rest: 'aes-256', key: 'customer-managed' },
    });
    expect(text).toContain('# + aws_kms_key.test (KMS key)');
  });

  it('SQS queues (test_issue-260): a key given by reference is customer-managed; a literal key id is not guessed', { timeout: 60_000 }, () => {
    const { text, map, file } = draft('terraform', 'tf-sqs-kms/plan.json');
    loadsValidatesScans(file);
    expect(map.stores?.failure?.encryption).toEqual({ at_rest: 'aes-256', key: 'customer-managed' });
    expect(map.stores?.success?.encryption).toEqual({ at_rest: 'aes-256' });
    expect(text).toContain('encrypted with KMS key key, which is not in this input');
  });

  it('RDS (test_issue_401): publicly_accessible → public_access: allowed; storage_encrypted unset is a note; the password never appears', {
    timeout: 60_000,
  }, () => {
    const { text, map, file } = draft('terraform', 'tf-rds/plan.json');
    loadsValidatesScans(file);
    expect(map.stores?.default).toMatchObject({ kind: 'database', hosting: 'aws/rds', public_access: 'allowed' });
    expect(map.stores?.default?.encryption).toBeUndefined();
    expect(text).toContain('storage_encrypted is not set');
    expect(readFileSync(path.join(FIX, 'tf-rds/plan.json'), 'utf8')).toContain('foobarbaz');
    expect(text).not.toContain('foobarbaz');
  });
});

describe('draft --from terraform on TerraGoat (checkov test fixture)', () => {
  it('the deliberate weaknesses come out as the plan states them, and the password does not', { timeout: 60_000 }, () => {
    const { text, map, file } = draft('terraform', 'tf-terragoat/plan.json');
    loadsValidatesScans(file);
    const res = allResources(planResources('tf-terragoat/plan.json'));
    const db = res.find((r) => r.address === 'aws_db_instance.default')!;
    expect(db.values).toMatchObject({ storage_encrypted: false, publicly_accessible: true, backup_retention_period: 0 });
    expect(map.stores?.[db.values.identifier as string]).toMatchObject({ kind: 'database', encryption: { at_rest: 'none' }, public_access: 'allowed' });
    expect(map.stores?.[db.values.identifier as string]?.backup).toBeUndefined();
    expect(text).toContain('automated backups are off (backup retention 0 days)');
    const data = res.find((r) => r.address === 'aws_s3_bucket.data')!;
    expect(data.values.acl).toBe('public-read');
    expect(map.stores?.[data.values.bucket as string]?.public_access).toBe('allowed');
    const logs = res.find((r) => r.address === 'aws_s3_bucket.logs')!;
    expect(map.stores?.[logs.values.bucket as string]?.encryption).toEqual({ at_rest: 'aes-256', key: 'customer-managed' });
    const science = res.find((r) => r.address === 'aws_s3_bucket.data_science')!;
    expect(map.stores?.[science.values.bucket as string]).toMatchObject({ versioning: true, audit_log: `${logs.values.bucket}-access-logs` });
    expect(map.stores?.neptunedb1).toMatchObject({ hosting: 'aws/neptune', encryption: { at_rest: 'none' } });
    expect(map.stores?.['tg-corp-es']?.hosting).toBe('aws/opensearch');
    expect(readFileSync(path.join(FIX, 'tf-terragoat/plan.json'), 'utf8')).toContain('Aa1234321Bb');
    expect(text).not.toContain('Aa1234321Bb');
  });
});

describe('draft --from cloudformation on real public templates', () => {
  it('S3 notification to Lambda (awslabs S3_LambdaTrigger.yaml): the flow and its provenance', { timeout: 60_000 }, () => {
    const { text, map, file } = draft('cloudformation', 'cfn-s3-lambda-trigger/template.yaml');
    loadsValidatesScans(file);
    expect(map.stores?.['s3-bucket-notification']).toMatchObject({ kind: 'object-store', hosting: 'aws/s3' });
    expect(map.services?.['s3-trigger-lambda-function']).toMatchObject({ hosting: 'aws/lambda' });
    expect(map.flows).toContainEqual({ from: 's3-bucket-notification', to: 's3-trigger-lambda-function' });
    expect(flowLine(text, 's3-bucket-notification', 's3-trigger-lambda-function')).toContain(
      '# from cloudformation: S3BucketNotification (NotificationConfiguration Lambda notification on s3:ObjectCreated:Put)',
    );
  });

  it('KMS-encrypted backup bucket (awslabs CreateHanaBackupSecureBackut.yaml): encryption, versioning and public access block', { timeout: 60_000 }, () => {
    const { text, map, file } = draft('cloudformation', 'cfn-hana-backup-bucket/template.yaml');
    loadsValidatesScans(file);
    expect(map.stores?.['original-bucket']).toMatchObject({
      kind: 'object-store',
      encryption: { at_rest: 'aes-256', key: 'customer-managed' },
      versioning: true,
      public_access: 'blocked',
    });
    expect(text).toContain('# + S3KmsSourceBucket (KMS key)');
    expect(text).toContain('its name is the stack parameter OriginalBucketName');
    expect(text).toContain('# KMS key S3KmsSourceBucket: rotation on');
  });

  it('SAM function invoked by a queue that a bucket notifies (aws-samples serverless-patterns s3-sqs-lambda)', { timeout: 60_000 }, () => {
    const { text, map, file } = draft('cloudformation', 'sam-s3-sqs-lambda/template.yaml');
    loadsValidatesScans(file);
    expect(map.services?.['resizer-function']).toMatchObject({ hosting: 'aws/lambda' });
    expect(map.flows).toEqual([
      { from: 'resizer-queue', to: 'resizer-function' },
      { from: 'source-bucket', to: 'resizer-queue' },
    ]);
    expect(flowLine(text, 'resizer-queue', 'resizer-function')).toContain('# from cloudformation: ResizerFunction (Events.MySQSEvent, SQS)');
    expect(text).toContain('its name is the stack parameter SourceBucketName');
  });

  it('Aurora from a snapshot with a public instance (awslabs DMS template, JSON): public_access from the instance', { timeout: 60_000 }, () => {
    const { text, map, file } = draft('cloudformation', 'cfn-dms-aurora-s3/template.json');
    loadsValidatesScans(file);
    expect(map.stores?.['aurora-cluster']).toMatchObject({ kind: 'database', hosting: 'aws/aurora', public_access: 'allowed' });
    expect(text).toContain('# + AuroraDB (cluster instance)');
    expect(text).toContain('restored from snapshot arn:aws:rds:us-east-1:343299325021:cluster-snapshot:dms-sampledb-snapshot');
  });
});

describe('every resource and flow the draft reads (files written here)', () => {
  for (const [from, file] of [
    ['terraform', 'tf-edge/plan.json'],
    ['cloudformation', 'cfn-edge/template.yaml'],
  ] as const) {
    it(`${file}: flows with provenance, questions as comments, no secrets, and PHI findings once a person answers`, { timeout: 90_000 }, () => {
      const { text, map, file: out } = draft(from, file);
      loadsValidatesScans(out);
      const tool = from;
      // Flows: each on its own line with the resource that states it.
      const lines = text.split('\n').filter((l) => l.startsWith('  - { from:'));
      expect(lines.length).toBe(map.flows!.length);
      for (const l of lines) expect(l).toMatch(new RegExp(`\\} # from ${tool}: \\S+ \\(`));
      expect(map.flows!.filter((f) => f.on === 'error').length).toBeGreaterThanOrEqual(1);
      // Questions are comments only: no node says it holds PHI, and the vendor has no BAA until answered.
      expect(text).toMatch(/# QUESTION: does this bucket hold PHI\? If so: data: \[phi\]/);
      expect(text).toMatch(/# QUESTION: is a BAA with AWS in force/);
      for (const section of ['services', 'stores', 'logs'] as const) for (const node of Object.values(map[section] ?? {})) expect(node.data).toBeUndefined();
      expect(map.vendors.aws).toEqual({ description: expect.any(String) });
      expect(text).not.toContain('hunter2-not-a-secret');
      expect(text).not.toContain('super-secret-password-1');
      // The person answers one question: PHI now reaches the nodes downstream and the scan judges them.
      const answered = text.replace(/^( {2}(?:acme-patient-records|records-bucket):\n)/m, '$1    data: [phi]\n');
      expect(answered).not.toBe(text);
      const phi = path.join(work, `answered-${n++}.yaml`);
      writeFileSync(phi, answered);
      const s = cli(['scan', phi, '--format', 'json']);
      expect(s.status, s.stderr).toBe(1);
      const report = JSON.parse(s.stdout) as { summary: { phi_holders: number } };
      expect(report.summary.phi_holders).toBeGreaterThan(3);
    });
  }

  it('tf-edge: joins and values as the plan states them', { timeout: 60_000 }, () => {
    const { text, map } = draft('terraform', 'tf-edge/plan.json');
    expect(map.stores?.['acme-patient-records']).toMatchObject({
      encryption: { at_rest: 'aes-256', key: 'customer-managed' },
      versioning: true,
      public_access: 'blocked',
      audit_log: 'acme-access-logs-access-logs',
    });
    expect(map.stores?.['acme-access-logs']?.encryption).toEqual({ at_rest: 'aes-256', key: 'provider-managed' });
    expect(map.logs?.['acme-access-logs-access-logs']).toMatchObject({ kind: 'audit', hosting: 'aws/s3' });
    // Redrive policy known only after apply: read from configuration references.
    expect(map.stores?.['acme-intake-dlq']).toMatchObject({ kind: 'dead-letter-queue', encryption: { at_rest: 'none' } });
    expect(map.flows).toContainEqual({ from: 'acme-intake', to: 'acme-intake-dlq', on: 'error' });
    expect(flowLine(text, 'acme-intake', 'acme-intake-dlq')).toContain('# from terraform: aws_sqs_queue.intake (redrive_policy)');
    expect(map.stores?.['acme-ehr']).toMatchObject({ public_access: 'blocked', point_in_time_recovery: true, backup: 'acme-ehr-backups' });
    expect(map.stores?.['acme-ehr-backups']).toMatchObject({ kind: 'backup', encryption: { at_rest: 'aes-256', key: 'customer-managed' } });
    expect(map.stores?.['acme-analytics']).toMatchObject({ hosting: 'aws/aurora', public_access: 'allowed', encryption: { at_rest: 'none' } });
    expect(map.logs?.['acme-trail']).toMatchObject({ kind: 'audit', tamper_evident: true, encryption: { key: 'customer-managed' } });
    expect(map.logs?.['ecs-acme-api']?.retention_days).toBeUndefined();
    expect(text).toContain('retention: never expires');
    for (const [from, to] of [
      ['acme-sessions', 'acme-parser'],
      ['acme-alerts', 'acme-parser'],
      ['ecs-acme-api', 'acme-parser'],
      ['acme-api', 'ecs-acme-api'],
      ['acme-patient-records', 'acme-intake'],
      ['acme-triage', 'acme-model-capture-capture'],
      ['bedrock', 'bedrock-invocations'],
      ['bedrock', 'acme-patient-records'],
      ['acme-trail', 'acme-access-logs'],
    ]) {
      expect(map.flows).toContainEqual({ from, to });
    }
  });

  it('cfn-edge: short-form tags read as references, never evaluated; an unknown !GetAtt is reported, not followed', { timeout: 60_000 }, () => {
    const { text, map } = draft('cloudformation', 'cfn-edge/template.yaml');
    expect(map.logs?.['parser-logs']).toMatchObject({ kind: 'application', retention_days: 90, encryption: { key: 'customer-managed' } });
    expect(map.flows).toContainEqual({ from: 'parser', to: 'parser-logs' });
    expect(map.flows).toContainEqual({ from: 'intake-queue', to: 'intake-dlq', on: 'error' });
    expect(map.stores?.dangling?.kind).toBe('queue');
    expect(map.flows!.some((f) => f.from === 'dangling')).toBe(false);
    expect(text).toContain('left unresolved: NoSuchQueue');
    expect(text).toContain("created only where the template's condition IsProd holds");
    expect(map.stores?.['records-bucket']).toMatchObject({ versioning: true, public_access: 'blocked', audit_log: 'access-log-bucket-access-logs' });
    expect(map.stores?.search).toMatchObject({
      kind: 'database',
      hosting: 'aws/opensearch',
      resource: 'acme-search',
      encryption: { at_rest: 'aes-256', key: 'customer-managed' },
    });
    expect(map.stores?.warehouse).toMatchObject({ hosting: 'aws/redshift', encryption: { at_rest: 'none' }, public_access: 'allowed' });
    expect(map.services?.parser?.resource).toBeUndefined();
    expect(text).toContain('its name is set by an expression');
  });
});

describe('draft --update keeps what the person wrote', () => {
  const plan = path.join(FIX, 'tf-edge', 'plan.json');

  function edited(dir: string): string {
    const r = cli(['draft', '--from', 'terraform', plan, '-o', 'phi-map.yaml'], { cwd: dir });
    expect(r.status, r.stderr).toBe(0);
    const file = path.join(dir, 'phi-map.yaml');
    let text = readFileSync(file, 'utf8');
    text = text.replace('  acme-patient-records:\n', '  acme-patient-records:\n    data: [phi] # intake PDFs\n    records: 12000\n');
    text = text.replace('vendors:\n  aws:\n', 'vendors:\n  aws:\n    baa: { status: signed, signed: 2025-01-15 }\n');
    text = text.replace(/^ {2}acme-ehr:$/m, '  ehr-primary:');
    text = text.replace(
      /- \{ from: acme-parser, to: aws-lambda-acme-parser \}/,
      '- { from: acme-parser, to: aws-lambda-acme-parser, data: [] , basis: "request ids only" }',
    );
    text += '  - { from: acme-parser, to: ehr-primary } # my own flow\n';
    text += 'environments:\n  prod: { phi_allowed: true }\n';
    writeFileSync(file, text);
    return file;
  }

  function changedPlan(dir: string): string {
    const p = JSON.parse(readFileSync(plan, 'utf8')) as {
      planned_values: { root_module: { resources: { address: string; type: string; name: string; mode: string; values: Obj }[] } };
    };
    const list = p.planned_values.root_module.resources;
    for (const r of list) {
      if (r.address === 'aws_s3_bucket_versioning.records') (r.values.versioning_configuration as Obj[])[0]!.status = 'Suspended';
      if (r.address === 'aws_db_instance.ehr') r.values.publicly_accessible = true;
    }
    p.planned_values.root_module.resources = list.filter((r) => !r.address.includes('sessions'));
    p.planned_values.root_module.resources.push({
      address: 'aws_sqs_queue.audit',
      mode: 'managed',
      type: 'aws_sqs_queue',
      name: 'audit',
      values: { name: 'acme-audit', sqs_managed_sse_enabled: true },
    });
    const out = path.join(dir, 'plan2.json');
    writeFileSync(out, JSON.stringify(p));
    return out;
  }

  it('updates infrastructure fields, adds new resources, marks removed ones, keeps every edit; --write saves; a second run changes nothing', {
    timeout: 90_000,
  }, () => {
    const dir = mkdtempSync(path.join(work, 'update-'));
    const file = edited(dir);
    const before = readFileSync(file, 'utf8');
    const plan2 = changedPlan(dir);

    // Without --write the file is untouched: the result goes to stdout.
    const shown = cli(['draft', '--from', 'terraform', plan2, '--update', 'phi-map.yaml'], { cwd: dir });
    expect(shown.status, shown.stderr).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(before);
    expect(shown.stderr).toContain('~ stores.ehr-primary.public_access: blocked → allowed');
    expect(shown.stderr).toContain('~ stores.acme-patient-records.versioning: true → false');
    expect(shown.stderr).toContain('+ stores.acme-audit (from terraform: aws_sqs_queue.audit)');
    expect(shown.stderr).toContain('- stores.acme-sessions: aws_dynamodb_table.sessions is no longer in plan2.json (marked REMOVED, not deleted)');

    const diff = cli(['draft', '--from', 'terraform', plan2, '--update', 'phi-map.yaml', '--diff'], { cwd: dir });
    expect(diff.status, diff.stderr).toBe(0);
    expect(diff.stdout).toMatch(/^--- phi-map.yaml\n\+\+\+ phi-map.yaml \(updated draft\)\n@@ /);
    expect(diff.stdout).toContain('-    public_access: blocked\n+    public_access: allowed');
    expect(readFileSync(file, 'utf8')).toBe(before);

    const write = cli(['draft', '--from', 'terraform', plan2, '--update', 'phi-map.yaml', '--write'], { cwd: dir });
    expect(write.status, write.stderr).toBe(0);
    const after = readFileSync(file, 'utf8');
    expect(after).toBe(shown.stdout);
    const map = parse(after) as MapShape & { environments: Obj };
    expect(map.vendors.aws).toMatchObject({ baa: { status: 'signed', signed: '2025-01-15' } });
    expect(map.stores?.['acme-patient-records']).toMatchObject({ data: ['phi'], records: 12000, versioning: false });
    expect(after).toContain('# intake PDFs');
    expect(map.stores?.['ehr-primary']).toMatchObject({ public_access: 'allowed', backup: 'acme-ehr-backups' });
    expect(map.stores?.['acme-ehr']).toBeUndefined();
    expect(map.stores?.['acme-sessions']).toBeDefined();
    expect(after).toContain('# REMOVED: aws_dynamodb_table.sessions is no longer in plan2.json');
    expect(map.stores?.['acme-audit']).toMatchObject({ kind: 'queue', hosting: 'aws/sqs' });
    expect(map.flows).toContainEqual({ from: 'acme-parser', to: 'ehr-primary' });
    expect(map.flows).toContainEqual({ from: 'acme-parser', to: 'aws-lambda-acme-parser', data: [], basis: 'request ids only' });
    expect(after).toContain('# my own flow');
    expect(map.environments).toEqual({ prod: { phi_allowed: true } });
    expect(after.match(/# from terraform: aws_s3_bucket\.records \(aws_s3_bucket\)/g)?.length).toBe(1);
    expect(cli(['validate', file]).status).toBe(0);

    const again = cli(['draft', '--from', 'terraform', plan2, '--update', 'phi-map.yaml', '--write'], { cwd: dir });
    expect(again.status).toBe(0);
    expect(again.stderr).toContain('phi-map.yaml is up to date with plan2.json');
    expect(readFileSync(file, 'utf8')).toBe(after);
  });

  it('never writes over a file it was not asked to replace', { timeout: 60_000 }, () => {
    const dir = mkdtempSync(path.join(work, 'refuse-'));
    writeFileSync(path.join(dir, 'phi-map.yaml'), 'version: 1\n');
    const r = cli(['draft', '--from', 'terraform', plan, '-o', 'phi-map.yaml'], { cwd: dir });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--output phi-map.yaml exists: phi-audit draft never writes over a file; to merge into it, run with --update phi-map.yaml');
    expect(readFileSync(path.join(dir, 'phi-map.yaml'), 'utf8')).toBe('version: 1\n');
    const input = cli(['draft', '--from', 'terraform', plan, '--update', 'phi-map.yaml', '-o', plan], { cwd: dir });
    expect(input.status).toBe(2);
    expect(cli(['draft', '--from', 'terraform', plan, '--diff'], { cwd: dir }).stderr).toContain('--diff and --write work with --update MAP');
  });
});

describe('bad and hostile input: exit 2 with a place to look, never a stack trace', () => {
  const run = (from: string, name: string, body: string, env?: Record<string, string>) => {
    const file = path.join(work, name);
    writeFileSync(file, body);
    const r = cli(['draft', '--from', from, file], { env });
    expect(r.stderr).not.toMatch(STACK_TRACE);
    return r;
  };

  it('broken JSON points at its line and column', () => {
    const r = run('terraform', 'broken.json', '{\n  "format_version": "1.2",\n  "planned_values": { "root_module": { ]\n}\n');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/broken\.json:3:\d+: the plan is not valid JSON/);
  });

  it('a template given as a plan, and a plan given as a template, say which flag to use', () => {
    const a = run('terraform', 'tmpl.json', '{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {}}');
    expect(a.status).toBe(2);
    expect(a.stderr).toContain('use --from cloudformation');
    const b = run('cloudformation', 'plan.json', '{"format_version": "1.2", "planned_values": {"root_module": {}}}');
    expect(b.status).toBe(2);
    expect(b.stderr).toContain('use --from terraform');
  });

  it('YAML syntax errors and aliases in a template are placed', () => {
    const a = run('cloudformation', 'bad.yaml', 'Resources:\n  Q:\n    Type: AWS::SQS::Queue\n   Properties: {}\n');
    expect(a.status).toBe(2);
    expect(a.stderr).toMatch(/bad\.yaml:\d+:\d+: YAML: /);
    const b = run('cloudformation', 'alias.yaml', 'Resources:\n  Q: &q\n    Type: AWS::SQS::Queue\n  R: *q\n');
    expect(b.status).toBe(2);
    expect(b.stderr).toContain('CloudFormation does not accept them');
  });

  it('deep nesting in JSON and YAML is refused or read without overflowing', { timeout: 60_000 }, () => {
    const deep = `{"planned_values": {"root_module": {"resources": [{"address": "aws_sqs_queue.q", "mode": "managed", "type": "aws_sqs_queue", "name": "q", "values": {"name": "q", "tags": ${'['.repeat(50_000)}${']'.repeat(50_000)}}}]}}}`;
    const a = run('terraform', 'deep.json', deep);
    expect(a.status, a.stderr).toBe(0);
    const b = run(
      'cloudformation',
      'deep.yaml',
      `Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties: { Tags: ${'['.repeat(5000)}${']'.repeat(5000)} }\n`,
    );
    expect(b.status).toBe(2);
    expect(b.stderr).toMatch(/deep\.yaml:4:\d+: .*nested more than 200 deep/);
    const c = run('terraform', 'deepmods.json', `{"values": {"root_module": ${'{"child_modules": ['.repeat(100)}{}${']}'.repeat(100)}}}`);
    expect(c.status).toBe(2);
    expect(c.stderr).toContain('modules nested more than 64 deep');
  });

  it('__proto__ keys are data, not prototypes', () => {
    const plan = JSON.stringify({
      planned_values: {
        root_module: {
          resources: [
            {
              address: 'aws_s3_bucket.b',
              mode: 'managed',
              type: 'aws_s3_bucket',
              name: 'b',
              values: { bucket: '__proto__', __proto__: { polluted: true }, versioning: [{ enabled: true }] },
            },
          ],
        },
      },
    }).replace('"values":{"bucket":"__proto__"', '"values":{"bucket":"__proto__","__proto__":{"polluted":true}');
    const a = run('terraform', 'proto.json', plan);
    expect(a.status, a.stderr).toBe(0);
    expect((parse(a.stdout) as MapShape).stores?.proto?.versioning).toBe(true);
    const b = run(
      'cloudformation',
      'proto.yaml',
      'Resources:\n  __proto__:\n    Type: AWS::SQS::Queue\n    Properties:\n      __proto__: { polluted: true }\n      QueueName: q\n',
    );
    expect(b.status, b.stderr).toBe(0);
    expect((parse(b.stdout) as MapShape).stores?.proto).toMatchObject({ kind: 'queue', resource: 'q' });
    expect(({} as Obj).polluted).toBeUndefined();
  });

  it('control and bidi characters in names are shown as escapes, never written raw', () => {
    const plan = JSON.stringify({
      planned_values: {
        root_module: {
          resources: [
            { address: 'aws_s3_bucket.b', mode: 'managed', type: 'aws_s3_bucket', name: 'b', values: { bucket: 'evil\u001b[31mred\u202ertl\nQUESTION: x' } },
            { address: 'aws_sqs_queue.q', mode: 'managed', type: 'aws_sqs_queue', name: 'q', values: { name: 'q', kms_master_key_id: 'k\u001b[2J\u2066' } },
          ],
        },
      },
    });
    const r = run('terraform', 'escape.json', plan);
    expect(r.status, r.stderr).toBe(0);
    for (const c of ['\u001b', '\u202e', '\u2066']) expect(r.stdout.includes(c)).toBe(false);
    const stores = Object.values((parse(r.stdout) as MapShape).stores ?? {});
    expect(stores.map((x) => x.resource)).toContain('arn:aws:s3:::evil\\u{1b}[31mred\\u{202e}rtl\\u{a}QUESTION: x');
    const file = path.join(work, 'escape-draft.yaml');
    writeFileSync(file, r.stdout);
    expect(cli(['validate', file]).status).toBe(0);
  });

  it('a file over the size limit is refused before it is read', () => {
    const big = `{"values": {"root_module": {"resources": []}}, "pad": "${'x'.repeat(1_200_000)}"}`;
    const r = run('terraform', 'big.json', big, { PHI_AUDIT_MAX_FILE_MB: '1' });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/big\.json: is 1\.\d+ MB, more than the limit of 1(\.0)? MB per file/);
  });

  it('a state (values.root_module) drafts the same nodes as the plan', { timeout: 60_000 }, () => {
    const plan = JSON.parse(readFileSync(path.join(FIX, 'tf-edge/plan.json'), 'utf8')) as { planned_values: unknown };
    const r = run('terraform', 'state.json', JSON.stringify({ format_version: '1.0', terraform_version: '1.7.5', values: plan.planned_values }));
    expect(r.status, r.stderr).toBe(0);
    const fromState = parse(r.stdout) as MapShape;
    expect(Object.keys(fromState.stores ?? {})).toContain('acme-patient-records');
    expect(fromState.stores?.['acme-ehr']).toMatchObject({ encryption: { at_rest: 'aes-256' }, public_access: 'blocked' });
  });

  it('--update refuses a map whose section is not a mapping, and leaves it as it was', () => {
    const dir = mkdtempSync(path.join(work, 'badmap-'));
    const body = 'version: 1\nstores:\n  - not a mapping\n';
    writeFileSync(path.join(dir, 'phi-map.yaml'), body);
    const r = cli(['draft', '--from', 'terraform', path.join(FIX, 'tf-sqs-kms/plan.json'), '--update', 'phi-map.yaml', '--write'], { cwd: dir });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('stores: is not a mapping');
    expect(readFileSync(path.join(dir, 'phi-map.yaml'), 'utf8')).toBe(body);
  });

  it('resources the plan deletes are left out, and the header says so', () => {
    const plan = {
      planned_values: { root_module: { resources: [] } },
      resource_changes: [
        {
          address: 'aws_s3_bucket.old',
          mode: 'managed',
          type: 'aws_s3_bucket',
          name: 'old',
          change: { actions: ['delete'], before: { bucket: 'old' }, after: null },
        },
        {
          address: 'aws_sqs_queue.swap',
          mode: 'managed',
          type: 'aws_sqs_queue',
          name: 'swap',
          change: { actions: ['delete', 'create'], before: {}, after: {} },
        },
      ],
    };
    const r = run('terraform', 'deletes.json', JSON.stringify(plan));
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('# the plan deletes 1 resource, left out of this draft: aws_s3_bucket.old');
  });

  it('an empty state drafts an empty map that still validates', () => {
    const r = run('terraform', 'empty-state.json', '{"format_version": "1.0", "values": {"root_module": {}}}');
    expect(r.status).toBe(0);
    const file = path.join(work, 'empty-draft.yaml');
    writeFileSync(file, r.stdout);
    expect(cli(['validate', file]).status).toBe(0);
  });

  it('the CLI binary exists (built before this test)', () => {
    expect(readFileSync(CLI, 'utf8').length).toBeGreaterThan(0);
  });
});
