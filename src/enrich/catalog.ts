/**
 * An evidence source: the bundled catalogs (rules/catalog/*.yaml): cloud services the big providers list as HIPAA-eligible, and
 * well-known vendors' BAA availability. Each entry names its public source and the date it was checked.
 */
import path from 'node:path';
import { z } from 'zod';
import { InputError, noPosition } from '../source/diagnostics.js';
import { readRegularFile } from '../source/files.js';
import { issuesToDiagnostics } from '../source/issues.js';
import { ID_PATTERN } from '../source/names.js';
import { parseYaml } from '../source/yaml.js';

// The schemas are built on first use: a scan reads the precompiled catalog and never needs them.
function buildSchemas() {
  const slug = z.string().regex(ID_PATTERN);
  const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
  const url = z.string().regex(/^https:\/\//, 'sources are https URLs');
  const ServiceEntry = z.strictObject({ name: z.string(), aliases: z.array(slug).optional(), note: z.string().optional() });
  const CloudCatalog = z.strictObject({
    providers: z.record(
      slug,
      z.strictObject({
        name: z.string(),
        aliases: z.array(slug).optional(),
        source: url,
        checked: date,
        note: z.string().optional(),
        eligible: z.record(slug, ServiceEntry),
        not_eligible: z.record(slug, ServiceEntry).optional(),
      }),
    ),
  });
  const BaaAvailability = z.enum(['available', 'not-offered', 'plan-dependent', 'unknown']);
  const VendorCatalog = z.strictObject({
    vendors: z.record(
      slug,
      z.strictObject({
        name: z.string(),
        category: z.string(),
        aliases: z.array(slug).optional(),
        baa: BaaAvailability,
        plans: z.record(slug, z.strictObject({ baa: z.enum(['available', 'not-offered', 'unknown']), note: z.string().optional() })).optional(),
        retention: z.string().optional(),
        source: url,
        checked: date,
        note: z.string().optional(),
      }),
    ),
  });
  return { CloudCatalog, VendorCatalog, ServiceEntry };
}

type Schemas = ReturnType<typeof buildSchemas>;
let schemas: Schemas | undefined;
const catalogSchemas = (): Schemas => (schemas ??= buildSchemas());

type CloudCatalogData = z.infer<Schemas['CloudCatalog']>;
type VendorCatalogData = z.infer<Schemas['VendorCatalog']>;
type ServiceEntryData = z.infer<Schemas['ServiceEntry']>;

export type VendorEntry = VendorCatalogData['vendors'][string];

export interface Eligibility {
  providerName: string;
  eligible: boolean;
  /** Listed as not eligible, as opposed to simply absent from the list. */
  listed: boolean;
  note?: string | undefined;
  source: string;
  checked: string;
}

export interface Catalog {
  /** Undefined when the provider is not in the catalog. */
  serviceEligibility(provider: string, service: string): Eligibility | undefined;
  /** The catalog's own slug for a provider's service or one of its aliases; undefined when unknown. */
  canonicalService(provider: string, service: string): string | undefined;
  vendor(id: string): VendorEntry | undefined;
}

function readCatalog<T>(file: string, schema: z.ZodType<T>, what: string): T {
  const read = readRegularFile(file, 'catalog file');
  if (!read.ok) throw new InputError([noPosition(file, read.message)]);
  const parsed = parseYaml(file, read.text, what);
  if (!parsed.ok) throw new InputError(parsed.diagnostics);
  const result = schema.safeParse(parsed.value);
  if (!result.success) throw new InputError(issuesToDiagnostics(parsed.source, schema, parsed.value, result.error.issues));
  return result.data;
}

export interface CatalogData {
  cloud: CloudCatalogData;
  vendors: VendorCatalogData;
}

/** Read and validate the catalog files (YAML, with positions for errors). */
export function readCatalogFiles(dir: string): CatalogData {
  return {
    cloud: readCatalog(path.join(dir, 'cloud-services.yaml'), catalogSchemas().CloudCatalog, 'a cloud service catalog'),
    vendors: readCatalog(path.join(dir, 'vendors.yaml'), catalogSchemas().VendorCatalog, 'a vendor catalog'),
  };
}

export function loadCatalog(dir: string): Catalog {
  return catalogFrom(readCatalogFiles(dir));
}

export function catalogFrom({ cloud, vendors }: CatalogData): Catalog {
  const providers = new Map<string, CloudCatalogData['providers'][string]>();
  for (const [id, p] of Object.entries(cloud.providers)) {
    providers.set(id, p);
    for (const a of p.aliases ?? []) providers.set(a, p);
  }
  const vendorIndex = new Map<string, VendorEntry>();
  for (const [id, v] of Object.entries(vendors.vendors)) {
    vendorIndex.set(id, v);
    for (const a of v.aliases ?? []) vendorIndex.set(a, v);
  }
  const lookup = (list: Record<string, ServiceEntryData> | undefined, service: string) => {
    if (!list) return undefined;
    if (Object.hasOwn(list, service)) return list[service];
    return Object.values(list).find((e) => e.aliases?.includes(service));
  };

  return {
    serviceEligibility(provider, service) {
      const p = providers.get(provider);
      // A provider whose list is not filled in yet can tell nothing about eligibility.
      if (!p || Object.keys(p.eligible).length === 0) return undefined;
      const base = { providerName: p.name, source: p.source, checked: p.checked };
      const yes = lookup(p.eligible, service);
      if (yes) return { ...base, eligible: true, listed: true, note: yes.note };
      const no = lookup(p.not_eligible, service);
      return { ...base, eligible: false, listed: no !== undefined, note: no?.note };
    },
    canonicalService(provider, service) {
      const p = providers.get(provider);
      if (!p) return undefined;
      for (const list of [p.eligible, p.not_eligible ?? {}]) {
        if (Object.hasOwn(list, service)) return service;
        const hit = Object.entries(list).find(([, e]) => e.aliases?.includes(service));
        if (hit) return hit[0];
      }
      return undefined;
    },
    vendor: (id) => vendorIndex.get(id),
  };
}
