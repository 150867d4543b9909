/** Vendor checks: the BAA on file, and what the bundled vendor catalog says of the vendor. */
import { z } from 'zod';
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
  description: 'fails when a vendor that handles PHI is marked `baa.status: not-required`',
  targets: ['vendor'],
  options: none,
  run(vendor, _o, ctx) {
    return text(ctx, vendor.id, 'baa.status') === 'not-required' ? fail('claim') : pass();
  },
});

export const vendorOffersBaa = defineCheck({
  name: 'vendor-offers-baa',
  description:
    'fails when the bundled vendor catalog says the vendor (or its declared `plan`) offers no BAA; unknown when the BAA depends on a plan the map does not name',
  targets: ['vendor'],
  options: none,
  run(vendor, _o, ctx) {
    const entry = ctx.catalog.vendor(catalogId(ctx, vendor.id));
    if (!entry) return notApplicable;
    const plan = text(ctx, vendor.id, 'plan');
    const args = { vendor_name: entry.name, source: entry.source, checked: entry.checked, plan: plan ?? 'undeclared', retention: entry.retention ?? '' };
    const plans = Object.keys(entry.plans ?? {}).join(', ');
    if (entry.baa === 'available') return pass(args);
    if (entry.baa === 'not-offered') return fail('not-offered', args);
    if (entry.baa === 'unknown') return { status: 'unknown', reason: 'catalog-unknown', args };
    if (plan === undefined) return { status: 'unknown', reason: 'no-plan', args: { ...args, plans } };
    const terms = entry.plans && Object.hasOwn(entry.plans, plan) ? entry.plans[plan] : undefined;
    if (!terms) return { status: 'unknown', reason: 'unknown-plan', args: { ...args, plans } };
    if (terms.baa === 'not-offered') return fail('plan-not-offered', { ...args, note: terms.note ?? '' });
    if (terms.baa === 'unknown') return { status: 'unknown', reason: 'catalog-unknown', args };
    return pass(args);
  },
});

export const catalogCategory = defineCheck({
  name: 'catalog-category',
  description: "passes when the vendor's entry in the bundled vendor catalog has one of `categories` (llm-api, observability, error-tracking, ...)",
  targets: ['vendor'],
  options: z.strictObject({ categories: z.array(z.string()).min(1) }),
  run(vendor, { categories }, ctx) {
    const entry = ctx.catalog.vendor(catalogId(ctx, vendor.id));
    if (!entry) return fail('not-listed');
    return categories.includes(entry.category) ? pass({ category: entry.category }) : fail('other', { category: entry.category });
  },
});
