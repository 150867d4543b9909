/**
 * CloudTrail: the trails of an account (each region it is checked in), whether each is logging now, multi-region,
 * validated and KMS-encrypted, and which S3 buckets its data-event selectors (basic or advanced) record reads for.
 */
import type { AccountRef } from './accounts.js';
import type { LiveContext } from './context.js';

export interface Trail {
  readonly name: string;
  readonly arn: string;
  readonly homeRegion: string;
  readonly multiRegion: boolean;
  readonly validation: boolean;
  readonly kmsKeyId?: string | undefined;
  readonly bucket?: string | undefined;
  /** undefined when GetTrailStatus failed. */
  readonly logging: boolean | undefined;
  readonly statusError?: unknown;
  /** Whether it records S3 object reads for a bucket; undefined when its selectors could not be read. */
  covers(bucket: string): boolean | undefined;
  readonly selectorsError?: unknown;
}

export type AccountTrails = { trails: Trail[]; error?: undefined } | { trails: Trail[]; error: unknown };

interface DataResource {
  Type?: string;
  Values?: string[];
}
interface Selectors {
  EventSelectors?: { ReadWriteType?: string; DataResources?: DataResource[] }[];
  AdvancedEventSelectors?: {
    FieldSelectors?: { Field?: string; Equals?: string[]; StartsWith?: string[]; NotEquals?: string[]; NotStartsWith?: string[] }[];
  }[];
}

/** A selector value naming all buckets, or this whole bucket. */
function namesBucket(value: string, bucket: string): boolean {
  const v = value.replace(/^arn:aws[a-z-]*:/, 'arn:aws:');
  return v === 'arn:aws:s3' || v === 'arn:aws:s3:::' || v === `arn:aws:s3:::${bucket}/` || v === `arn:aws:s3:::${bucket}`;
}

export function selectorsCover(sel: Selectors, bucket: string): boolean {
  for (const s of sel.EventSelectors ?? []) {
    if (s.ReadWriteType === 'WriteOnly') continue;
    for (const r of s.DataResources ?? []) if (r.Type === 'AWS::S3::Object' && (r.Values ?? []).some((v) => namesBucket(v, bucket))) return true;
  }
  for (const a of sel.AdvancedEventSelectors ?? []) {
    const fields = a.FieldSelectors ?? [];
    const get = (name: string) => fields.find((f) => f.Field === name);
    if (!get('eventCategory')?.Equals?.includes('Data')) continue;
    if (!get('resources.type')?.Equals?.includes('AWS::S3::Object')) continue;
    if (get('readOnly')?.Equals?.includes('false')) continue;
    const arn = get('resources.ARN');
    if (!arn) return true;
    if ((arn.StartsWith ?? []).some((v) => namesBucket(v, bucket)) || (arn.Equals ?? []).some((v) => namesBucket(v, bucket))) return true;
  }
  return false;
}

export async function accountTrails(live: LiveContext, account: AccountRef): Promise<AccountTrails> {
  type Raw = {
    Name?: string;
    TrailARN?: string;
    HomeRegion?: string;
    IsMultiRegionTrail?: boolean;
    LogFileValidationEnabled?: boolean;
    KmsKeyId?: string;
    S3BucketName?: string;
  };
  const seen = new Map<string, Raw>();
  let error: unknown;
  await Promise.all(
    account.regions.map(async (region) => {
      try {
        const out = await live.call<{ trailList?: Raw[] }>(account, region, 'cloudtrail:DescribeTrails', { includeShadowTrails: true });
        for (const t of out.trailList ?? []) if (t.TrailARN && !seen.has(t.TrailARN)) seen.set(t.TrailARN, { ...t, HomeRegion: t.HomeRegion ?? region });
      } catch (err) {
        error ??= err;
      }
    }),
  );
  const trails = await Promise.all(
    [...seen.values()].map(async (t): Promise<Trail> => {
      const region = t.HomeRegion!;
      const [status, selectors] = await Promise.all([
        live.call<{ IsLogging?: boolean }>(account, region, 'cloudtrail:GetTrailStatus', { Name: t.TrailARN }).then(
          (s) => ({ logging: s.IsLogging === true }),
          (err: unknown) => ({ logging: undefined, err }),
        ),
        live.call<Selectors>(account, region, 'cloudtrail:GetEventSelectors', { TrailName: t.TrailARN }).then(
          (s) => ({ sel: s }),
          (err: unknown) => ({ sel: undefined, err }),
        ),
      ]);
      return {
        name: t.Name ?? t.TrailARN!,
        arn: t.TrailARN!,
        homeRegion: region,
        multiRegion: t.IsMultiRegionTrail === true,
        validation: t.LogFileValidationEnabled === true,
        kmsKeyId: t.KmsKeyId,
        bucket: t.S3BucketName,
        logging: status.logging,
        statusError: 'err' in status ? status.err : undefined,
        selectorsError: 'err' in selectors ? selectors.err : undefined,
        covers: (bucket) => (selectors.sel ? selectorsCover(selectors.sel, bucket) : undefined),
      };
    }),
  );
  return error !== undefined ? { trails, error } : { trails };
}

/**
 * Whether reads of a bucket in `region` are recorded: true when a logging trail (multi-region, or at home there)
 * covers it; undefined when that cannot be established (a trail or its selectors could not be read).
 */
export function dataEventsFor(t: AccountTrails, bucket: string, region: string): { covered: boolean | undefined; by?: string; error?: unknown } {
  let error: unknown = t.error;
  for (const trail of t.trails) {
    if (!trail.multiRegion && trail.homeRegion !== region) continue;
    const c = trail.covers(bucket);
    if (trail.logging === true && c === true) return { covered: true, by: trail.name };
    if (trail.logging === undefined && c !== false) error ??= trail.statusError;
    if (c === undefined) error ??= trail.selectorsError;
  }
  return error !== undefined ? { covered: undefined, error } : { covered: false };
}
