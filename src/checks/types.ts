/**
 * The check vocabulary's shape. A check function is named, declares the targets it applies to and the options it
 * takes (a zod schema, checked when rules load), and reads everything it judges through its context: facts with
 * provenance, the graph's structure, where PHI goes and the bundled catalogs. It never sees the map's file format.
 */
import type { z } from 'zod';
import type { Eligibility, VendorEntry } from '../enrich/catalog.js';
import type { Fact } from '../enrich/facts.js';
import type { Propagation } from '../graph/propagate.js';
import type { CheckSpec, TargetType } from '../rules/schema.js';

export type NodeType = Exclude<TargetType, 'flow'>;

export interface NodeTarget {
  readonly type: NodeType;
  readonly id: string;
  /** A store's or log's kind. */
  readonly kind?: string | undefined;
}

export interface FlowTarget {
  readonly type: 'flow';
  readonly id: string;
  readonly from: string;
  readonly to: string;
}

export type Target = NodeTarget | FlowTarget;
/** The target a check declared for `T` gets: a flow for 'flow', a node of that type otherwise. */
export type TargetOf<T extends TargetType> = T extends 'flow' ? FlowTarget : NodeTarget & { readonly type: T };

export interface GraphView {
  node(id: string): NodeTarget | undefined;
  /** Flows leaving a node, in map order. */
  outgoing(nodeId: string): readonly FlowTarget[];
  environment(id: string): { readonly phiAllowed: boolean } | undefined;
}

/** The bundled catalogs; every lookup is recorded as evidence with provenance `catalog`. */
export interface CatalogView {
  /** Undefined when the catalog does not know the provider's list. */
  serviceEligibility(provider: string, service: string): Eligibility | undefined;
  /** The catalog's own name for a provider's service or alias (alias resolution, not evidence). */
  canonicalService(provider: string, service: string): string | undefined;
  vendor(id: string): VendorEntry | undefined;
}

export interface CheckContext {
  /** YYYY-MM-DD */
  readonly asOf: string;
  readonly phi: Propagation;
  readonly graph: GraphView;
  readonly catalog: CatalogView;
  /** A fact about a node or flow; the evaluator records each one read as the finding's evidence. */
  fact(subject: string, field: string): Fact;
  /** Run a nested check (combinators, referenced nodes) on a target. */
  check(spec: CheckSpec, target: Target): CheckResult;
}

export type Status = 'pass' | 'fail' | 'unknown' | 'not-applicable';

export interface CheckResult {
  status: Status;
  /** Selects the rule's message when it has one per reason. */
  reason?: string;
  /** Values for the message's {placeholders}. */
  args?: Record<string, string | number>;
}

/** An option that holds nested checks, validated and normalized with the rule. */
export interface NestedOption {
  /** A list of checks (`checks:`) or a single one (`check:`). */
  readonly list: boolean;
  /** The targets the nested checks run on, when not the rule's own (a referenced node is a store or log). */
  readonly targets?: readonly TargetType[];
}

/**
 * Options that name one of the map's fields and the values compared with it, for the rule loader to check against
 * what a map can declare (a misspelled field or value would make a rule pass, or never apply, everywhere).
 */
export interface FieldRoles {
  /** The option holding the field's path (`encryption.at_rest`). */
  readonly field: string;
  /** The option holding the value the field is compared with, or a list of them (`values`). */
  readonly value?: { readonly option: string; readonly list: boolean };
  /** The field must hold a number (a comparison with `min` or `max`). */
  readonly number?: boolean;
}

export interface CheckFunction<O = unknown> {
  readonly name: string;
  readonly description: string;
  readonly targets: readonly TargetType[];
  readonly options: z.ZodType<O>;
  /** Options that hold nested checks, by option name. */
  readonly nested: Readonly<Record<string, NestedOption>>;
  /** Options that name a map field, when the function reads one the rule chooses. */
  readonly fields?: FieldRoles | undefined;
  run(target: Target, options: O, ctx: CheckContext): CheckResult;
}

export type { CheckSpec };
