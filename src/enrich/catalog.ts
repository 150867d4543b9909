/**
 * An evidence source: the bundled catalogs (rules/catalog/*.yaml): the cloud services AWS, Google Cloud and Azure list
 * as HIPAA-eligible (and, where known, as not eligible), and well-known vendors' BAA terms by plan. Every list names
 * its public source, the date that source was as of (`as_of`, or `undated` where the page gives none) and the date
 * it was reviewed here (`reviewed`); an entry read from another page names its own.
 *
 * Lookups have three answers: on the provider's eligible list, listed as NOT eligible, or unknown. A service the
 * catalog does not know is unknown (with the nearest name it does know), never "not eligible": the catalog's copy of
 * a list can be older or smaller than the provider's.
 */
import path from 'node:path';
import { z } from 'zod';
import { InputError, noPosition } from '../source/diagnostics.js';
import { readRegularFile } from '../source/files.js';
import { issuesToDiagnostics } from '../source/issues.js';
import { ID_PATTERN } from '../source/names.js';
import { type Candidates, closest, prepareCandidates } from '../source/suggest.js';
import { parseYaml } from '../source/yaml.js';
import { VENDOR_CATEGORIES, type VendorCategory } from './categories.js';

/** A service, product or plan feature as a list names it. */
export interface ServiceData {
  name: string;
  aliases?: string[];
  note?: string;
  /** Set where this entry was read from another page than its list's. */
  source?: string;
  as_of?: string;
  reviewed?: string;
}

export interface ProviderData {
  name: string;
  aliases?: string[];
  source: string;
  /** YYYY-MM-DD (YYYY-MM where the source gives only a month), or `undated`. */
  as_of: string;
  reviewed: string;
  /** How many services the provider's own list holds, where known: more than `eligible` means our copy is partial. */
  listed?: number;
  note?: string;
  eligible: Record<string, ServiceData>;
  ineligible?: Record<string, ServiceData>;
}

/** What a vendor's BAA covers where it is narrower than the vendor: the rest is unknown, never covered. */
export interface CoverageData {
  covered?: Record<string, ServiceData>;
  excluded?: Record<string, ServiceData>;
  note?: string;
}

export const PLAN_BAA = ['available', 'not-offered', 'unknown'] as const;
export type PlanBaa = (typeof PLAN_BAA)[number];
export const VENDOR_BAA = ['available', 'not-offered', 'plan-dependent', 'unknown'] as const;
export type VendorBaa = (typeof VENDOR_BAA)[number];

export interface PlanData {
  /** The plan's name as the vendor publishes it ("Enterprise Grid", "Business+"). */
  name?: string;
  /** Other published spellings; case, spaces and punctuation are ignored when a map names the plan. */
  aliases?: string[];
  baa: PlanBaa;
  note?: string;
  services?: CoverageData;
  source?: string;
  as_of?: string;
  reviewed?: string;
}

export interface VendorData {
  name: string;
  category: VendorCategory;
  aliases?: string[];
  baa: VendorBaa;
  plans?: Record<string, PlanData>;
  /** What the BAA covers on every plan, where it is narrower than the vendor (a plan's own `services` wins). */
  services?: CoverageData;
  retention?: string;
  source: string;
  as_of: string;
  reviewed: string;
  note?: string;
}

export interface CatalogData {
  cloud: { providers: Record<string, ProviderData> };
  vendors: { vendors: Record<string, VendorData> };
}

// The schemas are built on first use: a scan reads the precompiled catalog and never needs them.
function buildSchemas() {
  const slug = z.string().regex(ID_PATTERN);
  const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date written YYYY-MM-DD');
  const asOf = z.string().regex(/^(\d{4}-\d{2}(-\d{2})?|undated)$/, 'expected the date the source was as of, YYYY-MM-DD (or YYYY-MM), or `undated`');
  const url = z.string().regex(/^https:\/\//, 'sources are https URLs');
  const dated = { source: url.optional(), as_of: asOf.optional(), reviewed: date.optional() };
  const Service = z.strictObject({ name: z.string(), aliases: z.array(slug).optional(), note: z.string().optional(), ...dated });
  const ServiceList = z.record(slug, Service);
  const Coverage = z.strictObject({ covered: ServiceList.optional(), excluded: ServiceList.optional(), note: z.string().optional() });
  // `checked` and `not_eligible` are the names catalogs used before as_of/reviewed and `ineligible`; still read.
  const Provider = z.strictObject({
    name: z.string(),
    aliases: z.array(slug).optional(),
    source: url,
    as_of: asOf.optional(),
    reviewed: date.optional(),
    checked: date.optional().describe('the old name of `reviewed`'),
    listed: z.number().int().positive().optional(),
    note: z.string().optional(),
    eligible: ServiceList,
    ineligible: ServiceList.optional(),
    not_eligible: ServiceList.optional().describe('the old name of `ineligible`'),
  });
  const Plan = z.strictObject({
    name: z.string().optional(),
    aliases: z.array(z.string().min(1)).optional(),
    baa: z.enum(PLAN_BAA),
    note: z.string().optional(),
    services: Coverage.optional(),
    ...dated,
  });
  const Vendor = z.strictObject({
    name: z.string(),
    category: z.enum(VENDOR_CATEGORIES),
    aliases: z.array(slug).optional(),
    baa: z.enum(VENDOR_BAA),
    plans: z.record(slug, Plan).optional(),
    services: Coverage.optional(),
    retention: z.string().optional(),
    source: url,
    as_of: asOf.optional(),
    reviewed: date.optional(),
    checked: date.optional().describe('the old name of `reviewed`'),
    note: z.string().optional(),
  });
  const CloudCatalog = z.strictObject({ providers: z.record(slug, Provider) }).superRefine((c, ctx) => {
    for (const [id, p] of Object.entries(c.providers)) checkList(ctx, ['providers', id], p, [p.eligible, p.ineligible ?? p.not_eligible ?? {}]);
  });
  const VendorCatalog = z.strictObject({ vendors: z.record(slug, Vendor) }).superRefine((c, ctx) => {
    for (const [id, v] of Object.entries(c.vendors)) {
      const at = ['vendors', id];
      checkDated(ctx, at, v);
      if (v.baa === 'plan-dependent' && Object.keys(v.plans ?? {}).length === 0)
        ctx.addIssue({ code: 'custom', path: at, message: 'a plan-dependent BAA lists the plans it depends on (`plans:`)' });
      const seen = new Map<string, string>();
      for (const [planId, plan] of Object.entries(v.plans ?? {})) {
        for (const spelling of [planId, plan.name ?? planId, ...(plan.aliases ?? [])]) {
          const key = planKey(spelling);
          const other = seen.get(key);
          if (other !== undefined && other !== planId)
            ctx.addIssue({ code: 'custom', path: [...at, 'plans', planId], message: `"${spelling}" also names plan ${other}` });
          seen.set(key, planId);
        }
        if (plan.source !== undefined && plan.as_of === undefined)
          ctx.addIssue({
            code: 'custom',
            path: [...at, 'plans', planId],
            message: 'a plan with its own source says what date that source was as of (`as_of:`)',
          });
        if (plan.services) checkCoverage(ctx, [...at, 'plans', planId, 'services'], plan.services);
      }
      if (v.services) checkCoverage(ctx, [...at, 'services'], v.services);
    }
  });
  return { CloudCatalog, VendorCatalog };
}

type Issues = z.core.$RefinementCtx;
type DatedInput = { as_of?: string | undefined; reviewed?: string | undefined; checked?: string | undefined; not_eligible?: unknown; ineligible?: unknown };

function checkDated(ctx: Issues, at: (string | number)[], x: DatedInput): void {
  if (x.reviewed === undefined && x.checked === undefined)
    ctx.addIssue({ code: 'custom', path: at, message: 'say when this list was reviewed: `reviewed: YYYY-MM-DD`' });
  if (x.reviewed !== undefined && x.checked !== undefined)
    ctx.addIssue({ code: 'custom', path: [...at, 'checked'], message: '`checked` is the old name of `reviewed`: give one' });
}

/** Dates present, and no name (id or alias) that means two services. */
function checkList(
  ctx: Issues,
  at: (string | number)[],
  p: DatedInput,
  lists: Record<string, { aliases?: string[] | undefined; source?: string | undefined; as_of?: string | undefined }>[],
): void {
  checkDated(ctx, at, p);
  if (p.ineligible !== undefined && p.not_eligible !== undefined)
    ctx.addIssue({ code: 'custom', path: [...at, 'not_eligible'], message: '`not_eligible` is the old name of `ineligible`: give one' });
  const seen = new Map<string, string>();
  for (const [i, list] of lists.entries()) {
    const section = i === 0 ? 'eligible' : p.ineligible !== undefined ? 'ineligible' : 'not_eligible';
    for (const [id, entry] of Object.entries(list)) {
      for (const name of [id, ...(entry.aliases ?? [])]) {
        const other = seen.get(name);
        if (other !== undefined && other !== id) ctx.addIssue({ code: 'custom', path: [...at, section, id], message: `"${name}" also names ${other}` });
        seen.set(name, id);
      }
      if (entry.source !== undefined && entry.as_of === undefined)
        ctx.addIssue({ code: 'custom', path: [...at, section, id], message: 'an entry with its own source says what date that source was as of (`as_of:`)' });
    }
  }
}

function checkCoverage(
  ctx: Issues,
  at: (string | number)[],
  c: { covered?: Record<string, { aliases?: string[] | undefined }> | undefined; excluded?: Record<string, { aliases?: string[] | undefined }> | undefined },
): void {
  const seen = new Map<string, string>();
  for (const [section, list] of [
    ['covered', c.covered ?? {}],
    ['excluded', c.excluded ?? {}],
  ] as const) {
    for (const [id, entry] of Object.entries(list)) {
      for (const name of [id, ...(entry.aliases ?? [])]) {
        const other = seen.get(name);
        if (other !== undefined && other !== id) ctx.addIssue({ code: 'custom', path: [...at, section, id], message: `"${name}" also names ${other}` });
        seen.set(name, id);
      }
    }
  }
}

type Schemas = ReturnType<typeof buildSchemas>;
let schemas: Schemas | undefined;
const catalogSchemas = (): Schemas => (schemas ??= buildSchemas());

function readCatalog<T>(file: string, schema: z.ZodType<T>, what: string): T {
  const read = readRegularFile(file, 'catalog file');
  if (!read.ok) throw new InputError([noPosition(file, read.message)]);
  const parsed = parseYaml(file, read.text, what);
  if (!parsed.ok) throw new InputError(parsed.diagnostics);
  const result = schema.safeParse(parsed.value);
  if (!result.success) throw new InputError(issuesToDiagnostics(parsed.source, schema, parsed.value, result.error.issues));
  return result.data;
}

type Parsed<K extends keyof Schemas> = z.infer<Schemas[K]>;

/** The parsed files in the one shape the pack stores: old field names read, dates filled in from their list. */
function normalize(cloud: Parsed<'CloudCatalog'>, vendors: Parsed<'VendorCatalog'>): CatalogData {
  const providers: Record<string, ProviderData> = {};
  for (const [id, p] of Object.entries(cloud.providers)) {
    const { checked, not_eligible, ineligible, reviewed, as_of, name, aliases, source, ...rest } = p;
    const out: ProviderData = { name, ...(aliases ? { aliases } : {}), source, as_of: as_of ?? 'undated', reviewed: (reviewed ?? checked)!, ...rest };
    const no = ineligible ?? not_eligible;
    if (no !== undefined) out.ineligible = no;
    providers[id] = out;
  }
  const list: Record<string, VendorData> = {};
  for (const [id, v] of Object.entries(vendors.vendors)) {
    const { checked, reviewed, as_of, source, ...rest } = v;
    list[id] = { ...rest, source, as_of: as_of ?? 'undated', reviewed: (reviewed ?? checked)! };
  }
  return { cloud: { providers }, vendors: { vendors: list } };
}

/** Read and validate the catalog files (YAML, with positions for errors). */
export function readCatalogFiles(dir: string): CatalogData {
  const cloud = readCatalog(path.join(dir, 'cloud-services.yaml'), catalogSchemas().CloudCatalog, 'a cloud service catalog');
  const vendors = readCatalog(path.join(dir, 'vendors.yaml'), catalogSchemas().VendorCatalog, 'a vendor catalog');
  return normalize(cloud, vendors);
}

export function loadCatalog(dir: string): LoadedCatalog {
  return catalogFrom(readCatalogFiles(dir));
}

// ---------------------------------------------------------------------------------------------------- lookups

/** What the catalog says of PROVIDER/SERVICE. */
export interface Eligibility {
  /** The provider's catalog id and name. */
  providerId: string;
  providerName: string;
  /** true: on the provider's HIPAA-eligible list; false: listed as not eligible; undefined: the catalog does not know it. */
  eligible: boolean | undefined;
  /** Listed either way (eligible or not), as opposed to unknown. */
  listed: boolean;
  /** The catalog's id and name of the service, when listed. */
  service?: string | undefined;
  serviceName?: string | undefined;
  note?: string | undefined;
  source: string;
  as_of: string;
  reviewed: string;
  /** The review date (the name evidence has always used). */
  checked: string;
  /** For an unknown service, the nearest name the catalog knows. */
  suggestion?: string | undefined;
  /** The catalog holds fewer of the provider's services than the provider lists, or the count is not known. */
  partial: boolean;
}

export type VendorEntry = VendorData & {
  /** The vendor's catalog id (the key, whatever alias found it). */
  readonly id: string;
  /** The review date (the name evidence has always used). */
  readonly checked: string;
};

/** What the checks ask of a catalog; a caller may hand in its own (see `audit()`). */
export interface Catalog {
  /** Undefined when the catalog has no list for the provider; `service` '' asks about the provider alone. */
  serviceEligibility(provider: string, service: string): Eligibility | undefined;
  /** The catalog's own slug for a provider's service or one of its aliases; undefined when unknown. */
  canonicalService(provider: string, service: string): string | undefined;
  vendor(id: string): VendorEntry | undefined;
}

/** A catalog built from catalog data, which can also list what it holds (`phi-audit catalog`). */
export interface LoadedCatalog extends Catalog {
  /** The provider's catalog id (resolving aliases), or undefined. */
  providerId(id: string): string | undefined;
  /** Every name (ids and aliases) of the providers and vendors, for a "did you mean". */
  names(): { providers: string[]; vendors: string[] };
  /** The data the catalog was built from. */
  readonly data: CatalogData;
}

/** A source's date for a message: "as of 2026-05-22", or "undated". */
export const dated = (asOf: string): string => (asOf === 'undated' ? 'undated' : `as of ${asOf}`);

/** A name as users write it: lower case, `_` read as `-`. */
const slugOf = (s: string): string => s.trim().toLowerCase().replaceAll('_', '-');

/** A plan name compared without case, spaces or punctuation; `+` reads as "plus" (Business+ is business-plus). */
export function planKey(s: string): string {
  return s
    .toLowerCase()
    .replaceAll('+', 'plus')
    .replace(/[^a-z0-9]/g, '');
}

interface IndexedList {
  byName: Map<string, string>;
  candidates: Candidates;
}

function indexList(lists: readonly (Record<string, ServiceData> | undefined)[]): IndexedList {
  const byName = new Map<string, string>();
  for (const list of lists) {
    for (const [id, entry] of Object.entries(list ?? {})) {
      byName.set(id, id);
      for (const a of entry.aliases ?? []) byName.set(a, id);
    }
  }
  return { byName, candidates: prepareCandidates([...byName.keys()]) };
}

export function catalogFrom(data: CatalogData): LoadedCatalog {
  const { cloud, vendors } = data;
  const providers = new Map<string, string>();
  for (const [id, p] of Object.entries(cloud.providers)) {
    providers.set(id, id);
    for (const a of p.aliases ?? []) providers.set(a, id);
  }
  const vendorIndex = new Map<string, VendorEntry>();
  for (const [id, v] of Object.entries(vendors.vendors)) {
    const entry: VendorEntry = { ...v, id, checked: v.reviewed };
    vendorIndex.set(id, entry);
    for (const a of v.aliases ?? []) vendorIndex.set(a, entry);
  }
  const lists = new Map<string, IndexedList>();
  const listOf = (id: string): IndexedList => {
    let l = lists.get(id);
    if (!l) {
      const p = cloud.providers[id]!;
      lists.set(id, (l = indexList([p.eligible, p.ineligible])));
    }
    return l;
  };
  const providerOf = (name: string): [string, ProviderData] | undefined => {
    const id = providers.get(slugOf(name));
    return id === undefined ? undefined : [id, cloud.providers[id]!];
  };

  return {
    data,
    serviceEligibility(provider, service) {
      const found = providerOf(provider);
      if (!found) return undefined;
      const [id, p] = found;
      const partial = p.listed === undefined || Object.keys(p.eligible).length < p.listed;
      const base = { providerId: id, providerName: p.name, source: p.source, as_of: p.as_of, reviewed: p.reviewed, checked: p.reviewed, partial };
      if (service === '') return { ...base, eligible: undefined, listed: false };
      const s = slugOf(service);
      const index = listOf(id);
      const key = index.byName.get(s);
      if (key === undefined) return { ...base, eligible: undefined, listed: false, suggestion: closest(s, index.candidates) };
      const yes = Object.hasOwn(p.eligible, key);
      const entry = (yes ? p.eligible[key] : p.ineligible?.[key])!;
      return {
        ...base,
        ...(entry.source !== undefined ? { source: entry.source, as_of: entry.as_of ?? 'undated' } : {}),
        ...(entry.reviewed !== undefined ? { reviewed: entry.reviewed, checked: entry.reviewed } : {}),
        eligible: yes,
        listed: true,
        service: key,
        serviceName: entry.name,
        note: entry.note,
      };
    },
    canonicalService(provider, service) {
      const found = providerOf(provider);
      return found ? listOf(found[0]).byName.get(slugOf(service)) : undefined;
    },
    vendor: (id) => vendorIndex.get(slugOf(id)),
    providerId: (id) => providers.get(slugOf(id)),
    names: () => ({ providers: [...providers.keys()], vendors: [...vendorIndex.keys()] }),
  };
}

// ---------------------------------------------------------------------------------------------------- vendor terms

/** The plan a map names, matched against the catalog's ids, published names and spellings. */
export function findPlan(entry: VendorData, plan: string): { id: string; plan: PlanData } | undefined {
  const key = planKey(plan);
  if (key === '') return undefined;
  for (const [id, p] of Object.entries(entry.plans ?? {})) {
    if ([id, p.name ?? id, ...(p.aliases ?? [])].some((s) => planKey(s) === key)) return { id, plan: p };
  }
  return undefined;
}

/** A plan as people know it: its published name, else its id. */
export const planName = (id: string, plan: PlanData): string => plan.name ?? id;

/** The plans, by published name, for a message. */
export const planNames = (entry: VendorData): string =>
  Object.entries(entry.plans ?? {})
    .map(([id, p]) => planName(id, p))
    .join(', ');

export interface Coverage extends CoverageData {
  /** The plan it belongs to (its published name), or undefined for the vendor as a whole. */
  plan?: string | undefined;
  source: string;
  as_of: string;
  reviewed: string;
}

/** What the vendor's BAA covers on a plan (or on every plan), where the catalog says it is narrower than the vendor. */
export function coverageFor(entry: VendorData, plan: string | undefined): Coverage | undefined {
  const found = plan === undefined ? undefined : findPlan(entry, plan);
  const dates = (x: { source?: string | undefined; as_of?: string | undefined; reviewed?: string | undefined }) => ({
    source: x.source ?? entry.source,
    as_of: x.source !== undefined ? (x.as_of ?? 'undated') : entry.as_of,
    reviewed: x.reviewed ?? entry.reviewed,
  });
  if (found?.plan.services) return { ...found.plan.services, plan: planName(found.id, found.plan), ...dates(found.plan) };
  if (entry.services) return { ...entry.services, ...dates({}) };
  return undefined;
}

export type CoverageVerdict =
  | { covered: true; id: string; name: string }
  | { covered: false; id: string; name: string; note?: string | undefined }
  | { covered: undefined; suggestion?: string | undefined };

/** Whether a coverage list covers SERVICE: covered, excluded (covered: false) or unknown. */
export function serviceCoverage(coverage: CoverageData, service: string): CoverageVerdict {
  const s = slugOf(service);
  const index = indexList([coverage.covered, coverage.excluded]);
  const id = index.byName.get(s);
  if (id === undefined) return { covered: undefined, suggestion: closest(s, index.candidates) };
  if (coverage.covered && Object.hasOwn(coverage.covered, id)) return { covered: true, id, name: coverage.covered[id]!.name };
  const entry = coverage.excluded![id]!;
  return { covered: false, id, name: entry.name, note: entry.note };
}

/** Service ids in a coverage list, by published name, for a message. */
export const coveredNames = (coverage: CoverageData): string =>
  Object.values(coverage.covered ?? {})
    .map((e) => e.name)
    .join(', ') || 'nothing';

/**
 * The services a piece of free text names (a flow's id, purpose and description): whole words only, a multi-word
 * alias (`incoming-webhook`) as consecutive words. Excluded services come first: "a message through a webhook" is
 * a webhook.
 */
export function servicesNamed(coverage: CoverageData, text: string): { covered: string[]; excluded: string[] } {
  const words = text
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  const has = (name: string): boolean => {
    const parts = name
      .toLowerCase()
      .split(/[^a-z0-9]+/)
      .filter(Boolean);
    if (parts.length === 0) return false;
    for (let i = 0; i + parts.length <= words.length; i++) if (parts.every((p, j) => words[i + j] === p)) return true;
    return false;
  };
  const hits = (list: Record<string, ServiceData> | undefined) =>
    Object.entries(list ?? {})
      .filter(([id, e]) => [id, ...(e.aliases ?? [])].some(has))
      .map(([id]) => id);
  return { covered: hits(coverage.covered), excluded: hits(coverage.excluded) };
}
