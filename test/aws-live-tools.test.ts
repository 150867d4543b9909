/**
 * The live tools around scan --aws: saved evidence judged again offline, discover's snippet, the IAM policy (which
 * must cover every call the scanner was seen to make), usage errors, and the AWS SDK kept off the default path.
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CALLS, type CallSpec, iamPolicy } from '../src/enrich/aws/calls.js';
import { type AwsServer, type CallRecord, startAwsServer } from './aws/server.js';
import { cli, ROOT } from './support/cli.js';
import { cliAsync, type JsonReport } from './support/live.js';

const MAP = 'fixtures/live/two-accounts.yaml';
let aws: AwsServer;
const dir = mkdtempSync(path.join(tmpdir(), 'phi-audit-live-'));
/** Every call the server saw in this file's runs of scan and discover. */
const seen: { scan: CallRecord[]; discover: CallRecord[] } = { scan: [], discover: [] };

beforeAll(async () => {
  aws = await startAwsServer({ fixture: 'fixtures/aws/two-accounts.yaml' });
});
afterAll(async () => {
  await aws?.close();
});

const strip = (r: JsonReport) => r.findings.map((f) => ({ id: f.id, status: f.status, message: f.message, evidence: f.evidence }));

describe('--save-evidence and --evidence', () => {
  it('judges the saved answers offline with the same result, and keeps no secret', { timeout: 90_000 }, async () => {
    const file = path.join(dir, 'evidence.json');
    aws.reset();
    const live = await cliAsync(['scan', MAP, '--aws', '--format', 'json', '--fail-on', 'none', '--save-evidence', file], { env: aws.env('audit') });
    expect(live.status, live.stderr).toBe(0);
    seen.scan.push(...aws.calls());
    expect(live.stderr).toMatch(/\d+ AWS answers saved as evidence/);
    const saved = readFileSync(file, 'utf8');
    const evidence = JSON.parse(saved) as { format: string; calls: { action: string; at: string; output?: unknown; error?: unknown }[] };
    expect(evidence.format).toBe('phi-audit-evidence');
    expect(evidence.calls.length).toBeGreaterThan(30);
    expect(evidence.calls.every((c) => !Number.isNaN(Date.parse(c.at)))).toBe(true);
    for (const secret of ['audit-secret', 'prod-secret', 'SecretAccessKey', 'SessionToken', 'secretAccessKey', 'sessionToken', 'AKIAAUDIT'])
      expect(saved).not.toContain(secret);

    aws.reset();
    // Offline: no AWS variables, no credentials, and the server sees nothing.
    const offline = await cliAsync(['scan', MAP, '--evidence', file, '--format', 'json', '--fail-on', 'none'], { env: {} });
    expect(offline.status, offline.stderr).toBe(0);
    expect(aws.stats().total).toBe(0);
    const a = JSON.parse(live.stdout) as JsonReport;
    const b = JSON.parse(offline.stdout) as JsonReport;
    expect(b.live?.from).toBe('evidence');
    expect(b.live?.started).toBe(a.live?.started);
    expect(strip(b)).toEqual(strip(a));
    expect(b.findings.some((f) => f.id === 'aws-undeclared-phi-copy@summarizer')).toBe(true);
  });

  it('refuses a file that is not evidence, and flags used wrongly, with exit 2', () => {
    const bad = path.join(dir, 'bad.json');
    writeFileSync(bad, '{"format":"something-else"}');
    const r = cli(['scan', MAP, '--evidence', bad]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('is not a phi-audit evidence file');
    expect(cli(['scan', MAP, '--aws', '--concurrency', '0']).stderr).toContain('--concurrency: must be a whole number from 1 to 256');
    expect(cli(['scan', MAP, '--profile', 'prod']).stderr).toContain('--profile: applies to live checks: add --aws');
    expect(cli(['scan', MAP, '--aws', '--evidence', bad]).status).toBe(2);
    expect(cli(['scan', MAP, '--aws', '--call-timeout', 'soon']).status).toBe(2);
  });
});

describe('discover --aws', () => {
  it('lists what the map does not mention as a snippet that loads once pasted', { timeout: 90_000 }, async () => {
    aws.reset();
    const r = await cliAsync(['discover', MAP, '--aws'], { env: aws.env('audit') });
    seen.discover.push(...aws.calls());
    expect(r.status, r.stderr).toBe(0);
    const snippet = parse(r.stdout) as { stores: Record<string, { resource: string; account: string }>; logs: Record<string, { resource: string }> };
    const resources = [...Object.values(snippet.stores), ...Object.values(snippet.logs)].map((n) => n.resource);
    expect(resources).toEqual(
      expect.arrayContaining(['bedrock-invocations-prod', 'scoring-jobs-dlq', 'access-logs-prod', '/bedrock/invocations', '/phi/scoring', 'stopped-trail']),
    );
    // Already in the map: not listed.
    expect(resources).not.toContain('ehr-extracts-prod');
    expect(resources).not.toContain('org-trail');
    expect(r.stdout).toMatch(/^ {2}bedrock-invocations-prod: {2}#/m);
    expect(r.stdout).toMatch(/Bedrock model invocation logs, us-east-1: prompts and completions/);
    // Pasted into the map, it loads.
    const map = parse(readFileSync(path.join(ROOT, MAP), 'utf8')) as Record<string, Record<string, unknown>>;
    Object.assign(map.stores!, snippet.stores);
    Object.assign(map.logs!, snippet.logs);
    const merged = path.join(dir, 'merged.yaml');
    writeFileSync(merged, JSON.stringify(map));
    const v = cli(['validate', merged]);
    expect(v.status, v.stderr).toBe(0);
  });

  it('needs --aws', () => {
    const r = cli(['discover', MAP]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('add --aws');
  });
});

describe('iam-policy', () => {
  const actions = (p: ReturnType<typeof iamPolicy>) => new Set(p.Statement.flatMap((s) => s.Action));

  it('prints a read-only policy, and explains each permission', () => {
    const r = cli(['iam-policy']);
    expect(r.status).toBe(0);
    const policy = JSON.parse(r.stdout) as ReturnType<typeof iamPolicy>;
    expect(policy.Version).toBe('2012-10-17');
    const all = [...actions(policy)];
    expect(all).toContain('s3:GetEncryptionConfiguration');
    expect(all).toContain('bedrock:GetModelInvocationLoggingConfiguration');
    for (const a of all) expect(a).toMatch(/^[a-z0-9-]+:(Get|List|Describe|Generate)[A-Za-z]+$/);
    expect(all).not.toContain('sqs:ListQueues'); // discover only
    expect(actions(JSON.parse(cli(['iam-policy', '--discover']).stdout))).toContain('sqs:ListQueues');
    const explain = cli(['iam-policy', '--explain']).stdout;
    expect(explain).toMatch(/^kms:DescribeKey +who manages the key/m);
  });

  it('covers every call the scanner and discover were seen to make', () => {
    expect(seen.scan.length).toBeGreaterThan(30);
    expect(seen.discover.length).toBeGreaterThan(5);
    const table = new Map(Object.entries(CALLS) as [string, CallSpec][]);
    for (const [kind, calls, policy] of [
      ['scan', seen.scan, actions(iamPolicy())],
      ['discover', seen.discover, actions(iamPolicy({ discover: true }))],
    ] as const) {
      for (const c of calls) {
        const name = `${c.service}:${c.action}`;
        if (name === 'sts:AssumeRole') continue; // the starting identity's, not the read-only role's
        const spec = table.get(name);
        expect(spec, `${kind} made ${name}, which calls.ts does not list`).toBeDefined();
        if (spec?.permission) expect(policy.has(spec.permission), `${kind} made ${name}; the policy lacks ${spec.permission}`).toBe(true);
      }
    }
  });
});

describe('the AWS SDK stays off the default path', () => {
  it('is in no chunk the CLI or scan loads without a live option', () => {
    const bin = path.join(ROOT, 'dist', 'bin');
    const reached = new Set<string>();
    const visit = (file: string, followDynamic: boolean) => {
      if (reached.has(file)) return;
      reached.add(file);
      const text = readFileSync(path.join(bin, file), 'utf8');
      for (const m of text.matchAll(/(?:from|import)\s*"\.\/([^"]+\.js)"/g)) visit(m[1]!, false);
      if (followDynamic) for (const m of text.matchAll(/import\("\.\/([^"]+\.js)"\)/g)) if (/^scan-/.test(m[1]!)) visit(m[1]!, false);
    };
    visit('phi-audit.js', true);
    expect([...reached].some((f) => f.startsWith('scan-'))).toBe(true);
    for (const f of reached) {
      const text = readFileSync(path.join(bin, f), 'utf8');
      expect(/S3Client|X-Amz-Target|@aws-sdk\/|credential-provider/.test(text), `${f} holds AWS SDK code`).toBe(false);
    }
    // ... and it is in the bundle, for when --aws is given.
    expect(readdirSync(bin).some((f) => /S3Client/.test(readFileSync(path.join(bin, f), 'utf8')))).toBe(true);
  });
});
