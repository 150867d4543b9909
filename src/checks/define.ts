/** Declaring a check: its targets and nested checks are said once, here; no check guards its own target type. */
import type { z } from 'zod';
import type { TargetType } from '../rules/schema.js';
import type { CheckContext, CheckFunction, CheckResult, FieldRoles, NestedOption, Target, TargetOf } from './types.js';

export interface CheckDefinition<O, T extends TargetType> {
  name: string;
  description: string;
  targets: readonly T[];
  options: z.ZodType<O>;
  nested?: Readonly<Record<string, NestedOption>>;
  fields?: FieldRoles;
  run(target: TargetOf<T>, options: O, ctx: CheckContext): CheckResult;
}

export const ALL_TARGETS = ['service', 'store', 'log', 'vendor', 'flow'] as const;
export const NODE_TARGETS = ['service', 'store', 'log', 'vendor'] as const;
export const HOSTED_TARGETS = ['service', 'store', 'log'] as const;

// Most checks pass; one shared result keeps the hot path free of allocation.
const PASSED: CheckResult = Object.freeze({ status: 'pass' });
export const notApplicable: CheckResult = Object.freeze({ status: 'not-applicable' });

export const pass = (args?: CheckResult['args']): CheckResult => (args ? { status: 'pass', args } : PASSED);
export const fail = (reason: string, args?: CheckResult['args']): CheckResult => ({ status: 'fail', reason, ...(args ? { args } : {}) });

export function defineCheck<O, T extends TargetType>(def: CheckDefinition<O, T>): CheckFunction<O> {
  const applies = new Set<TargetType>(def.targets);
  return {
    name: def.name,
    description: def.description,
    targets: def.targets,
    options: def.options,
    nested: def.nested ?? {},
    fields: def.fields,
    // Rules are checked at load to use a function only on its targets; this guard covers nested and library use.
    run: (target: Target, options: O, ctx: CheckContext) => (applies.has(target.type) ? def.run(target as TargetOf<T>, options, ctx) : notApplicable),
  };
}

/** A value for a message: lists joined, text as is, anything else as JSON. */
export const show = (v: unknown): string => (Array.isArray(v) ? v.join(', ') : typeof v === 'string' ? v : JSON.stringify(v));
