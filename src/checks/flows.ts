/** Flow checks: what a flow says it strips, and which paths leave a node. */
import { z } from 'zod';
import { defineCheck, fail, NODE_TARGETS, notApplicable, pass } from './define.js';

/** A flow's de-identification method, whether written as a word or as `{ method, evidence }`. */
function methodOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (value !== null && typeof value === 'object' && Object.hasOwn(value, 'method')) {
    const m = (value as { method: unknown }).method;
    return typeof m === 'string' ? m : undefined;
  }
  return undefined;
}

export const declaresDeidentification = defineCheck({
  name: 'declares-deidentification',
  description:
    'fails when a flow carries none of the PHI its source holds (its `data` names no PHI class) and says neither how it was de-identified (`deidentify: safe-harbor` or `expert-determination`) nor why it has no PHI (`basis:`); a flow that still carries PHI is a minimum-necessary selection and passes',
  targets: ['flow'],
  options: z.strictObject({}),
  run(flow, _o, ctx) {
    // Still PHI (all of it, or a minimum-necessary selection): no claim that anything was de-identified.
    if (ctx.phi.carriesPhi(flow.id)) return notApplicable;
    const dropped = ctx.phi.dropped(flow.id);
    if (dropped.length === 0) return notApplicable;
    const method = methodOf(ctx.fact(flow.id, 'deidentify').value);
    if (method === 'safe-harbor' || method === 'expert-determination') return pass({ method });
    const basis = ctx.fact(flow.id, 'basis').value;
    if (typeof basis === 'string' && basis.trim() !== '') return pass({ basis });
    return fail('stripped', { dropped: dropped.join(', ') });
  },
});

export const dataUseAgreement = defineCheck({
  name: 'data-use-agreement',
  description:
    'for a flow that sends a limited data set (`deidentify: limited-data-set`) to a vendor: fails unless the vendor declares a signed data use agreement (`dua: { status: signed }`) in force on --as-of',
  targets: ['flow'],
  options: z.strictObject({}),
  run(flow, _o, ctx) {
    if (methodOf(ctx.fact(flow.id, 'deidentify').value) !== 'limited-data-set') return notApplicable;
    // A data use agreement binds a recipient outside the covered entity; internal use of a limited data set needs none.
    if (ctx.graph.node(flow.to)?.type !== 'vendor') return notApplicable;
    const status = ctx.fact(flow.to, 'dua.status').value;
    if (status === undefined) return fail('missing', { recipient: flow.to, status: 'undeclared' });
    if (status !== 'signed') return fail('not-signed', { recipient: flow.to, status: String(status) });
    const signed = ctx.fact(flow.to, 'dua.signed').value;
    if (typeof signed === 'string' && signed > ctx.asOf) return fail('not-yet', { recipient: flow.to, status: 'signed', signed, as_of: ctx.asOf });
    return pass({ recipient: flow.to });
  },
});

const FLOW_CONDITION = z.enum(['normal', 'error', 'retry', 'debug']);

export const hasOutgoingFlow = defineCheck({
  name: 'has-outgoing-flow',
  description: 'passes when the node is the source of at least one flow whose `on:` condition is one of `on`',
  targets: NODE_TARGETS,
  options: z.strictObject({ on: z.array(FLOW_CONDITION).min(1) }),
  run(node, { on }, ctx) {
    const conditions: readonly string[] = on;
    const found = ctx.graph.outgoing(node.id).some((f) => conditions.includes(String(ctx.fact(f.id, 'on').value ?? 'normal')));
    return found ? pass({ on: on.join(' or ') }) : fail('none', { on: on.join(' or ') });
  },
});
