/**
 * Agreements along the BAA chain: whose agreement a vendor's BAA is (yours, or a vendor's with its own
 * subprocessor), and what became of the PHI when a BAA was terminated.
 */
import { z } from 'zod';
import { parseHosting } from '../map/hosting.js';
import { defineCheck, fail, notApplicable, pass } from './define.js';
import type { CheckContext } from './types.js';
import { baaVerdict } from './vendors.js';

const text = (ctx: CheckContext, subject: string, field: string): string | undefined => {
  const v = ctx.fact(subject, field).value;
  return typeof v === 'string' ? v : undefined;
};

/** How PHI reaches a vendor: from the map's own nodes (`direct`), or only down other vendors' `subprocessors`. */
interface Reach {
  readonly direct: boolean;
  /** The vendors that pass PHI to it as their subprocessor, in map order. */
  readonly parents: readonly string[];
}

const DIRECT: Reach = Object.freeze({ direct: true, parents: [] });

/**
 * A vendor is reached only through subprocessors when PHI does not start there, no flow that carries PHI ends there,
 * and no node holding PHI is hosted on it, while a vendor holding PHI names it in `subprocessors`. The PHI path
 * settles the common cases without reading anything: its last hop from a service, store or log is a flow or a
 * hosting edge (backups go to stores), and a last hop from a node that holds no PHI is a flow declaring PHI.
 */
function reachOf(vendor: string, ctx: CheckContext): Reach {
  const path = ctx.phi.phiPathTo(vendor);
  // It only sends PHI, or PHI starts here: nothing brought it.
  if (path === undefined || path.length < 2) return DIRECT;
  const before = path[path.length - 2]!;
  if (ctx.graph.node(before)?.type !== 'vendor' || !ctx.phi.holdsPhi(before)) return DIRECT;
  const holders = ctx.phi.phiHolders;
  for (const id of holders) {
    for (const flow of ctx.graph.outgoing(id)) if (flow.to === vendor && ctx.phi.carriesPhi(flow.id)) return DIRECT;
  }
  const parents: string[] = [];
  for (const id of holders) {
    if (ctx.graph.node(id)?.type !== 'vendor') continue;
    const subs = ctx.fact(id, 'subprocessors').value;
    if (Array.isArray(subs) && subs.includes(vendor)) parents.push(id);
  }
  if (parents.length === 0) return DIRECT;
  for (const id of holders) {
    if (ctx.graph.node(id)?.type === 'vendor') continue;
    const hosting = ctx.fact(id, 'hosting').value;
    if (parseHosting(typeof hosting === 'string' ? hosting : undefined)?.vendor === vendor) return DIRECT;
  }
  return { direct: false, parents };
}

const parentArgs = (reach: Reach) => ({ parent: reach.parents[0] ?? '', parents: reach.parents.join(', ') });

export const vendorReached = defineCheck({
  name: 'vendor-reached',
  description:
    "passes when PHI reaches the vendor the way `through` says: `direct` (a flow, a node hosted on it, or PHI that starts there) or only `subprocessors` (down other vendors' `subprocessors` lists)",
  targets: ['vendor'],
  options: z.strictObject({ through: z.enum(['direct', 'subprocessors']) }),
  run(vendor, { through }, ctx) {
    const reach = reachOf(vendor.id, ctx);
    if (reach.direct) return through === 'direct' ? pass() : fail('direct');
    return through === 'subprocessors' ? pass(parentArgs(reach)) : fail('subprocessors', parentArgs(reach));
  },
});

export const subcontractorBaaInForce = defineCheck({
  name: 'subcontractor-baa-in-force',
  description:
    "for a vendor PHI reaches only as another vendor's subprocessor: fails unless its `baa` (the parent's BA–subcontractor agreement with it) is signed and in force on --as-of, naming the parent (`parent`, `parents`); not applicable to a vendor reached directly",
  targets: ['vendor'],
  options: z.strictObject({}),
  run(vendor, _o, ctx) {
    const reach = reachOf(vendor.id, ctx);
    if (reach.direct) return notApplicable;
    const result = baaVerdict(vendor.id, ctx);
    return result.status === 'not-applicable' ? result : { ...result, args: { ...(result.args ?? {}), ...parentArgs(reach) } };
  },
});

export const baaDisposition = defineCheck({
  name: 'baa-disposition',
  description:
    'for a BAA terminated on or before --as-of: fails unless `baa.disposition` says what became of the PHI (returned, destroyed, or infeasible with the protections extended); not applicable otherwise',
  targets: ['vendor'],
  options: z.strictObject({}),
  run(vendor, _o, ctx) {
    const terminated = text(ctx, vendor.id, 'baa.terminated');
    if (terminated === undefined || terminated > ctx.asOf) return notApplicable;
    const disposition = text(ctx, vendor.id, 'baa.disposition');
    if (disposition === undefined) return fail('missing', { terminated, field: 'baa.disposition', value: 'undeclared' });
    return pass({ terminated, disposition });
  },
});
