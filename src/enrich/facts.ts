/**
 * Facts with provenance (docs/map-format.md, "Evidence"). Every safeguard value a check reads is a fact about a
 * subject (a node or flow id) and a field (`encryption.at_rest`, `baa.status`): the value judged, what the map
 * declared, and where the value came from. The map is the first evidence source; enrichers (live cloud reads) add
 * observations on top, which verify or contradict what the map says, or record that they could not be read.
 */
import type { MapFlow, MapNode, PhiMap } from '../map/model.js';
import type { Anchor } from '../source/positions.js';

export const PROVENANCES = ['declared', 'undeclared', 'verified', 'contradicted', 'unavailable', 'catalog'] as const;
export type Provenance = (typeof PROVENANCES)[number];

export interface Fact {
  readonly subject: string;
  readonly field: string;
  /** The value rules judge: the observed one when a live check read it, else the declared one. */
  readonly value: unknown;
  /** What the map says; undefined when it is silent. */
  readonly declared: unknown;
  /** What a live check read, when one did. */
  readonly observed?: unknown;
  readonly provenance: Provenance;
  /** Where the value came from, other than the map: an API call, a catalog's public source and date. */
  readonly source?: string;
  /** The subject's place in the map, for declared and undeclared facts. */
  readonly at?: Anchor | undefined;
  /** Why a live check could not read the value (provenance `unavailable`). */
  readonly error?: string;
}

/** What an evidence source saw in a live system: a value, or the error that kept it from reading one. */
export type Observation =
  | { subject: string; field: string; observed: unknown; source: string }
  | { subject: string; field: string; error: string; source: string };

export interface FactReader {
  get(subject: string, field: string): Fact;
}

export interface FactStore extends FactReader {
  /** Record what a live source observed; the fact becomes verified, contradicted or unavailable. */
  observe(observation: Observation): Fact;
  /** Every fact an enricher touched, in the order observed. */
  observed(): readonly Fact[];
}

// A field's path, split once.
const fieldPaths = new Map<string, readonly string[]>();

/**
 * `encryption.at_rest` of a declared record, or undefined. Only the record's own fields count: a path through
 * something every object or list inherits (`constructor`, `__proto__`, `toString`, `data.length`) names no field,
 * so it is never declared.
 */
export function fieldOf(record: unknown, field: string): unknown {
  let parts = fieldPaths.get(field);
  if (parts === undefined) fieldPaths.set(field, (parts = field.split('.')));
  let cur: unknown = record;
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    if (cur === null || typeof cur !== 'object' || Array.isArray(cur) || !Object.hasOwn(cur, part)) return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => same(x, b[i]));
  if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    return ka.length === kb.length && ka.every((k) => Object.hasOwn(b, k) && same((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
  }
  return false;
}

/**
 * The subject of the system's own facts (`risk_analysis.date`, `incident_response.tested`), read from `system:`
 * written as a mapping (its text form declares only `name`). Not a valid node or flow id, so it never names one.
 */
export const SYSTEM_SUBJECT = '(system)';

/** The facts of a map: what it declares, plus whatever enrichers observe later. */
export function createFactStore(map: PhiMap): FactStore {
  // Nodes and flows by id, built on the first read, and the system. A flow's own id never names a node (the loader checks).
  let subjects: Map<string, { readonly spec: unknown; readonly at?: Anchor | undefined }> | undefined;
  // Facts are built on each read, not kept: a large map has millions, and only those behind a finding live on.
  const declared = (subject: string, field: string): Fact => {
    if (!subjects) {
      subjects = new Map<string, MapNode | MapFlow>(map.nodes);
      for (const f of map.flows) subjects.set(f.id, f);
      subjects.set(SYSTEM_SUBJECT, map.systemInfo ?? { spec: map.system !== undefined ? { name: map.system } : {} });
    }
    const s = subjects.get(subject);
    const value = s ? fieldOf(s.spec, field) : undefined;
    // One object literal of one shape: facts are read millions of times on a large map.
    return { subject, field, value, declared: value, provenance: value === undefined ? 'undeclared' : 'declared', at: s?.at };
  };
  // Observations by subject, then field. Empty until an enricher runs: the map alone never allocates here.
  const live = new Map<string, Map<string, Fact>>();
  const order: Fact[] = [];

  return {
    get(subject, field) {
      return live.get(subject)?.get(field) ?? declared(subject, field);
    },
    observe(o) {
      const base = declared(o.subject, o.field);
      let fact: Fact;
      if ('error' in o) {
        // Could not be read: nothing is known, whatever the map says.
        fact = { ...base, value: undefined, provenance: 'unavailable', source: o.source, error: o.error };
      } else {
        const agrees = base.declared === undefined || same(base.declared, o.observed);
        fact = { ...base, value: o.observed, observed: o.observed, provenance: agrees ? 'verified' : 'contradicted', source: o.source };
      }
      let fields = live.get(o.subject);
      if (!fields) live.set(o.subject, (fields = new Map()));
      fields.set(o.field, fact);
      order.push(fact);
      return fact;
    },
    observed: () => order,
  };
}
