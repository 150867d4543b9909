/** Field checks: one fact of the target against an expected value. */
import { z } from 'zod';
import type { Fact } from '../enrich/facts.js';
import { ALL_TARGETS, defineCheck, pass, show } from './define.js';
import type { CheckFunction, CheckResult, FieldRoles } from './types.js';

type MissingMode = 'fail' | 'unknown' | 'pass';
const missingMode = z.enum(['fail', 'unknown', 'pass']).default('fail').describe('what an undeclared field means');
const scalar = z.union([z.string(), z.number(), z.boolean()]);

interface FieldOptions {
  field: string;
  missing: MissingMode;
}

/** A value the target lacks: undeclared (judged by the rule's `missing` mode), or unreadable (always unknown). */
function absent(fact: Fact, mode: MissingMode, expected: string): CheckResult {
  const field = fact.field;
  if (fact.provenance === 'unavailable') {
    return { status: 'unknown', reason: 'unavailable', args: { field, value: 'unavailable', expected, error: fact.error ?? '' } };
  }
  if (mode === 'pass') return pass();
  return { status: mode, reason: 'missing', args: { field, value: 'undeclared', expected } };
}

function fieldCheck<O extends FieldOptions>(
  name: string,
  description: string,
  extra: z.ZodRawShape,
  fields: FieldRoles,
  test: (value: unknown, options: O) => { ok: boolean; expected: string },
): CheckFunction<O> {
  return defineCheck({
    name,
    description,
    targets: ALL_TARGETS,
    fields,
    options: z.strictObject({ field: z.string(), missing: missingMode, ...extra }) as unknown as z.ZodType<O>,
    run(target, options, ctx) {
      const fact = ctx.fact(target.id, options.field);
      const value = fact.value;
      if (value !== undefined && test(value, options).ok) return pass();
      const { expected } = test(value, options);
      if (value === undefined) return absent(fact, options.missing, expected);
      return { status: 'fail', reason: 'value', args: { field: options.field, value: show(value), expected } };
    },
  });
}

export const fieldEquals = fieldCheck<FieldOptions & { value: string | number | boolean }>(
  'field-equals',
  'passes when the field equals `value`',
  { value: scalar },
  { field: 'field', value: { option: 'value', list: false } },
  (v, o) => ({ ok: v === o.value, expected: show(o.value) }),
);

export const fieldIn = fieldCheck<FieldOptions & { values: (string | number | boolean)[] }>(
  'field-in',
  'passes when the field is one of `values`',
  { values: z.array(scalar).min(1) },
  { field: 'field', value: { option: 'values', list: true } },
  (v, o) => ({ ok: o.values.includes(v as string), expected: o.values.map(show).join(' or ') }),
);

export const fieldAtLeast = fieldCheck<FieldOptions & { min: number }>(
  'field-at-least',
  'passes when the field is a number of at least `min`',
  { min: z.number() },
  { field: 'field', number: true },
  (v, o) => ({ ok: typeof v === 'number' && v >= o.min, expected: `at least ${o.min}` }),
);

export const fieldAtMost = fieldCheck<FieldOptions & { max: number }>(
  'field-at-most',
  'passes when the field is a number of at most `max`',
  { max: z.number() },
  { field: 'field', number: true },
  (v, o) => ({ ok: typeof v === 'number' && v <= o.max, expected: `at most ${o.max}` }),
);

export const fieldPresent = defineCheck({
  name: 'field-present',
  description: 'passes when the field is declared',
  targets: ALL_TARGETS,
  fields: { field: 'field' },
  options: z.strictObject({ field: z.string() }),
  run(target, { field }, ctx) {
    const value = ctx.fact(target.id, field).value;
    return value === undefined ? { status: 'fail', reason: 'missing', args: { field } } : pass({ field, value: show(value) });
  },
});
