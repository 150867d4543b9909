/** Where PHI may be at all: nowhere in a PHI-free environment, and nowhere a rule says it must not reach. */
import { z } from 'zod';
import { ALL_TARGETS, defineCheck, fail, HOSTED_TARGETS, notApplicable, pass } from './define.js';

export const environmentAllowsPhi = defineCheck({
  name: 'environment-allows-phi',
  description: 'fails when the node is in an environment declared `phi_allowed: false`',
  targets: HOSTED_TARGETS,
  options: z.strictObject({}),
  run(node, _o, ctx) {
    const env = ctx.fact(node.id, 'environment').value;
    if (typeof env !== 'string') return notApplicable;
    const info = ctx.graph.environment(env);
    if (!info) return { status: 'unknown', reason: 'dangling', args: { environment: env } };
    return info.phiAllowed ? pass({ environment: env }) : fail('not-allowed', { environment: env });
  },
});

export const phiAbsent = defineCheck({
  name: 'phi-absent',
  description: 'fails when PHI reaches the target (held by a node or vendor, carried by a flow); use with `phi: any`',
  targets: ALL_TARGETS,
  options: z.strictObject({}),
  run(target, _o, ctx) {
    const classes = target.type === 'flow' ? ctx.phi.phiCarried(target.id) : ctx.phi.phiAt(target.id);
    return classes.length === 0 ? pass() : fail('present', { classes: classes.join(', ') });
  },
});
