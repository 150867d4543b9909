/** Hosting checks: a service, store or log on PROVIDER/SERVICE, against the catalog and the provider's BAA. */
import { z } from 'zod';
import { parseHosting } from '../map/hosting.js';
import { defineCheck, fail, HOSTED_TARGETS, notApplicable, pass } from './define.js';
import type { CheckContext, NodeTarget } from './types.js';
import { catalogId } from './vendors.js';

/** For a node hosted on VENDOR/SERVICE: the two names, and the vendor's id when the map declares it as a vendor. */
function hostedOn(node: NodeTarget, ctx: CheckContext): { vendor: string; service: string; vendorNode?: string } | undefined {
  const hosting = ctx.fact(node.id, 'hosting').value;
  const host = parseHosting(typeof hosting === 'string' ? hosting : undefined);
  if (!host?.service) return undefined;
  const declared = ctx.graph.node(host.vendor);
  return { vendor: host.vendor, service: host.service, ...(declared?.type === 'vendor' ? { vendorNode: declared.id } : {}) };
}

export const hostingEligible = defineCheck({
  name: 'hosting-eligible',
  description: "fails when the node is hosted on PROVIDER/SERVICE and the bundled catalog does not list SERVICE among the provider's HIPAA-eligible services",
  targets: HOSTED_TARGETS,
  options: z.strictObject({}),
  run(node, _o, ctx) {
    const host = hostedOn(node, ctx);
    if (!host) return notApplicable;
    const provider = host.vendorNode !== undefined ? catalogId(ctx, host.vendorNode) : host.vendor;
    const verdict = ctx.catalog.serviceEligibility(provider, host.service);
    if (!verdict) return notApplicable;
    const note = (verdict.note ?? '').replace(/[.\s]+$/, '');
    const args = { provider: verdict.providerName, service: host.service, source: verdict.source, checked: verdict.checked, note };
    return verdict.eligible ? pass(args) : fail(verdict.listed ? 'not-eligible' : 'unlisted', args);
  },
});

export const baaCoversHosting = defineCheck({
  name: 'baa-covers-hosting',
  description: "fails when the node is hosted on VENDOR/SERVICE and the vendor's BAA lists `services` without SERVICE",
  targets: HOSTED_TARGETS,
  options: z.strictObject({}),
  run(node, _o, ctx) {
    const host = hostedOn(node, ctx);
    if (host?.vendorNode === undefined) return notApplicable;
    const status = ctx.fact(host.vendorNode, 'baa.status').value;
    const scope = ctx.fact(host.vendorNode, 'baa.services').value;
    if (status !== 'signed' || !Array.isArray(scope)) return notApplicable;
    const services = scope as string[];
    const args = { vendor: host.vendor, service: host.service };
    if (services.includes(host.service)) return pass(args);
    // `rds` in the BAA covers `aws/rds-postgres` when the catalog knows them as one service.
    const provider = catalogId(ctx, host.vendorNode);
    const wanted = ctx.catalog.canonicalService(provider, host.service);
    if (wanted !== undefined && services.some((s) => ctx.catalog.canonicalService(provider, s) === wanted)) return pass(args);
    return fail('out-of-scope', { ...args, scope: services.join(', ') || 'nothing' });
  },
});
