/**
 * The AWS evidence source: for exactly the resources PHI reaches (and the account-wide controls), what the account
 * says, as facts under the map's own field names. `createEnricher({ caller })` takes the one way calls are made
 * (caller.ts): SDK clients pointed wherever the test or the user wants, or a saved evidence file.
 */
import type { MapNode } from '../../map/model.js';
import type { Enricher, LiveSummary } from '../enricher.js';
import type { FactStore } from '../facts.js';
import { type AccountRef, AWS_VENDORS, accountsOf, awsHosting, kindOfNode, type ResourceKind, type Target, targetOf } from './accounts.js';
import { CallError, type Caller, type CallStats } from './caller.js';
import { accountTrails, dataEventsFor } from './cloudtrail.js';
import { createContext, type LiveContext } from './context.js';
import { type BedrockLogging, bedrockLogging, type Destination, dataCapture } from './copies.js';
import { LIVE } from './fields.js';
import { type AccountFact, accountIam } from './iam.js';
import { keyReader } from './kms.js';
import { accountS3, checkBucket } from './s3.js';
import { checkDatabase, checkLogGroup, checkQueue } from './stores.js';

export interface AwsEnricherOptions {
  readonly caller: Caller;
  /** The region for accounts that list none (--region, or the SDK's). */
  readonly region: string;
  readonly from?: 'account' | 'evidence';
  /** Time between credential-report polls (tests shorten it). */
  readonly reportWaitMs?: number;
  /** When the answers were given (replaying evidence: the original run's times). */
  readonly times?: { readonly started: string; readonly finished: string };
}

export interface AwsEnricher extends Enricher {
  /** After enrich(): what the run did. */
  summary(): LiveSummary | undefined;
  stats(): CallStats;
  /** The accounts of the map being enriched (known once enrich() starts). */
  accounts(): ReadonlyMap<string, AccountRef>;
}

const DATA_KINDS: ReadonlySet<ResourceKind> = new Set(['s3', 'logs', 'sqs']);

/** Combines one account-wide fact over every account: a bad value anywhere is the value judged. */
function combine<T>(
  live: LiveContext,
  subjects: readonly string[],
  field: string,
  perAccount: readonly AccountFact<T>[],
  merge: (values: T[]) => T,
  bad: (v: T) => boolean,
): void {
  const values = perAccount.flatMap((f) => ('value' in f ? [f.value] : []));
  const errors = perAccount.filter((f): f is { error: unknown; source: string } => 'error' in f);
  const worst = values.filter(bad);
  const source = perAccount.map((f) => f.source).join('; ');
  for (const s of subjects) {
    if (worst.length > 0 || errors.length === 0) live.observe(s, field, merge(worst.length > 0 ? worst : values), source);
    else live.unavailable(s, [field], errors[0]!.error, source);
  }
}

export function createEnricher(options: AwsEnricherOptions): AwsEnricher {
  let summary: LiveSummary | undefined;
  let accountRefs: ReadonlyMap<string, AccountRef> = new Map();
  return {
    accounts: () => accountRefs,
    name: 'aws',
    stats: () => options.caller.stats(),
    summary: () => summary,
    async enrich({ map, phi }, facts: FactStore) {
      const started = new Date().toISOString();
      const counter = { observed: 0 };
      const live = createContext(options.caller, facts, counter);
      const accounts = accountsOf(map, options.region);
      accountRefs = accounts;
      const key = keyReader(live);

      // What PHI reaches, tied to resources; and data-holding nodes that no resource ties to.
      const targets: Target[] = [];
      const declared = new Map<string, MapNode>();
      const vendorSubjects = [...map.nodes.values()].filter((n) => n.type === 'vendor' && AWS_VENDORS.has(n.id)).map((n) => n.id);
      for (const node of map.nodes.values()) {
        if (node.type === 'vendor' || !awsHosting(node)) continue;
        const holds = phi.holdsPhi(node.id);
        const target = targetOf(map, node, accounts);
        if (target && DATA_KINDS.has(target.kind)) declared.set(`${target.account.id}\u0000${target.kind}\u0000${target.locator.name}`, node);
        if (holds && (node.type === 'store' || node.type === 'log') && node.spec.resource === undefined) {
          live.observe(node.id, LIVE.located, false, 'no resource: live checks could not be tied to an AWS resource');
        }
        const auditLog = node.type === 'log' && node.spec.kind === 'audit';
        if (target && (holds || auditLog)) targets.push(target);
        // A model host in a map of several accounts that names none: which account's logging applies is not known.
        const kind = kindOfNode(node);
        if (holds && !target && (kind === 'bedrock' || (kind === 'sagemaker' && node.spec.resource !== undefined))) {
          const why = `"${node.id}" names no account and the map declares ${accounts.size}: add account: so its ${kind === 'bedrock' ? 'invocation logging' : 'data capture'} can be read`;
          live.unavailable(node.id, [LIVE.undeclaredCopies], new CallError('sts:GetCallerIdentity', 'NoAccount', why), 'the map');
        }
      }
      // Buckets behind audit logs get their object lock read.
      const auditBuckets = new Set<string>();
      for (const t of targets) if (t.node.type === 'log' && t.node.spec.kind === 'audit' && t.kind === 's3') auditBuckets.add(t.locator.name);

      /** A copy AWS makes: declared as a PHI-holding node of the same account, or an undeclared PHI path. */
      const copyProblem = (account: AccountRef, d: Destination): string | undefined => {
        const node = declared.get(`${account.id}\u0000${d.kind}\u0000${d.name}`);
        if (node && phi.holdsPhi(node.id)) return undefined;
        if (node) return `${d.shown} (${d.what}): declared as ${node.id}, but no flow brings PHI to it`;
        return `${d.shown} (${d.what})`;
      };
      const observeCopies = (subject: string, account: AccountRef, result: BedrockLogging) => {
        const problems = result.destinations.flatMap((d) => copyProblem(account, d) ?? []);
        live.observe(subject, LIVE.undeclaredCopies, problems, result.source);
      };

      const accountJobs = [...accounts.values()].map(async (account) => {
        const mine = targets.filter((t) => t.account.id === account.id);
        const s3 = accountS3(live, account);
        const trails = accountTrails(live, account);
        const iam = accountIam(live, account, options.reportWaitMs !== undefined ? { reportWaitMs: options.reportWaitMs } : {});
        const jobs: Promise<unknown>[] = [];
        for (const t of mine) {
          const subject = t.node.id;
          switch (t.kind) {
            case 's3':
              jobs.push(
                (async () => {
                  const declaresLock = t.node.type === 'store' && t.node.spec.object_lock !== undefined;
                  await checkBucket(live, {
                    target: t,
                    s3,
                    key,
                    wantObjectLock: auditBuckets.has(t.locator.name) || declaresLock || t.node.type === 'log',
                    dataEvents: async (bucket, region) => dataEventsFor(await trails, bucket, region),
                  });
                })(),
              );
              break;
            case 'logs':
              jobs.push(checkLogGroup(live, t, key));
              break;
            case 'rds':
              jobs.push(checkDatabase(live, t, key));
              break;
            case 'sqs':
              jobs.push(
                (async () => {
                  const q = await checkQueue(live, t, key);
                  if (!q || (t.node.type === 'store' && t.node.spec.kind === 'dead-letter-queue')) return;
                  const source = `sqs:GetQueueAttributes ${t.locator.name} (${account.id}, ${q.region}): ${q.dlq ? `dead-letter queue ${q.dlq}` : 'no redrive policy'}`;
                  const shown: Destination[] = q.dlq
                    ? [{ kind: 'sqs', name: q.dlq, what: `dead-letter queue of ${t.locator.name}`, shown: `queue ${q.dlq}` }]
                    : [];
                  observeCopies(subject, account, { destinations: shown, source });
                })(),
              );
              break;
            case 'sagemaker':
              jobs.push(
                dataCapture(live, t).then(
                  (r) => observeCopies(subject, account, r),
                  (err: unknown) => live.unavailable(subject, [LIVE.undeclaredCopies], err, `sagemaker:DescribeEndpoint ${t.locator.name} (${account.id})`),
                ),
              );
              break;
            case 'trail':
              jobs.push(
                (async () => {
                  const all = await trails;
                  const want = t.locator.name;
                  const trail = all.trails.find((x) => x.name === want || x.arn === want);
                  const fields = ['tamper_evident', 'encryption.at_rest', 'encryption.key'];
                  const source = `cloudtrail:DescribeTrails ${want} (${account.id})`;
                  if (!trail) {
                    const err =
                      all.error ??
                      new CallError(
                        'cloudtrail:DescribeTrails',
                        'NotFound',
                        `trail ${want} does not exist in account ${account.id} (regions ${account.regions.join(', ')})`,
                      );
                    live.unavailable(subject, fields, err, source);
                    return;
                  }
                  live.observe(subject, 'tamper_evident', trail.validation, `${source}: LogFileValidationEnabled ${trail.validation}`);
                  live.observe(subject, 'encryption.at_rest', 'aes-256', `${source}: delivered encrypted to S3`);
                  // A trail's KMS key is always a customer managed key (CloudTrail accepts no other).
                  live.observe(
                    subject,
                    'encryption.key',
                    trail.kmsKeyId ? 'customer-managed' : 'provider-managed',
                    `${source}: ${trail.kmsKeyId ? `KmsKeyId ${trail.kmsKeyId}` : 'SSE-S3'}`,
                  );
                })(),
              );
              break;
            case 'bedrock':
              break;
          }
        }

        // Bedrock model invocation logging: per account and region, where a node PHI reaches is hosted on Bedrock.
        const bedrockNodes = mine.filter((t) => t.kind === 'bedrock').map((t) => t.node.id);
        if (bedrockNodes.length > 0) {
          jobs.push(
            (async () => {
              const results = await Promise.all(
                account.regions.map((region) =>
                  bedrockLogging(live, account, region).then(
                    (r) => ({ r }),
                    (err: unknown) => ({ err, source: `bedrock:GetModelInvocationLoggingConfiguration (${account.id}, ${region})` }),
                  ),
                ),
              );
              const failed = results.find((x): x is { err: unknown; source: string } => 'err' in x);
              const ok = results.flatMap((x) => ('r' in x ? [x.r] : []));
              const merged: BedrockLogging = { destinations: ok.flatMap((r) => r.destinations), source: ok.map((r) => r.source).join('; ') };
              const problems = merged.destinations.flatMap((d) => copyProblem(account, d) ?? []);
              for (const n of bedrockNodes) {
                if (failed && problems.length === 0) live.unavailable(n, [LIVE.undeclaredCopies], failed.err, failed.source);
                else live.observe(n, LIVE.undeclaredCopies, problems, merged.source);
              }
            })(),
          );
        }
        await Promise.all(jobs);

        // Buckets the map does not mention.
        const listed = await s3.regions;
        const mapped = new Set([...declared.keys()].filter((k) => k.startsWith(`${account.id}\u0000s3\u0000`)).map((k) => k.split('\u0000')[2]!));
        const unmapped: AccountFact<string[]> = listed
          ? {
              value: [...listed.keys()].filter((b) => !mapped.has(b)).map((b) => `${account.id}/${b}`),
              source: `s3:ListBuckets (${account.id}): ${listed.size} buckets`,
            }
          : { error: s3.listError(), source: `s3:ListBuckets (${account.id})` };
        // A failed listing says why through the first bucket call that failed; keep the ListBuckets reason when there is one.
        const t = await trails;
        const best = t.trails.filter((x) => x.logging === true && x.multiRegion);
        const trailSource = `cloudtrail:DescribeTrails, GetTrailStatus (${account.id}): ${t.trails.map((x) => `${x.name}${x.logging ? ' logging' : x.logging === false ? ' stopped' : ' status unknown'}${x.multiRegion ? ' multi-region' : ''}`).join(', ') || 'no trails'}`;
        const trailError = t.error ?? t.trails.find((x) => x.logging === undefined)?.statusError;
        const trailFact = (v: boolean): AccountFact<boolean> =>
          best.length === 0 && trailError !== undefined ? { error: trailError, source: trailSource } : { value: v, source: trailSource };
        return {
          iam: await iam,
          unmapped,
          trailLogging: trailFact(best.length > 0),
          trailValidation: trailFact(best.some((x) => x.validation)),
          trailKms: trailFact(best.some((x) => x.kmsKeyId !== undefined)),
        };
      });
      const perAccount = await Promise.all(accountJobs);

      // Account-wide facts, on the AWS vendor node: the worst of every account, each account in the source.
      const v = vendorSubjects;
      const all = (xs: boolean[]) => xs.every(Boolean);
      const any = (xs: boolean[]) => xs.some(Boolean);
      combine(
        live,
        v,
        LIVE.rootMfa,
        perAccount.map((a) => a.iam.rootMfa),
        all,
        (x) => !x,
      );
      combine(
        live,
        v,
        LIVE.rootAccessKeys,
        perAccount.map((a) => a.iam.rootAccessKeys),
        any,
        (x) => x,
      );
      combine(
        live,
        v,
        LIVE.passwordMinLength,
        perAccount.map((a) => a.iam.passwordMinLength),
        (xs) => Math.min(...xs),
        (x) => x < 14,
      );
      combine(
        live,
        v,
        LIVE.consoleUsersWithoutMfa,
        perAccount.map((a) => a.iam.consoleUsersWithoutMfa),
        (xs) => xs.flat(),
        (x) => x.length > 0,
      );
      combine(
        live,
        v,
        LIVE.trailLogging,
        perAccount.map((a) => a.trailLogging),
        all,
        (x) => !x,
      );
      combine(
        live,
        v,
        LIVE.trailValidation,
        perAccount.map((a) => a.trailValidation),
        all,
        (x) => !x,
      );
      combine(
        live,
        v,
        LIVE.trailKms,
        perAccount.map((a) => a.trailKms),
        all,
        (x) => !x,
      );
      combine(
        live,
        v,
        LIVE.unmappedBuckets,
        perAccount.map((a) => a.unmapped),
        (xs) => xs.flat(),
        (x) => x.length > 0,
      );

      const unavailable = facts
        .observed()
        .filter((f) => f.provenance === 'unavailable')
        .map((f) => ({ subject: f.subject, field: f.field, error: f.error ?? '' }));
      const ids = await Promise.all([...accounts.values()].map(async (a) => ({ a, id: await live.accountId(a) })));
      summary = {
        provider: 'aws',
        accounts: ids.map(({ a, id }) => ({
          id: a.id,
          ...((id ?? a.accountId) ? { account_id: (id ?? a.accountId)! } : {}),
          regions: a.regions,
          ...(a.roleArn ? { role_arn: a.roleArn } : {}),
        })),
        started: options.times?.started ?? started,
        finished: options.times?.finished ?? new Date().toISOString(),
        calls: options.caller.stats().total,
        unavailable,
        from: options.from ?? 'account',
      };
      return { observed: counter.observed, live: summary };
    },
  };
}
