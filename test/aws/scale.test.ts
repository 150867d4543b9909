/** The benchmark's generated estate: 1,000 buckets across three accounts, its map, and the server under that load. */
import { GetBucketEncryptionCommand, paginateListBuckets, S3Client } from '@aws-sdk/client-s3';
import { fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import { describe, expect, it } from 'vitest';
import { mapOf } from '../support/audit.js';
import { loadAwsServer } from './load.mjs';
import { SCALE_ROLE, scaleFixture, scaleMap } from './scale.js';
import { startAwsServer } from './server.js';

describe('the scale fixture', () => {
  it('spreads 1,000 buckets over three accounts and two regions, deterministically', () => {
    const f = scaleFixture();
    expect(Object.keys(f.accounts)).toEqual(['scale-0', 'scale-1', 'scale-2']);
    const counts = Object.values(f.accounts).map((a) => Object.keys(a.s3?.buckets ?? {}).length);
    expect(counts).toEqual([334, 333, 333]);
    const regions = Object.values(f.accounts).flatMap((a) => Object.values(a.s3?.buckets ?? {}).map((b) => b?.region));
    expect(regions.filter((r) => r === 'us-west-2')).toHaveLength(50);
    expect(JSON.stringify(scaleFixture())).toBe(JSON.stringify(f));
    expect(Object.keys(scaleFixture({ buckets: 10, accounts: 2 }).accounts)).toHaveLength(2);
  });

  it('comes with a valid PHI map that names every bucket under its account', () => {
    const f = scaleFixture({ buckets: 60 });
    const map = mapOf(scaleMap(f), 'scale.phi.yaml');
    const stores = [...map.nodes.values()].filter((n) => n.type === 'store');
    expect(stores).toHaveLength(60);
    expect(map.nodes.get('phi-bucket-0001')?.spec).toMatchObject({ account: 'scale-1', resource: 'phi-bucket-0001', hosting: 'aws/s3' });
    expect(map.accounts?.get('scale-2')?.spec.role_arn).toBe(`arn:aws:iam::300000000002:role/${SCALE_ROLE}`);
    expect(map.accounts?.get('scale-0')?.spec.role_arn).toBeUndefined();
    expect(map.flows).toHaveLength(60);
  });
});

describe('the server under the benchmark load', () => {
  it('answers 1,000 bucket reads across three accounts at 20 ms latency, counting calls and the in-flight peak', { timeout: 90_000 }, async () => {
    const aws = await startAwsServer({ state: scaleFixture(), latencyMs: 20 });
    try {
      const base = aws.credentials('scale-0');
      const creds = (account: string) =>
        account === 'scale-0'
          ? base
          : fromTemporaryCredentials({
              params: { RoleArn: aws.roleArn(account, SCALE_ROLE), RoleSessionName: 'bench' },
              masterCredentials: base,
              clientConfig: { endpoint: aws.url, region: 'us-east-1' },
            });
      const jobs: (() => Promise<unknown>)[] = [];
      for (const account of ['scale-0', 'scale-1', 'scale-2']) {
        const clients = new Map<string, S3Client>();
        const credentials = creds(account);
        const client = (region: string) => {
          if (!clients.has(region)) clients.set(region, new S3Client({ endpoint: aws.url, region, credentials }));
          return clients.get(region) as S3Client;
        };
        for await (const page of paginateListBuckets({ client: client('us-east-1'), pageSize: 1000 }, {})) {
          for (const b of page.Buckets ?? []) {
            jobs.push(async () => {
              const out = await client(b.BucketRegion ?? 'us-east-1').send(new GetBucketEncryptionCommand({ Bucket: b.Name }));
              return out.ServerSideEncryptionConfiguration?.Rules?.[0]?.ApplyServerSideEncryptionByDefault?.SSEAlgorithm;
            });
          }
        }
      }
      expect(jobs).toHaveLength(1000);
      aws.reset();
      const started = Date.now();
      const results: unknown[] = [];
      const limit = 24;
      let next = 0;
      await Promise.all(
        Array.from({ length: limit }, async () => {
          while (next < jobs.length) results.push(await (jobs[next++] as () => Promise<unknown>)());
        }),
      );
      const wall = Date.now() - started;
      const stats = aws.stats();
      expect(results.filter((r) => r === 'aws:kms')).toHaveLength(500);
      expect(results.filter((r) => r === 'AES256')).toHaveLength(500);
      expect(stats.byAction['s3:GetBucketEncryption']).toBe(1000);
      const perAccount = (account: string) => aws.calls({ action: 'GetBucketEncryption', account }).length;
      expect([perAccount('scale-0'), perAccount('scale-1'), perAccount('scale-2')]).toEqual([334, 333, 333]);
      // the base keys' account also made the two AssumeRole calls
      expect(stats.byAccount).toEqual({ 'scale-0': 336, 'scale-1': 333, 'scale-2': 333 });
      expect(stats.byAction['sts:AssumeRole']).toBe(2);
      expect(stats.peakInFlight).toBeLessThanOrEqual(limit);
      expect(stats.peakInFlight).toBeGreaterThan(limit / 2);
      // 1,000 calls of 20 ms, 24 at a time, is at least 0.83 s; the SDK's own CPU cost comes on top
      expect(wall).toBeGreaterThanOrEqual(800);
      expect(wall).toBeLessThan(45_000); // only a sanity bound: the machine is shared
    } finally {
      await aws.close();
    }
  });

  it('loads from a plain .mjs script through test/aws/load.mjs (what bench/ uses)', { timeout: 60_000 }, async () => {
    const mod = await loadAwsServer();
    const aws = await mod.startAwsServer({ state: mod.scaleFixture({ buckets: 9 }) });
    try {
      expect(aws.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect([...aws.state.accounts.values()].map((a) => a.s3.buckets.size)).toEqual([3, 3, 3]);
    } finally {
      await aws.close();
    }
  });
});
