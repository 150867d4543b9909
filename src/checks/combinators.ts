/** Checks made of checks: any-of, all-of, and a check run on the node a reference names. */
import { z } from 'zod';
import { ALL_TARGETS, defineCheck, HOSTED_TARGETS, notApplicable } from './define.js';
import type { CheckResult, CheckSpec } from './types.js';

const checkSpec = z.strictObject({ function: z.string(), options: z.record(z.string(), z.unknown()).optional() });
const checkList = z.array(checkSpec).min(1);

export const anyOf = defineCheck<{ checks: CheckSpec[] }, (typeof ALL_TARGETS)[number]>({
  name: 'any-of',
  description: 'passes when any of `checks` passes; otherwise reports an unknown, else the first failure',
  targets: ALL_TARGETS,
  options: z.strictObject({ checks: checkList }),
  nested: { checks: { list: true } },
  run(target, { checks }, ctx) {
    // Order does not matter: any pass passes; else an unknown, else the first failure; none applying is not applicable.
    let first: CheckResult | undefined;
    let unknown: CheckResult | undefined;
    for (const c of checks) {
      const r = ctx.check(c, target);
      if (r.status === 'pass') return r;
      if (r.status === 'unknown') unknown ??= r;
      else if (r.status === 'fail') first ??= r;
    }
    return unknown ?? first ?? notApplicable;
  },
});

export const allOf = defineCheck<{ checks: CheckSpec[] }, (typeof ALL_TARGETS)[number]>({
  name: 'all-of',
  description: 'passes when every one of `checks` passes; reports the first that does not',
  targets: ALL_TARGETS,
  options: z.strictObject({ checks: checkList }),
  nested: { checks: { list: true } },
  run(target, { checks }, ctx) {
    // Order does not matter: the first failure, else the first unknown, else a pass if any check applied.
    let unknown: CheckResult | undefined;
    let passed: CheckResult | undefined;
    for (const c of checks) {
      const r = ctx.check(c, target);
      if (r.status === 'fail') return r;
      if (r.status === 'unknown') unknown ??= r;
      else if (r.status === 'pass') passed ??= r;
    }
    return unknown ?? passed ?? notApplicable;
  },
});

export const referencedNode = defineCheck<{ field: 'audit_log' | 'backup'; check: CheckSpec }, (typeof HOSTED_TARGETS)[number]>({
  name: 'referenced-node',
  description: 'follows the node reference in `field` (audit_log or backup) and runs `check` on the node it names; not applicable when the field is undeclared',
  targets: HOSTED_TARGETS,
  options: z.strictObject({ field: z.enum(['audit_log', 'backup']), check: checkSpec }),
  // A referenced node is an audit log or a backup store.
  nested: { check: { list: false, targets: ['log', 'store'] } },
  run(target, { field, check }, ctx) {
    const ref = ctx.fact(target.id, field).value;
    // Whether the reference exists at all is a rule of its own (audit-log-declared, backup-exists).
    if (typeof ref !== 'string') return notApplicable;
    const node = ctx.graph.node(ref);
    if (!node) return { status: 'unknown', reason: 'dangling', args: { field, ref } };
    const r = ctx.check(check, node);
    return { ...r, args: { ...(r.args ?? {}), ref, ref_field: r.args?.field ?? '' } };
  },
});
