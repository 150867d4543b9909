/**
 * Agreements along the BAA chain: whose agreement a vendor's BAA is (yours, or a vendor's with its own
 * subprocessor), and what became of the PHI when a BAA was terminated.
 */
import { z } from 'zod';
import type { Propagation } from '../graph/propagate.js';
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

/** Who brings PHI to each vendor, other than the vendor's own PHI path: worked out once per run. */
interface Arrivals {
  /** Vendors a flow carrying PHI ends at. */
  readonly flowsTo: ReadonlySet<string>;
  /** Per vendor, the first node holding PHI that is hosted on it. */
  readonly hostOf: ReadonlyMap<string, string>;
  /** Per vendor, the vendors holding PHI that name it in `subprocessors`, in map order. */
  readonly parentsOf: ReadonlyMap<string, readonly string[]>;
}

const arrivalsByRun = new WeakMap<Propagation, Arrivals>();

/**
 * Built the first time a vendor's PHI path arrives from another vendor, from every PHI holder's flows (structure) and
 * `hosting` and `subprocessors` (facts). Those reads land in the evidence of the rule and target being judged at that
 * moment, usually the first subprocessor-only vendor, whose `when` then does not apply; each verdict re-reads the
 * facts it rests on, so every finding's evidence names them.
 */
function arrivalsOf(ctx: CheckContext): Arrivals {
  let found = arrivalsByRun.get(ctx.phi);
  if (found) return found;
  const flowsTo = new Set<string>();
  const hostOf = new Map<string, string>();
  const parentsOf = new Map<string, string[]>();
  for (const id of ctx.phi.phiHolders) {
    for (const flow of ctx.graph.outgoing(id)) if (ctx.graph.node(flow.to)?.type === 'vendor' && ctx.phi.carriesPhi(flow.id)) flowsTo.add(flow.to);
    if (ctx.graph.node(id)?.type === 'vendor') {
      const subs = ctx.fact(id, 'subprocessors').value;
      for (const sub of Array.isArray(subs) ? subs : []) {
        if (typeof sub !== 'string') continue;
        const list = parentsOf.get(sub);
        if (list) list.push(id);
        else parentsOf.set(sub, [id]);
      }
    } else {
      const hosting = ctx.fact(id, 'hosting').value;
      const vendor = parseHosting(typeof hosting === 'string' ? hosting : undefined)?.vendor;
      if (vendor !== undefined && !hostOf.has(vendor)) hostOf.set(vendor, id);
    }
  }
  found = { flowsTo, hostOf, parentsOf };
  arrivalsByRun.set(ctx.phi, found);
  return found;
}

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
  const arrivals = arrivalsOf(ctx);
  if (arrivals.flowsTo.has(vendor)) return DIRECT;
  const host = arrivals.hostOf.get(vendor);
  if (host !== undefined) {
    ctx.fact(host, 'hosting');
    return DIRECT;
  }
  const parents = arrivals.parentsOf.get(vendor) ?? [];
  for (const parent of parents) ctx.fact(parent, 'subprocessors');
  return parents.length === 0 ? DIRECT : { direct: false, parents };
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
