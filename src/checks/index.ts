/**
 * The closed set of named check functions rules are built from. A rule file names one and gives options, which are
 * validated against the function's schema when rules load. No code ever comes from a rule file.
 */
import { baaDisposition, subcontractorBaaInForce, vendorReached } from './agreements.js';
import { backupMatchesSource } from './backup.js';
import { unsecuredPhi } from './breach.js';
import { allOf, anyOf, referencedNode } from './combinators.js';
import { fieldAtLeast, fieldAtMost, fieldEquals, fieldIn, fieldPresent } from './fields.js';
import { dataUseAgreement, declaresDeidentification, hasOutgoingFlow } from './flows.js';
import { incidentResponseTested, riskAnalysisCovers, riskAnalysisCurrent, riskAnalysisDeclared } from './governance.js';
import { baaCoversHosting, hostingEligible } from './hosting.js';
import { liveFact } from './live.js';
import { accessLifecycle, auditLogReviewed } from './people.js';
import { environmentAllowsPhi, phiAbsent } from './phi.js';
import type { CheckContext, CheckFunction, CheckResult, CheckSpec, NestedOption, Target } from './types.js';
import { baaClaimsNotRequired, baaInForce, catalogCategory, vendorOffersBaa } from './vendors.js';

// biome-ignore lint/suspicious/noExplicitAny: each function has its own options type; the registry holds them all.
const ALL: CheckFunction<any>[] = [
  fieldEquals,
  fieldIn,
  fieldAtLeast,
  fieldAtMost,
  fieldPresent,
  anyOf,
  allOf,
  referencedNode,
  environmentAllowsPhi,
  baaInForce,
  baaClaimsNotRequired,
  baaCoversHosting,
  declaresDeidentification,
  dataUseAgreement,
  hasOutgoingFlow,
  backupMatchesSource,
  unsecuredPhi,
  hostingEligible,
  vendorOffersBaa,
  phiAbsent,
  catalogCategory,
  vendorReached,
  subcontractorBaaInForce,
  baaDisposition,
  accessLifecycle,
  auditLogReviewed,
  riskAnalysisDeclared,
  riskAnalysisCurrent,
  riskAnalysisCovers,
  incidentResponseTested,
  liveFact,
];

export const FUNCTIONS: ReadonlyMap<string, CheckFunction<unknown>> = new Map(ALL.map((f) => [f.name, f]));

/** A check whose options were validated and given their defaults when the rule pack was built. */
export interface NormalizedCheck extends CheckSpec {
  normalized: true;
}

// Parsed options are cached per spec object: rules are validated once at load, then run many times.
const parsedOptions = new WeakMap<CheckSpec, unknown>();

export function runCheck(spec: CheckSpec, target: Target, ctx: CheckContext): CheckResult {
  const fn = FUNCTIONS.get(spec.function);
  if (!fn) throw new Error(`unknown check function "${spec.function}"`);
  let options = parsedOptions.get(spec);
  if (options === undefined) {
    options = (spec as Partial<NormalizedCheck>).normalized ? (spec.options ?? {}) : fn.options.parse(spec.options ?? {});
    parsedOptions.set(spec, options);
  }
  return fn.run(target, options, ctx);
}

/** The checks nested in a check's options, with the option name, index and the targets they run on. */
export function nestedChecks(
  fn: CheckFunction<unknown>,
  options: Record<string, unknown>,
): { option: string; index?: number; spec: CheckSpec; nested: NestedOption }[] {
  const out: { option: string; index?: number; spec: CheckSpec; nested: NestedOption }[] = [];
  for (const [option, nested] of Object.entries(fn.nested)) {
    const value = options[option];
    if (nested.list && Array.isArray(value)) {
      value.forEach((spec, index) => {
        out.push({ option, index, spec: spec as CheckSpec, nested });
      });
    } else if (!nested.list && value && typeof value === 'object') out.push({ option, spec: value as CheckSpec, nested });
  }
  return out;
}

/** The check with its options (and nested checks' options) validated and defaulted, for the precompiled pack. */
export function normalizeCheck(spec: CheckSpec): NormalizedCheck {
  const fn = FUNCTIONS.get(spec.function);
  if (!fn) throw new Error(`unknown check function "${spec.function}"`);
  const options = fn.options.parse(spec.options ?? {}) as Record<string, unknown>;
  for (const { option, index, spec: inner } of nestedChecks(fn, options)) {
    if (index === undefined) options[option] = normalizeCheck(inner);
    else (options[option] as CheckSpec[])[index] = normalizeCheck(inner);
  }
  return { function: spec.function, options, normalized: true };
}
