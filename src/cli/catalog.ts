/**
 * `phi-audit catalog [PROVIDER|VENDOR]`: what the bundled catalogs know, with the source of every list, the date that
 * source was as of and the date it was reviewed. With no name: the providers (with counts) and the vendors. With a
 * provider: its eligible and ineligible services and their aliases. With a vendor: its BAA terms, plans and the
 * services its BAA covers.
 */
import {
  type CatalogData,
  type CoverageData,
  catalogFrom,
  type PlanData,
  type ProviderData,
  readCatalogFiles,
  type ServiceData,
  type VendorData,
} from '../enrich/catalog.js';
import { catalogDir } from '../package.js';
import { readPack } from '../rules/pack.js';
import { InputError, noPosition } from '../source/diagnostics.js';
import { closest } from '../source/suggest.js';
import { EXIT, type ExitCode } from './exit.js';

type Format = 'text' | 'json';

export async function catalogCommand(name: string | undefined, flags: { format: Format }): Promise<ExitCode> {
  // The bundled catalogs, from the rule pack while it is current, else from their YAML.
  const catalog = catalogFrom(readPack()?.catalog ?? readCatalogFiles(catalogDir()));
  const { data } = catalog;
  let out: string;
  if (name === undefined) out = flags.format === 'json' ? json(overview(data)) : overviewText(data);
  else {
    const providerId = catalog.providerId(name);
    const vendor = catalog.vendor(name);
    if (providerId !== undefined) {
      const p = data.cloud.providers[providerId]!;
      out = flags.format === 'json' ? json({ kind: 'provider', id: providerId, ...p }) : providerText(providerId, p);
    } else if (vendor) {
      const { id, checked: _checked, ...v } = vendor;
      out = flags.format === 'json' ? json({ kind: 'vendor', id, ...v }) : vendorText(id, v);
    } else {
      const names = catalog.names();
      const hint = closest(name, [...names.providers, ...names.vendors]);
      throw new InputError([
        noPosition(
          name,
          `no provider or vendor of this name in the bundled catalogs${hint ? `: did you mean "${hint}"?` : ''} (\`phi-audit catalog\` lists them)`,
        ),
      ]);
    }
  }
  process.stdout.write(out);
  return EXIT.clean;
}

const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

const count = (list: Record<string, unknown> | undefined): number => Object.keys(list ?? {}).length;

/** "as of 2026-05-22, reviewed 2026-12-06", or "undated, reviewed ..." */
const dates = (x: { as_of?: string | undefined; reviewed?: string | undefined }): string =>
  `${x.as_of === undefined || x.as_of === 'undated' ? 'source undated' : `as of ${x.as_of}`}${x.reviewed ? `, reviewed ${x.reviewed}` : ''}`;

function coverageOf(p: ProviderData): string {
  const n = count(p.eligible);
  if (p.listed === undefined) return `${n} eligible (partial: the provider's count is not known)`;
  return n < p.listed ? `${n} eligible of ${p.listed} listed (partial)` : `${n} eligible of ${p.listed} listed`;
}

function overview(data: CatalogData) {
  return {
    providers: Object.entries(data.cloud.providers).map(([id, p]) => ({
      id,
      name: p.name,
      aliases: p.aliases ?? [],
      eligible: count(p.eligible),
      ineligible: count(p.ineligible),
      listed: p.listed ?? null,
      partial: p.listed === undefined || count(p.eligible) < p.listed,
      source: p.source,
      as_of: p.as_of,
      reviewed: p.reviewed,
    })),
    vendors: Object.entries(data.vendors.vendors).map(([id, v]) => ({
      id,
      name: v.name,
      category: v.category,
      baa: v.baa,
      plans: Object.entries(v.plans ?? {}).map(([pid, plan]) => ({ id: pid, name: plan.name ?? pid, baa: plan.baa })),
      source: v.source,
      as_of: v.as_of,
      reviewed: v.reviewed,
    })),
  };
}

/** Rows of cells as aligned columns. */
function table(rows: readonly (readonly string[])[], indent = '  '): string {
  const widths: number[] = [];
  for (const r of rows) for (const [i, c] of r.entries()) widths[i] = Math.max(widths[i] ?? 0, c.length);
  return rows.map((r) => `${indent}${r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ')}`.trimEnd()).join('\n');
}

const BAA_WORDS: Record<string, string> = {
  available: 'BAA available',
  'not-offered': 'no BAA',
  'plan-dependent': 'BAA on some plans',
  unknown: 'BAA unknown',
};

const OFFER_WORDS: Record<string, string> = {
  available: 'offered',
  'not-offered': 'not offered',
  'plan-dependent': 'offered on some plans',
  unknown: 'not established',
};

function overviewText(data: CatalogData): string {
  const providers = Object.entries(data.cloud.providers).map(([id, p]) => [id, p.name, `${coverageOf(p)}, ${count(p.ineligible)} not eligible`, dates(p)]);
  const vendors = Object.entries(data.vendors.vendors).map(([id, v]) => [id, v.name, v.category, BAA_WORDS[v.baa]!, dates(v)]);
  return [
    'Cloud providers: the services each lists as HIPAA-eligible (phi-audit catalog PROVIDER shows the list)',
    table(providers),
    '',
    'Vendors: whether each offers a BAA, and on which plans (phi-audit catalog VENDOR shows the terms)',
    table(vendors),
    '',
    'A service or plan a list does not name is unknown, never "not eligible". Sources and dates are each list\'s own.',
    '',
  ].join('\n');
}

const also = (aliases: readonly string[] | undefined): string => (aliases?.length ? `also ${aliases.join(', ')}` : '');

function serviceRows(list: Record<string, ServiceData>): string[][] {
  return Object.entries(list)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([id, s]) => [id, s.name, also(s.aliases)]);
}

function notes(list: Record<string, ServiceData>, indent: string): string[] {
  const out: string[] = [];
  for (const [id, s] of Object.entries(list).sort(([a], [b]) => a.localeCompare(b))) {
    const own = s.source !== undefined ? ` (${s.source}, ${dates(s)})` : '';
    if (s.note !== undefined || own) out.push(`${indent}${id}: ${s.note ?? ''}${own}`);
  }
  return out;
}

function providerText(id: string, p: ProviderData): string {
  const lines = [`${p.name} (${id}${p.aliases?.length ? `; ${also(p.aliases)}` : ''})`, `Source: ${p.source}`, `Dates: ${dates(p)}. ${coverageOf(p)}.`];
  if (p.note) lines.push(`Note: ${p.note}`);
  lines.push('', `HIPAA-eligible (${count(p.eligible)}):`, table(serviceRows(p.eligible)));
  const eligibleNotes = notes(p.eligible, '  ');
  if (eligibleNotes.length > 0) lines.push('', 'Notes on eligible services:', ...eligibleNotes);
  if (count(p.ineligible) > 0) lines.push('', `Not eligible (${count(p.ineligible)}):`, table(serviceRows(p.ineligible!)), ...notes(p.ineligible!, '  '));
  lines.push('', `A service not listed here is unknown to phi-audit, not "not eligible": check the source, or write the name the list uses.`, '');
  return lines.join('\n');
}

function coverageText(c: CoverageData, indent: string): string[] {
  const names = (list: Record<string, ServiceData> | undefined) =>
    Object.entries(list ?? {}).map(([id, s]) => `${s.name} (${[id, ...(s.aliases ?? [])].join(', ')})`);
  const lines: string[] = [];
  if (c.covered) lines.push(`${indent}Covered: ${names(c.covered).join('; ')}`);
  if (c.excluded) lines.push(`${indent}Not covered: ${names(c.excluded).join('; ')}`);
  lines.push(`${indent}Anything else: unknown.`);
  if (c.note) lines.push(`${indent}${c.note}`);
  return lines;
}

function planText(id: string, plan: PlanData): string[] {
  const spellings = [id, ...(plan.aliases ?? [])].join(', ');
  const lines = [`  ${plan.name ?? id} (${spellings}): ${BAA_WORDS[plan.baa]!}`];
  if (plan.note) lines.push(`      ${plan.note}`);
  if (plan.source) lines.push(`      Source: ${plan.source} (${dates(plan)})`);
  else if (plan.reviewed) lines.push(`      Reviewed ${plan.reviewed}`);
  if (plan.services) lines.push(...coverageText(plan.services, '      '));
  return lines;
}

function vendorText(id: string, v: VendorData): string {
  const lines = [
    `${v.name} (${id}${v.aliases?.length ? `; ${also(v.aliases)}` : ''}), ${v.category}`,
    `BAA: ${OFFER_WORDS[v.baa]!}`,
    `Source: ${v.source}`,
    `Dates: ${dates(v)}`,
  ];
  if (v.plans)
    lines.push(
      '',
      'Plans (a map may write the id or any published name; case and spaces are ignored):',
      ...Object.entries(v.plans).flatMap(([pid, p]) => planText(pid, p)),
    );
  if (v.services) lines.push('', 'Services its BAA covers, on every plan:', ...coverageText(v.services, '  '));
  if (v.retention) lines.push('', `Retention: ${v.retention}`);
  if (v.note) lines.push('', `Note: ${v.note}`);
  lines.push('');
  return lines.join('\n');
}
