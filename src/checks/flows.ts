/** Flow checks: what a flow says it strips, and which paths leave a node. */
import { z } from 'zod';
import { defineCheck, fail, NODE_TARGETS, notApplicable, pass } from './define.js';

export const declaresDeidentification = defineCheck({
  name: 'declares-deidentification',
  description: 'fails when a flow lists `data` that leaves out PHI its source holds and names no `deidentify:` method',
  targets: ['flow'],
  options: z.strictObject({}),
  run(flow, _o, ctx) {
    const data = ctx.fact(flow.id, 'data').value;
    if (!Array.isArray(data) || ctx.fact(flow.id, 'deidentify').value !== undefined) return notApplicable;
    const dropped = ctx.phi.dropped(flow.id);
    if (dropped.length === 0) return pass();
    // Carrying no PHI at all claims full de-identification; carrying some is a narrower (minimum necessary) claim.
    const reason = ctx.phi.carriesPhi(flow.id) ? 'narrowed' : 'stripped';
    return fail(reason, { dropped: dropped.join(', '), carried: data.join(', ') || 'nothing' });
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
