/** Hosting checks: a service, store or log on PROVIDER/SERVICE, against the catalog and the provider's BAA. */
import { z } from 'zod';
import { type Coverage, coverageFor, coveredNames, dated, type Eligibility, serviceCoverage, servicesNamed } from '../enrich/catalog.js';
import { parseHosting } from '../map/hosting.js';
import { defineCheck, fail, HOSTED_TARGETS, notApplicable, pass } from './define.js';
import type { CheckContext, CheckResult, FlowTarget, NodeTarget } from './types.js';
import { catalogId } from './vendors.js';

/** For a node hosted on VENDOR or VENDOR/SERVICE: the two names, and the vendor's id when the map declares it as a vendor. */
function hostedOn(node: NodeTarget, ctx: CheckContext): { vendor: string; service?: string; vendorNode?: string } | undefined {
  const hosting = ctx.fact(node.id, 'hosting').value;
  const host = parseHosting(typeof hosting === 'string' ? hosting : undefined);
  if (!host) return undefined;
  const declared = ctx.graph.node(host.vendor);
  return { ...host, ...(declared?.type === 'vendor' ? { vendorNode: declared.id } : {}) };
}

const text = (ctx: CheckContext, subject: string, field: string): string | undefined => {
  const v = ctx.fact(subject, field).value;
  return typeof v === 'string' ? v : undefined;
};

/** The list a verdict came from, for a message: its source and the dates. */
const listArgs = (v: Eligibility) => ({
  provider: v.providerName,
  provider_id: v.providerId,
  source: v.source,
  as_of: v.as_of,
  dated: dated(v.as_of),
  reviewed: v.reviewed,
});

/** A "did you mean" clause, never empty (messages show an empty value as unknown). */
const hint = (provider: string, suggestion: string | undefined): string =>
  suggestion === undefined ? 'no service the catalog knows has a similar name' : `did you mean "${provider}/${suggestion}"?`;

export const hostingEligible = defineCheck({
  name: 'hosting-eligible',
  description:
    'fails when the node is hosted on PROVIDER/SERVICE and the bundled catalog lists SERVICE as not HIPAA-eligible; unknown when the catalog does not know SERVICE (with a did-you-mean), has no list for PROVIDER, or the hosting names a cloud provider with no service',
  targets: HOSTED_TARGETS,
  options: z.strictObject({}),
  run(node, _o, ctx) {
    const host = hostedOn(node, ctx);
    if (!host) return notApplicable;
    const provider = host.vendorNode !== undefined ? catalogId(ctx, host.vendorNode) : host.vendor;
    if (host.service === undefined) {
      // `hosting: aws` says which cloud but not which of its services: eligibility cannot be judged, and is not skipped.
      const verdict = ctx.catalog.serviceEligibility(provider, '');
      if (!verdict) return notApplicable; // a SaaS vendor: the vendor rules judge it
      return { status: 'unknown', reason: 'no-service', args: { ...listArgs(verdict), hosting: host.vendor } };
    }
    const service = host.service;
    const verdict = ctx.catalog.serviceEligibility(provider, service);
    if (!verdict) return noList(host, provider, service, ctx);
    const args = { ...listArgs(verdict), service, service_name: verdict.serviceName ?? service, note: (verdict.note ?? '').replace(/[.\s]+$/, '') };
    if (verdict.eligible === true) return pass(args);
    if (verdict.eligible === false) return fail('not-eligible', { ...args, note: args.note || 'the catalog lists it as not eligible' });
    return {
      status: 'unknown',
      reason: 'unlisted',
      args: { ...args, lookup: hint(host.vendor, verdict.suggestion), coverage: verdict.partial ? 'a partial copy of the list' : 'its copy of the list' },
    };
  },
});

/**
 * A provider the cloud catalog has no list for. A SaaS vendor the vendor catalog knows is judged by the vendor rules
 * (and baa-scope); anything else is unknown, unless the signed BAA in the map names the service itself.
 */
function noList(host: { vendor: string; vendorNode?: string }, provider: string, service: string, ctx: CheckContext): CheckResult {
  if (ctx.catalog.vendor(provider)) return notApplicable;
  const args = { provider: host.vendor, service };
  if (host.vendorNode !== undefined && text(ctx, host.vendorNode, 'baa.status') === 'signed') {
    const scope = ctx.fact(host.vendorNode, 'baa.services').value;
    if (Array.isArray(scope) && scope.includes(service)) return pass({ ...args, source: `${host.vendor}'s BAA (baa.services)` });
  }
  return { status: 'unknown', reason: 'no-list', args };
}

export const baaCoversHosting = defineCheck({
  name: 'baa-covers-hosting',
  description:
    "fails when the node is hosted on VENDOR/SERVICE (or a flow goes to VENDOR through a service it names) and the vendor's BAA does not cover SERVICE: the map's `baa.services`, or else what the vendor catalog says the vendor's BAA covers on the declared plan (unknown when the catalog does not know the service, or a flow names none)",
  targets: ['service', 'store', 'log', 'flow'],
  options: z.strictObject({}),
  run(target, _o, ctx) {
    if (target.type === 'flow') return flowCovered(target, ctx);
    const host = hostedOn(target, ctx);
    if (host?.service === undefined || host.vendorNode === undefined) return notApplicable;
    if (text(ctx, host.vendorNode, 'baa.status') !== 'signed') return notApplicable;
    const service = host.service;
    const scope = ctx.fact(host.vendorNode, 'baa.services').value;
    const args = { vendor: host.vendor, service, ...ON };
    if (Array.isArray(scope)) {
      const services = scope as string[];
      if (inScope(ctx, host.vendorNode, services, service)) return pass(args);
      return fail('out-of-scope', { ...args, scope: services.join(', ') || 'nothing' });
    }
    // The map's BAA names no services, so it covers what the vendor's BAA covers: narrower, for some vendors.
    const coverage = vendorCoverage(ctx, host.vendorNode);
    if (!coverage) return notApplicable;
    const verdict = serviceCoverage(coverage, service);
    const terms = termsArgs(coverage, args);
    if (verdict.covered === true) return pass(terms);
    if (verdict.covered === false) return fail('not-covered', { ...terms, service_name: verdict.name, note: clause(verdict.note) });
    return { status: 'unknown', reason: 'unknown-service', args: { ...terms, lookup: hint(host.vendor, verdict.suggestion) } };
  },
});

/** The wording of a message: a node holds PHI on a service, a flow sends it to one. */
const ON = { holds: 'holds', on: 'on' };
const TO = { holds: 'sends', on: 'to' };

/** `rds` in the BAA covers `aws/rds-postgres` when the catalog knows them as one service. */
function inScope(ctx: CheckContext, vendorNode: string, services: readonly string[], service: string): boolean {
  if (services.includes(service)) return true;
  const provider = catalogId(ctx, vendorNode);
  const wanted = ctx.catalog.canonicalService(provider, service);
  return wanted !== undefined && services.some((s) => ctx.catalog.canonicalService(provider, s) === wanted);
}

/** What the catalog says the vendor's BAA covers on the plan the map declares, where that is narrower than the vendor. */
function vendorCoverage(ctx: CheckContext, vendorNode: string): Coverage | undefined {
  const entry = ctx.catalog.vendor(catalogId(ctx, vendorNode));
  if (!entry) return undefined;
  return coverageFor(entry, text(ctx, vendorNode, 'plan'));
}

/** A catalog note as a clause that follows another (`; ...`), or nothing. */
const clause = (note: string | undefined): string => (note ? `; ${note.replace(/[.\s]+$/, '')}` : '');

const termsArgs = (coverage: Coverage, args: Record<string, string>) => ({
  ...args,
  terms: coverage.plan === undefined ? 'its BAA' : `its BAA on ${coverage.plan}`,
  covered: coveredNames(coverage),
  source: coverage.source,
  as_of: coverage.as_of,
  dated: dated(coverage.as_of),
});

/**
 * A flow straight into a vendor: the service it goes through is the one its id, purpose or description names
 * ("incoming webhook", "bot", "file upload"). Judged only where something says which services the BAA covers.
 */
function flowCovered(flow: FlowTarget, ctx: CheckContext): CheckResult {
  const to = ctx.graph.node(flow.to);
  if (to?.type !== 'vendor') return notApplicable;
  if (text(ctx, to.id, 'baa.status') !== 'signed') return notApplicable;
  const scope = ctx.fact(to.id, 'baa.services').value;
  const coverage = vendorCoverage(ctx, to.id);
  const words = [flow.id, text(ctx, flow.id, 'purpose'), text(ctx, flow.id, 'description')].filter((s) => s !== undefined).join(' ');
  const args = { vendor: to.id, ...TO };
  if (Array.isArray(scope)) {
    // The map scopes the BAA itself: a flow that names a service outside that scope fails; one that names none is not judged.
    const services = scope as string[];
    const known = { ...Object.fromEntries(services.map((s) => [s, { name: s }])), ...coverage?.covered, ...coverage?.excluded };
    const named = servicesNamed({ covered: known }, words).covered;
    const outside = named.find((s) => !inScope(ctx, to.id, services, s));
    if (outside !== undefined) return fail('out-of-scope', { ...args, service: outside, scope: services.join(', ') || 'nothing' });
    return named.length > 0 ? pass({ ...args, service: named[0]! }) : notApplicable;
  }
  if (!coverage) return notApplicable;
  const named = servicesNamed(coverage, words);
  const terms = termsArgs(coverage, args);
  if (named.excluded.length > 0) {
    const id = named.excluded[0]!;
    const entry = coverage.excluded![id]!;
    return fail('not-covered', { ...terms, service: id, service_name: entry.name, note: clause(entry.note) });
  }
  if (named.covered.length > 0) return pass({ ...terms, service: named.covered[0]! });
  return { status: 'unknown', reason: 'service-unnamed', args: terms };
}
