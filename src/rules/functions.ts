/**
 * The closed set of named check functions rules are built from. A rule file names one and gives options,
 * which are validated against the function's schema when rules load. No code ever comes from a rule file.
 */
import { z } from 'zod';
import type { Catalog } from '../enrich/catalog.js';
import type { Propagation } from '../graph/propagate.js';
import { parseHosting, type MapFlow, type MapNode, type PhiMap, type VendorNode } from '../map/model.js';
import type { CheckSpec, TargetType } from './schema.js';

export type Target = { type: 'node'; node: MapNode } | { type: 'flow'; flow: MapFlow };

export interface CheckContext {
  readonly map: PhiMap;
  readonly phi: Propagation;
  /** YYYY-MM-DD */
  readonly asOf: string;
  readonly catalog: () => Catalog;
  /** Flows leaving a node, in map order. */
  readonly outgoing: (nodeId: string) => readonly MapFlow[];
}

export type Status = 'pass' | 'fail' | 'unknown' | 'not-applicable';

export interface CheckResult {
  status: Status;
  /** Selects the rule's message when it has one per reason. */
  reason?: string;
  /** Values for the message's {placeholders}. */
  args?: Record<string, string | number>;
}

export interface CheckFunction<O = unknown> {
  readonly name: string;
  readonly description: string;
  readonly targets: readonly TargetType[];
  readonly options: z.ZodType<O>;
  run(target: Target, options: O, ctx: CheckContext): CheckResult;
}

// Most checks pass; one shared result keeps the hot path free of allocation.
const PASSED: CheckResult = Object.freeze({ status: 'pass' });
const pass = (args?: CheckResult['args']): CheckResult => (args ? { status: 'pass', args } : PASSED);
const fail = (reason: string, args?: CheckResult['args']): CheckResult => ({ status: 'fail', reason, ...(args ? { args } : {}) });
const notApplicable: CheckResult = { status: 'not-applicable' };

function specOf(target: Target): Record<string, unknown> {
  return (target.type === 'node' ? target.node.spec : target.flow.spec) as Record<string, unknown>;
}

/** `encryption.at_rest` → the value, or undefined. */
const fieldPaths = new Map<string, string[]>();

export function getField(spec: Record<string, unknown>, field: string): unknown {
  let parts = fieldPaths.get(field);
  if (!parts) fieldPaths.set(field, (parts = field.split('.')));
  let cur: unknown = spec;
  for (const part of parts) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

const show = (v: unknown): string => (Array.isArray(v) ? v.join(', ') : typeof v === 'string' ? v : JSON.stringify(v));
const missingMode = z.enum(['fail', 'unknown', 'pass']).default('fail').describe('what an undeclared field means');
const scalar = z.union([z.string(), z.number(), z.boolean()]);

function missing(mode: 'fail' | 'unknown' | 'pass', field: string): CheckResult {
  if (mode === 'pass') return pass({ field });
  return { status: mode, reason: 'missing', args: { field, value: 'undeclared' } };
}

function fieldCheck<O extends { field: string; missing: 'fail' | 'unknown' | 'pass' }>(
  name: string,
  description: string,
  extra: z.ZodRawShape,
  test: (value: unknown, options: O) => { ok: boolean; expected: string },
): CheckFunction<O> {
  return {
    name,
    description,
    targets: ['service', 'store', 'log', 'vendor', 'flow'],
    options: z.strictObject({ field: z.string(), missing: missingMode, ...extra }) as unknown as z.ZodType<O>,
    run(target, options) {
      const value = getField(specOf(target), options.field);
      if (value !== undefined && test(value, options).ok) return PASSED;
      const { expected } = test(value, options);
      if (value === undefined) {
        return options.missing === 'pass' ? PASSED : { ...missing(options.missing, options.field), args: { field: options.field, value: 'undeclared', expected } };
      }
      return fail('value', { field: options.field, value: show(value), expected });
    },
  };
}

const fieldEquals = fieldCheck<{ field: string; missing: 'fail' | 'unknown' | 'pass'; value: string | number | boolean }>(
  'field-equals',
  'passes when the field equals `value`',
  { value: scalar },
  (v, o) => ({ ok: v === o.value, expected: show(o.value) }),
);

const fieldIn = fieldCheck<{ field: string; missing: 'fail' | 'unknown' | 'pass'; values: (string | number | boolean)[] }>(
  'field-in',
  'passes when the field is one of `values`',
  { values: z.array(scalar).min(1) },
  (v, o) => ({ ok: o.values.includes(v as string), expected: o.values.map(show).join(' or ') }),
);

const fieldAtLeast = fieldCheck<{ field: string; missing: 'fail' | 'unknown' | 'pass'; min: number }>(
  'field-at-least',
  'passes when the field is a number of at least `min`',
  { min: z.number() },
  (v, o) => ({ ok: typeof v === 'number' && v >= o.min, expected: `at least ${o.min}` }),
);

const fieldAtMost = fieldCheck<{ field: string; missing: 'fail' | 'unknown' | 'pass'; max: number }>(
  'field-at-most',
  'passes when the field is a number of at most `max`',
  { max: z.number() },
  (v, o) => ({ ok: typeof v === 'number' && v <= o.max, expected: `at most ${o.max}` }),
);

const fieldPresent: CheckFunction<{ field: string }> = {
  name: 'field-present',
  description: 'passes when the field is declared',
  targets: ['service', 'store', 'log', 'vendor', 'flow'],
  options: z.strictObject({ field: z.string() }),
  run(target, { field }) {
    const value = getField(specOf(target), field);
    return value === undefined ? fail('missing', { field }) : pass({ field, value: show(value) });
  },
};

// Combinators take nested checks; their options are validated recursively when rules load.
const nested = z.array(z.strictObject({ function: z.string(), options: z.record(z.string(), z.unknown()).optional() })).min(1);

const anyOf: CheckFunction<{ checks: CheckSpec[] }> = {
  name: 'any-of',
  description: 'passes when any of `checks` passes; otherwise reports the first failure',
  targets: ['service', 'store', 'log', 'vendor', 'flow'],
  options: z.strictObject({ checks: nested }),
  run(target, { checks }, ctx) {
    let first: CheckResult | undefined;
    let unknown: CheckResult | undefined;
    for (const c of checks) {
      const r = runCheck(c, target, ctx);
      if (r.status === 'pass' || r.status === 'not-applicable') return r;
      if (r.status === 'unknown') unknown ??= r;
      else first ??= r;
    }
    return unknown ?? first ?? notApplicable;
  },
};

const allOf: CheckFunction<{ checks: CheckSpec[] }> = {
  name: 'all-of',
  description: 'passes when every one of `checks` passes; reports the first that does not',
  targets: ['service', 'store', 'log', 'vendor', 'flow'],
  options: z.strictObject({ checks: nested }),
  run(target, { checks }, ctx) {
    let unknown: CheckResult | undefined;
    let last: CheckResult = notApplicable;
    for (const c of checks) {
      const r = runCheck(c, target, ctx);
      if (r.status === 'fail') return r;
      if (r.status === 'unknown') unknown ??= r;
      else last = r;
    }
    return unknown ?? last;
  },
};

const referencedNode: CheckFunction<{ field: 'audit_log' | 'backup'; check: CheckSpec }> = {
  name: 'referenced-node',
  description: 'follows the node reference in `field` (audit_log or backup) and runs `check` on the node it names; not applicable when the field is undeclared',
  targets: ['service', 'store', 'log'],
  options: z.strictObject({
    field: z.enum(['audit_log', 'backup']),
    check: z.strictObject({ function: z.string(), options: z.record(z.string(), z.unknown()).optional() }),
  }),
  run(target, { field, check }, ctx) {
    if (target.type !== 'node') return notApplicable;
    const ref = getField(target.node.spec as Record<string, unknown>, field);
    // Whether the reference exists at all is a rule of its own (audit-log-declared, backup-exists).
    if (typeof ref !== 'string') return notApplicable;
    const node = ctx.map.nodes.get(ref);
    if (!node) return { status: 'unknown', reason: 'dangling', args: { field, ref } };
    const r = runCheck(check, { type: 'node', node }, ctx);
    return { ...r, args: { ...(r.args ?? {}), ref, ref_field: r.args?.field ?? '' } };
  },
};

const environmentAllowsPhi: CheckFunction<Record<string, never>> = {
  name: 'environment-allows-phi',
  description: 'fails when the node is in an environment declared `phi_allowed: false`',
  targets: ['service', 'store', 'log'],
  options: z.strictObject({}),
  run(target, _o, ctx) {
    if (target.type !== 'node' || target.node.type === 'vendor') return notApplicable;
    const env = target.node.spec.environment;
    if (env === undefined) return notApplicable;
    const info = ctx.map.environments.get(env);
    if (!info) return { status: 'unknown', reason: 'dangling', args: { environment: env } };
    return info.phiAllowed ? pass({ environment: env }) : fail('not-allowed', { environment: env });
  },
};

const baaInForce: CheckFunction<Record<string, never>> = {
  name: 'baa-in-force',
  description: 'fails unless the vendor has a signed BAA in force on --as-of (signed on or before it, not expired)',
  targets: ['vendor'],
  options: z.strictObject({}),
  run(target, _o, ctx) {
    if (target.type !== 'node' || target.node.type !== 'vendor') return notApplicable;
    const baa = target.node.spec.baa;
    if (!baa) return fail('missing', { status: 'undeclared' });
    if (baa.status === 'not-required') return notApplicable;
    if (baa.status !== 'signed') return fail(baa.status, { status: baa.status });
    if (baa.signed !== undefined && baa.signed > ctx.asOf) return fail('not-yet', { status: baa.status, signed: baa.signed, as_of: ctx.asOf });
    if (baa.expires !== undefined && baa.expires <= ctx.asOf) return fail('expired', { status: baa.status, expires: baa.expires, as_of: ctx.asOf });
    return pass({ status: baa.status });
  },
};

const baaClaimsNotRequired: CheckFunction<Record<string, never>> = {
  name: 'baa-not-required-claim',
  description: 'fails when a vendor that handles PHI is marked `baa.status: not-required`',
  targets: ['vendor'],
  options: z.strictObject({}),
  run(target) {
    if (target.type !== 'node' || target.node.type !== 'vendor') return notApplicable;
    return target.node.spec.baa?.status === 'not-required' ? fail('claim') : pass();
  },
};

/** For a service, store or log hosted on VENDOR/SERVICE: the two names, and the vendor node when it is one. */
function hostedOn(target: Target, ctx: CheckContext): { host: { vendor: string; service: string }; vendor?: VendorNode } | undefined {
  if (target.type !== 'node' || target.node.type === 'vendor') return undefined;
  const host = parseHosting(target.node.spec.hosting);
  if (!host?.service) return undefined;
  const node = ctx.map.nodes.get(host.vendor);
  return { host: { vendor: host.vendor, service: host.service }, ...(node?.type === 'vendor' ? { vendor: node } : {}) };
}

const baaCoversHosting: CheckFunction<Record<string, never>> = {
  name: 'baa-covers-hosting',
  description: "fails when the node is hosted on VENDOR/SERVICE and the vendor's BAA lists `services` without SERVICE",
  targets: ['service', 'store', 'log'],
  options: z.strictObject({}),
  run(target, _o, ctx) {
    const hosted = hostedOn(target, ctx);
    if (!hosted?.vendor) return notApplicable;
    const { host, vendor } = hosted;
    const scope = vendor.spec.baa?.services;
    const args = { vendor: host.vendor, service: host.service };
    if (vendor.spec.baa?.status !== 'signed' || scope === undefined) return notApplicable;
    if (scope.includes(host.service)) return pass(args);
    // `rds` in the BAA covers `aws/rds-postgres` when the catalog knows them as one service.
    const catalog = ctx.catalog();
    const provider = vendor.spec.catalog ?? host.vendor;
    const wanted = catalog.canonicalService(provider, host.service);
    if (wanted !== undefined && scope.some((s) => catalog.canonicalService(provider, s) === wanted)) return pass(args);
    return fail('out-of-scope', { ...args, scope: scope.join(', ') || 'nothing' });
  },
};

const declaresDeidentification: CheckFunction<Record<string, never>> = {
  name: 'declares-deidentification',
  description: 'fails when a flow lists `data` that leaves out PHI its source holds and names no `deidentify:` method',
  targets: ['flow'],
  options: z.strictObject({}),
  run(target, _o, ctx) {
    if (target.type !== 'flow') return notApplicable;
    const { spec, id } = target.flow;
    if (spec.data === undefined || spec.deidentify !== undefined) return notApplicable;
    const dropped = ctx.phi.dropped(id);
    if (dropped.length === 0) return pass();
    // Carrying no PHI at all claims full de-identification; carrying some is a narrower (minimum necessary) claim.
    const reason = ctx.phi.carriesPhi(id) ? 'narrowed' : 'stripped';
    return fail(reason, { dropped: dropped.join(', '), carried: spec.data.join(', ') || 'nothing' });
  },
};

const FLOW_CONDITION = z.enum(['normal', 'error', 'retry', 'debug']);

const hasOutgoingFlow: CheckFunction<{ on: z.infer<typeof FLOW_CONDITION>[] }> = {
  name: 'has-outgoing-flow',
  description: 'passes when the node is the source of at least one flow whose `on:` condition is one of `on`',
  targets: ['service', 'store', 'log', 'vendor'],
  options: z.strictObject({ on: z.array(FLOW_CONDITION).min(1) }),
  run(target, { on }, ctx) {
    if (target.type !== 'node') return notApplicable;
    const found = ctx.outgoing(target.node.id).some((f) => on.includes(f.spec.on ?? 'normal'));
    return found ? pass({ on: on.join(' or ') }) : fail('none', { on: on.join(' or ') });
  },
};

const STRENGTH: Record<string, number> = { none: 0, 'aes-128': 1, 'aes-192': 2, 'aes-256': 3 };

const backupMatchesSource: CheckFunction<Record<string, never>> = {
  name: 'backup-matches-source',
  description: "fails when the node's backup store is weaker than the node: encryption algorithm or key control, public access, or access controls",
  targets: ['service', 'store', 'log'],
  options: z.strictObject({}),
  run(target, _o, ctx) {
    if (target.type !== 'node' || target.node.type === 'vendor') return notApplicable;
    const src = target.node.spec;
    if (src.backup === undefined) return notApplicable;
    const b = ctx.map.nodes.get(src.backup);
    if (!b || b.type !== 'store') return notApplicable;
    // Only what is weaker than the source: a backup as weak as its source is the source's problem, and the
    // backup's own gaps are reported by the store rules that apply to it (it holds the same PHI).
    const gaps: string[] = [];
    const srcEnc = src.encryption?.at_rest ?? 'none';
    const bEnc = b.spec.encryption?.at_rest;
    if (STRENGTH[bEnc ?? 'none']! < STRENGTH[srcEnc]!) {
      gaps.push(`encryption at rest is ${bEnc ?? 'undeclared'} (source: ${srcEnc})`);
    }
    if (src.encryption?.key === 'customer-managed' && b.spec.encryption?.key !== 'customer-managed') {
      gaps.push(`key is ${b.spec.encryption?.key ?? 'undeclared'} (source: customer-managed)`);
    }
    if (b.spec.public_access === 'allowed') gaps.push('public access is allowed');
    for (const k of ['unique_user_ids', 'mfa', 'rbac'] as const) {
      if (src.access?.[k] === true && b.spec.access?.[k] !== true) gaps.push(`access.${k} is ${String(b.spec.access?.[k] ?? 'undeclared')} (source: true)`);
    }
    return gaps.length === 0 ? pass({ backup: b.id }) : fail('weaker', { backup: b.id, gaps: gaps.join('; ') });
  },
};

const hostingEligible: CheckFunction<Record<string, never>> = {
  name: 'hosting-eligible',
  description: "fails when the node is hosted on PROVIDER/SERVICE and the bundled catalog does not list SERVICE among the provider's HIPAA-eligible services",
  targets: ['service', 'store', 'log'],
  options: z.strictObject({}),
  run(target, _o, ctx) {
    const hosted = hostedOn(target, ctx);
    if (!hosted) return notApplicable;
    const { host, vendor } = hosted;
    const catalogId = vendor?.spec.catalog ?? host.vendor;
    const verdict = ctx.catalog().serviceEligibility(catalogId, host.service);
    if (!verdict) return notApplicable;
    const note = (verdict.note ?? '').replace(/[.\s]+$/, '');
    const args = { provider: verdict.providerName, service: host.service, source: verdict.source, checked: verdict.checked, note };
    return verdict.eligible ? pass(args) : fail(verdict.listed ? 'not-eligible' : 'unlisted', args);
  },
};

const vendorOffersBaa: CheckFunction<Record<string, never>> = {
  name: 'vendor-offers-baa',
  description: "fails when the bundled vendor catalog says the vendor (or its declared `plan`) offers no BAA; unknown when the BAA depends on a plan the map does not name",
  targets: ['vendor'],
  options: z.strictObject({}),
  run(target, _o, ctx) {
    if (target.type !== 'node' || target.node.type !== 'vendor') return notApplicable;
    const v = target.node.spec;
    const entry = ctx.catalog().vendor(v.catalog ?? target.node.id);
    if (!entry) return notApplicable;
    const args = { vendor_name: entry.name, source: entry.source, checked: entry.checked, plan: v.plan ?? 'undeclared', retention: entry.retention ?? '' };
    if (entry.baa === 'available') return pass(args);
    if (entry.baa === 'not-offered') return fail('not-offered', args);
    if (entry.baa === 'unknown') return { status: 'unknown', reason: 'catalog-unknown', args };
    if (v.plan === undefined) return { status: 'unknown', reason: 'no-plan', args: { ...args, plans: Object.keys(entry.plans ?? {}).join(', ') } };
    const plan = entry.plans?.[v.plan];
    if (!plan) return { status: 'unknown', reason: 'unknown-plan', args: { ...args, plans: Object.keys(entry.plans ?? {}).join(', ') } };
    if (plan.baa === 'not-offered') return fail('plan-not-offered', { ...args, note: plan.note ?? '' });
    if (plan.baa === 'unknown') return { status: 'unknown', reason: 'catalog-unknown', args };
    return pass(args);
  },
};

const phiAbsent: CheckFunction<Record<string, never>> = {
  name: 'phi-absent',
  description: 'fails when PHI reaches the target (held by a node or vendor, carried by a flow); use with `phi: any`',
  targets: ['service', 'store', 'log', 'vendor', 'flow'],
  options: z.strictObject({}),
  run(target, _o, ctx) {
    const classes = target.type === 'flow' ? ctx.phi.phiCarried(target.flow.id) : ctx.phi.phiAt(target.node.id);
    return classes.length === 0 ? pass() : fail('present', { classes: classes.join(', ') });
  },
};

const catalogCategory: CheckFunction<{ categories: string[] }> = {
  name: 'catalog-category',
  description: "passes when the vendor's entry in the bundled vendor catalog has one of `categories` (llm-api, observability, error-tracking, ...)",
  targets: ['vendor'],
  options: z.strictObject({ categories: z.array(z.string()).min(1) }),
  run(target, { categories }, ctx) {
    if (target.type !== 'node' || target.node.type !== 'vendor') return notApplicable;
    const entry = ctx.catalog().vendor(target.node.spec.catalog ?? target.node.id);
    if (!entry) return fail('not-listed');
    return categories.includes(entry.category) ? pass({ category: entry.category }) : fail('other', { category: entry.category });
  },
};

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
  hasOutgoingFlow,
  backupMatchesSource,
  hostingEligible,
  vendorOffersBaa,
  phiAbsent,
  catalogCategory,
];

export const FUNCTIONS: ReadonlyMap<string, CheckFunction<any>> = new Map(ALL.map((f) => [f.name, f]));


// Parsed options are cached per spec object: rules are validated once at load, then run many times.
const parsedOptions = new WeakMap<CheckSpec, unknown>();

/** A check whose options were validated and given their defaults when the rule pack was built. */
export interface NormalizedCheck extends CheckSpec {
  normalized: true;
}

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

/** The check with its options (and nested checks' options) validated and defaulted, for the precompiled pack. */
export function normalizeCheck(spec: CheckSpec): NormalizedCheck {
  const fn = FUNCTIONS.get(spec.function);
  if (!fn) throw new Error(`unknown check function "${spec.function}"`);
  const options = fn.options.parse(spec.options ?? {}) as Record<string, unknown>;
  if (Array.isArray(options.checks)) options.checks = (options.checks as CheckSpec[]).map(normalizeCheck);
  if (options.check && typeof options.check === 'object') options.check = normalizeCheck(options.check as CheckSpec);
  return { function: spec.function, options, normalized: true };
}
