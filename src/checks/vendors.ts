/** Vendor checks: the BAA on file, and what the bundled vendor catalog says of the vendor. */
import { z } from 'zod';
import { dated, findPlan, planName, planNames } from '../enrich/catalog.js';
import { VENDOR_CATEGORIES } from '../enrich/categories.js';
import { defineCheck, fail, notApplicable, pass } from './define.js';
import type { CheckContext, CheckResult } from './types.js';

const none = z.strictObject({});
const text = (ctx: CheckContext, subject: string, field: string): string | undefined => {
  const v = ctx.fact(subject, field).value;
  return typeof v === 'string' ? v : undefined;
};
/** The vendor's id in the bundled catalog: its `catalog` field, else its own id. */
export const catalogId = (ctx: CheckContext, vendor: string): string => text(ctx, vendor, 'catalog') ?? vendor;

/** The vendor's BAA on --as-of, as baa-in-force judges it (also used for a subprocessor's subcontractor BAA). */
export function baaVerdict(vendor: string, ctx: CheckContext): CheckResult {
  const result = agreementOnFile(vendor, ctx);
  // A health care provider receiving PHI for treatment is no business associate (45 CFR 160.103): no BAA is needed.
  if (result.status === 'fail' && text(ctx, vendor, 'role') === 'treatment-provider') return notApplicable;
  return result;
}

function agreementOnFile(vendor: string, ctx: CheckContext): CheckResult {
  const status = text(ctx, vendor, 'baa.status');
  if (status === undefined) return fail('missing', { status: 'undeclared' });
  if (status === 'not-required') return notApplicable;
  if (status !== 'signed') return fail(status, { status });
  const terminated = text(ctx, vendor, 'baa.terminated');
  if (terminated !== undefined && terminated <= ctx.asOf) return fail('terminated', { status, terminated, as_of: ctx.asOf });
  const signed = text(ctx, vendor, 'baa.signed');
  if (signed !== undefined && signed > ctx.asOf) return fail('not-yet', { status, signed, as_of: ctx.asOf });
  const expires = text(ctx, vendor, 'baa.expires');
  if (expires !== undefined && expires <= ctx.asOf) return fail('expired', { status, expires, as_of: ctx.asOf });
  return pass({ status });
}

export const baaInForce = defineCheck({
  name: 'baa-in-force',
  description:
    'fails unless the vendor has a signed BAA in force on --as-of (signed on or before it, not expired, not terminated); not applicable to a `treatment-provider` or a `not-required` claim',
  targets: ['vendor'],
  options: none,
  run: (vendor, _o, ctx) => baaVerdict(vendor.id, ctx),
});

export const baaClaimsNotRequired = defineCheck({
  name: 'baa-not-required-claim',
  description:
    'fails when a vendor that handles PHI is marked `baa.status: not-required`; not applicable to a `role: treatment-provider` (160.103 exempts it, so the claim is justified)',
  targets: ['vendor'],
  options: none,
  run(vendor, _o, ctx) {
    if (text(ctx, vendor.id, 'baa.status') !== 'not-required') return pass();
    return text(ctx, vendor.id, 'role') === 'treatment-provider' ? notApplicable : fail('claim');
  },
});

export const vendorOffersBaa = defineCheck({
  name: 'vendor-offers-baa',
  description:
    "fails when the bundled vendor catalog says the vendor (or its declared `plan`, matched against the plan names the vendor publishes) offers no BAA; unknown when the BAA depends on a plan the map does not name or the catalog does not know, or the catalog could not establish the vendor's or the plan's terms",
  targets: ['vendor'],
  options: none,
  run(vendor, _o, ctx) {
    const entry = ctx.catalog.vendor(catalogId(ctx, vendor.id));
    if (!entry) return notApplicable;
    const plan = text(ctx, vendor.id, 'plan');
    const args = {
      vendor_name: entry.name,
      source: entry.source,
      as_of: entry.as_of,
      dated: dated(entry.as_of),
      reviewed: entry.reviewed,
      plan: plan ?? 'undeclared',
      retention: entry.retention ?? '',
    };
    if (entry.baa === 'available') return pass(args);
    if (entry.baa === 'not-offered') return fail('not-offered', args);
    if (entry.baa === 'unknown') return { status: 'unknown', reason: 'vendor-unknown', args: { ...args, note: trimNote(entry.note) || NO_STATEMENT } };
    if (plan === undefined) return { status: 'unknown', reason: 'no-plan', args: { ...args, plans: planNames(entry) } };
    const found = findPlan(entry, plan);
    if (!found) return { status: 'unknown', reason: 'unknown-plan', args: { ...args, plans: planNames(entry) } };
    const terms = found.plan;
    const planArgs = {
      ...args,
      plan: planName(found.id, terms),
      ...(terms.source !== undefined ? { source: terms.source, as_of: terms.as_of ?? 'undated', dated: dated(terms.as_of ?? 'undated') } : {}),
      ...(terms.reviewed !== undefined ? { reviewed: terms.reviewed } : {}),
      note: trimNote(terms.note),
    };
    if (terms.baa === 'not-offered') return fail('plan-not-offered', { ...planArgs, note: planArgs.note || 'the catalog lists no BAA for it' });
    if (terms.baa === 'unknown') return { status: 'unknown', reason: 'plan-unknown', args: { ...planArgs, note: planArgs.note || NO_STATEMENT } };
    return pass(planArgs);
  },
});

const NO_STATEMENT = 'the catalog found no statement of its terms';
/** A catalog note for a message: without its final period (the message supplies the punctuation). */
const trimNote = (note: string | undefined): string => (note ?? '').replace(/[.\s]+$/, '');

export const catalogCategory = defineCheck({
  name: 'catalog-category',
  description:
    "passes when the vendor's entry in the bundled vendor catalog has one of `categories` (llm-api, observability, error-tracking, ...); not applicable to a vendor the catalog does not list",
  targets: ['vendor'],
  options: z.strictObject({ categories: z.array(z.enum(VENDOR_CATEGORIES)).min(1) }),
  run(vendor, { categories }, ctx) {
    const entry = ctx.catalog.vendor(catalogId(ctx, vendor.id));
    if (!entry) return notApplicable;
    return (categories as readonly string[]).includes(entry.category) ? pass({ category: entry.category }) : fail('other', { category: entry.category });
  },
});
