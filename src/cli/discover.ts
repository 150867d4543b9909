/**
 * `phi-audit discover --aws`: what the accounts hold that the map does not mention (buckets, trails, log groups,
 * databases, queues, and the destinations of Bedrock invocation logs and SageMaker data capture), as a YAML snippet
 * to paste into the map and complete. Read-only, like every live check; a listing that fails is said in the snippet.
 */
import { type AccountRef, accountsOf, DEFAULT_ACCOUNT, kindOfNode, parseLocator } from '../enrich/aws/accounts.js';
import type { Caller } from '../enrich/aws/caller.js';
import type { Action } from '../enrich/aws/calls.js';
import { errorText } from '../enrich/aws/context.js';
import { loadMap } from '../map/load.js';
import { resourceOf } from '../map/model.js';
import { type Diagnostic, InputError, noPosition } from '../source/diagnostics.js';
import { escapeTerminal } from '../source/escape.js';
import { awsEnv, readEnv } from './env.js';
import { EXIT, type ExitCode } from './exit.js';
import { type LiveFlags, liveSettings, sdkCaller } from './live.js';

interface Found {
  readonly section: 'stores' | 'logs';
  readonly kind: string;
  readonly hosting: string;
  readonly resource: string;
  readonly account: string;
  readonly note: string;
}

/** A map id from a resource name: lowercase letters, digits, '.', '_' and '-'. */
function idFor(name: string, taken: Set<string>): string {
  const base =
    name
      .toLowerCase()
      .replace(/^\/+/, '')
      .replace(/[^a-z0-9._-]+/g, '-')
      .replace(/^[^a-z0-9]+/, '')
      .replace(/-+$/, '')
      .slice(0, 60) || 'resource';
  let id = base;
  for (let i = 2; taken.has(id); i++) id = `${base}-${i}`;
  taken.add(id);
  return id;
}

async function pages<T>(
  caller: Caller,
  account: AccountRef,
  region: string,
  action: Action,
  input: Record<string, unknown>,
  next: (out: Record<string, unknown>) => Record<string, unknown> | undefined,
  items: (out: Record<string, unknown>) => T[],
): Promise<T[]> {
  const out: T[] = [];
  let page: Record<string, unknown> | undefined = input;
  for (let i = 0; page && i < 1000; i++) {
    const answer = (await caller.call({ account: account.id, region }, action, page)) as Record<string, unknown>;
    out.push(...items(answer));
    const more = next(answer);
    page = more ? { ...input, ...more } : undefined;
  }
  return out;
}

export async function discoverCommand(paths: string[], flags: LiveFlags): Promise<ExitCode> {
  const problems: Diagnostic[] = [];
  if (!flags.aws) problems.push(noPosition('discover', 'needs a provider: add --aws'));
  const { concurrency, timeoutMs } = liveSettings(flags, problems);
  const env = readEnv();
  if (problems.length > 0) throw new InputError(problems);
  const map = loadMap(paths, { limits: env.limits });
  const aws = awsEnv();
  const accounts = accountsOf(map, flags.region ?? aws.AWS_REGION ?? 'us-east-1');
  const caller = await sdkCaller({ profile: flags.profile, concurrency, timeoutMs, env: aws }, () => accounts);

  // What the map already names, per account and kind (names and ARNs alike).
  const mapped = new Set<string>();
  for (const node of map.nodes.values()) {
    const kind = kindOfNode(node);
    const resource = resourceOf(node);
    if (!kind || resource === undefined) continue;
    const account = node.type !== 'vendor' && node.spec.account !== undefined ? node.spec.account : [...accounts.keys()][0]!;
    mapped.add(`${account}\u0000${kind}\u0000${parseLocator(kind, resource).name}`);
    if (kind === 'trail') mapped.add(`${account}\u0000trail\u0000${resource}`);
  }
  const found: Found[] = [];
  const failures: string[] = [];
  const add = (account: AccountRef, f: Omit<Found, 'account'>, kindKey: string) => {
    if (
      !mapped.has(`${account.id}\u0000${kindKey}\u0000${f.resource}`) &&
      !found.some((x) => x.account === account.id && x.resource === f.resource && x.hosting === f.hosting)
    )
      found.push({ ...f, account: account.id });
  };
  const attempt = async (what: string, job: () => Promise<void>) => {
    try {
      await job();
    } catch (err) {
      failures.push(`${what}: ${errorText(err)}`);
    }
  };

  await Promise.all(
    [...accounts.values()].map(async (account) => {
      const home = account.regions[0]!;
      const jobs: Promise<void>[] = [
        attempt(`buckets of ${account.id}`, async () => {
          const buckets = await pages(
            caller,
            account,
            home,
            's3:ListBuckets',
            { MaxBuckets: 1000 },
            (o) => (o.ContinuationToken ? { ContinuationToken: o.ContinuationToken } : undefined),
            (o) => (o.Buckets as { Name?: string; BucketRegion?: string }[] | undefined) ?? [],
          );
          for (const b of buckets)
            if (b.Name)
              add(
                account,
                { section: 'stores', kind: 'object-store', hosting: 'aws/s3', resource: b.Name, note: `S3 bucket, ${b.BucketRegion ?? home}` },
                's3',
              );
        }),
      ];
      for (const region of account.regions) {
        const where = `${account.id}/${region}`;
        jobs.push(
          attempt(`trails of ${where}`, async () => {
            const out = (await caller.call({ account: account.id, region }, 'cloudtrail:DescribeTrails', { includeShadowTrails: false })) as {
              trailList?: { Name?: string; TrailARN?: string; S3BucketName?: string }[];
            };
            for (const t of out.trailList ?? []) {
              if (!t.Name || mapped.has(`${account.id}\u0000trail\u0000${t.TrailARN}`)) continue;
              add(
                account,
                {
                  section: 'logs',
                  kind: 'audit',
                  hosting: 'aws/cloudtrail',
                  resource: t.Name,
                  note: `CloudTrail trail, ${region}, delivers to s3://${t.S3BucketName ?? '?'}`,
                },
                'trail',
              );
            }
          }),
          attempt(`log groups of ${where}`, async () => {
            const groups = await pages(
              caller,
              account,
              region,
              'logs:DescribeLogGroups',
              { limit: 50 },
              (o) => (o.nextToken ? { nextToken: o.nextToken } : undefined),
              (o) => (o.logGroups as { logGroupName?: string; retentionInDays?: number }[] | undefined) ?? [],
            );
            for (const g of groups)
              if (g.logGroupName)
                add(
                  account,
                  {
                    section: 'logs',
                    kind: 'application',
                    hosting: 'aws/cloudwatch-logs',
                    resource: g.logGroupName,
                    note: `log group, ${region}, retention ${g.retentionInDays ?? 'never expires'}`,
                  },
                  'logs',
                );
          }),
          attempt(`databases of ${where}`, async () => {
            const dbs = await pages(
              caller,
              account,
              region,
              'rds:DescribeDBInstances',
              { MaxRecords: 100 },
              (o) => (o.Marker ? { Marker: o.Marker } : undefined),
              (o) => (o.DBInstances as { DBInstanceIdentifier?: string; Engine?: string }[] | undefined) ?? [],
            );
            for (const d of dbs)
              if (d.DBInstanceIdentifier)
                add(
                  account,
                  {
                    section: 'stores',
                    kind: 'database',
                    hosting: 'aws/rds',
                    resource: d.DBInstanceIdentifier,
                    note: `RDS ${d.Engine ?? 'instance'}, ${region}`,
                  },
                  'rds',
                );
          }),
          attempt(`queues of ${where}`, async () => {
            const urls = await pages(
              caller,
              account,
              region,
              'sqs:ListQueues',
              { MaxResults: 1000 },
              (o) => (o.NextToken ? { NextToken: o.NextToken } : undefined),
              (o) => (o.QueueUrls as string[] | undefined) ?? [],
            );
            for (const u of urls) {
              const name = u.split('/').pop() ?? u;
              add(
                account,
                {
                  section: 'stores',
                  kind: /dlq|dead/i.test(name) ? 'dead-letter-queue' : 'queue',
                  hosting: 'aws/sqs',
                  resource: name,
                  note: `SQS queue, ${region}`,
                },
                'sqs',
              );
            }
          }),
          attempt(`Bedrock invocation logging of ${where}`, async () => {
            const out = (await caller.call({ account: account.id, region }, 'bedrock:GetModelInvocationLoggingConfiguration', {})) as {
              loggingConfig?: { textDataDeliveryEnabled?: boolean; s3Config?: { bucketName?: string }; cloudWatchConfig?: { logGroupName?: string } };
            };
            const c = out.loggingConfig;
            if (!c) return;
            const note = `Bedrock model invocation logs, ${region}${c.textDataDeliveryEnabled === false ? ' (no text)' : ': prompts and completions'}`;
            if (c.s3Config?.bucketName)
              add(account, { section: 'stores', kind: 'object-store', hosting: 'aws/s3', resource: c.s3Config.bucketName, note }, 's3');
            if (c.cloudWatchConfig?.logGroupName)
              add(account, { section: 'logs', kind: 'application', hosting: 'aws/cloudwatch-logs', resource: c.cloudWatchConfig.logGroupName, note }, 'logs');
          }),
          attempt(`SageMaker endpoints of ${where}`, async () => {
            const eps = await pages(
              caller,
              account,
              region,
              'sagemaker:ListEndpoints',
              { MaxResults: 100 },
              (o) => (o.NextToken ? { NextToken: o.NextToken } : undefined),
              (o) => (o.Endpoints as { EndpointName?: string }[] | undefined) ?? [],
            );
            for (const e of eps) {
              if (!e.EndpointName) continue;
              await attempt(`data capture of endpoint ${e.EndpointName} in ${where}`, async () => {
                const d = (await caller.call({ account: account.id, region }, 'sagemaker:DescribeEndpoint', { EndpointName: e.EndpointName })) as {
                  EndpointConfigName?: string;
                };
                const cfg = (await caller.call({ account: account.id, region }, 'sagemaker:DescribeEndpointConfig', {
                  EndpointConfigName: d.EndpointConfigName,
                })) as {
                  DataCaptureConfig?: { EnableCapture?: boolean; DestinationS3Uri?: string };
                };
                const uri = cfg.DataCaptureConfig?.EnableCapture ? cfg.DataCaptureConfig.DestinationS3Uri : undefined;
                const bucket = uri ? /^s3:\/\/([^/]+)/.exec(uri)?.[1] : undefined;
                if (bucket)
                  add(
                    account,
                    {
                      section: 'stores',
                      kind: 'object-store',
                      hosting: 'aws/s3',
                      resource: bucket,
                      note: `SageMaker data capture of endpoint ${e.EndpointName} (${uri})`,
                    },
                    's3',
                  );
              });
            }
          }),
        );
      }
      await Promise.all(jobs);
    }),
  );

  const taken = new Set(map.nodes.keys());
  const q = (s: string) => JSON.stringify(s);
  const out: string[] = [
    `# phi-audit discover --aws: ${found.length} resource${found.length === 1 ? '' : 's'} in ${[...accounts.values()].map((a) => `${a.id}${a.accountId ? ` (${a.accountId})` : ''}`).join(', ')} that the map does not mention.`,
    '# Paste what may hold PHI into the map, set data: (and the safeguards), and add the flows that reach it.',
  ];
  for (const f of failures) out.push(`# could not list ${f}`);
  for (const section of ['stores', 'logs'] as const) {
    const items = found.filter((f) => f.section === section);
    if (items.length === 0) continue;
    out.push(`${section}:`);
    for (const f of items) {
      out.push(`  ${idFor(f.resource, taken)}:  # ${f.note.replace(/\n/g, ' ')}`);
      out.push(`    kind: ${f.kind}`, `    hosting: ${f.hosting}`);
      if (f.account !== DEFAULT_ACCOUNT) out.push(`    account: ${f.account}`);
      out.push(`    resource: ${q(f.resource)}`);
      out.push('    data: []  # what it holds: [phi], or [deidentified] with a reason in description');
    }
  }
  process.stdout.write(`${out.join('\n')}\n`);
  if (failures.length > 0)
    process.stderr.write(`phi-audit: ${failures.length} listing${failures.length === 1 ? '' : 's'} failed: ${escapeTerminal(failures.join('; '))}\n`);
  return EXIT.clean;
}
