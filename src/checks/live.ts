/**
 * Facts only a live check can establish (root MFA, which trail records a bucket's reads, copies AWS makes): the map
 * has no field for them, so without live evidence the check does not apply; an unreadable one is unknown.
 */
import { z } from 'zod';
import { ALL_TARGETS, defineCheck, notApplicable, pass, show } from './define.js';

const scalar = z.union([z.string(), z.number(), z.boolean()]);

export const liveFact = defineCheck({
  name: 'live-fact',
  description:
    'a fact a live check observed (`aws.root_mfa`): passes when it `equals` a value, is an `empty` list, or is `at_least` a number; not applicable without live evidence',
  targets: ALL_TARGETS,
  options: z
    .strictObject({
      field: z.string().regex(/^[a-z]+\.[a-z_]+$/, 'a live fact is named provider.name, e.g. aws.root_mfa'),
      equals: scalar.optional(),
      empty: z.literal(true).optional(),
      at_least: z.number().optional(),
    })
    .refine((o) => [o.equals, o.empty, o.at_least].filter((x) => x !== undefined).length === 1, 'give exactly one of equals, empty or at_least'),
  run(target, o, ctx) {
    const fact = ctx.fact(target.id, o.field);
    if (fact.provenance === 'unavailable') {
      return { status: 'unknown', reason: 'unavailable', args: { field: o.field, value: 'unavailable', error: fact.error ?? '' } };
    }
    if (fact.provenance !== 'verified' && fact.provenance !== 'contradicted') return notApplicable;
    const v = fact.value;
    const ok = o.equals !== undefined ? v === o.equals : o.empty ? Array.isArray(v) && v.length === 0 : typeof v === 'number' && v >= (o.at_least ?? 0);
    const count = Array.isArray(v) ? v.length : 0;
    return ok ? pass() : { status: 'fail', reason: 'value', args: { field: o.field, value: show(v), count } };
  },
});
