/** Findings are data: wording beyond the rule's message, colour and layout belong to formatters. */
import type { Fact, FactReader, Provenance } from '../enrich/facts.js';
import { SEVERITY_RANK, type Severity, type TargetType } from '../rules/schema.js';
import { formatLocation } from '../source/diagnostics.js';
import { type Position, position } from '../source/positions.js';
import { type CompiledRule, render, type TargetFacts, type Template } from './messages.js';

export type FindingStatus = 'fail' | 'unknown';

/** A fact a finding rests on: `{ field, provenance, declared, observed, source }` plus the subject it is about. */
export interface Evidence {
  readonly subject: string;
  readonly field: string;
  readonly provenance: Provenance;
  readonly value?: unknown;
  readonly declared?: unknown;
  readonly observed?: unknown;
  /** The map location (`file:line:column`), the API call or the catalog source the value came from. */
  readonly source?: string;
  readonly error?: string;
}

export function toEvidence(fact: Fact): Evidence {
  const source = fact.source ?? (fact.at ? formatLocation(position(fact.at)) : undefined);
  return {
    subject: fact.subject,
    field: fact.field,
    provenance: fact.provenance,
    ...(fact.value !== undefined ? { value: fact.value } : {}),
    ...(fact.declared !== undefined ? { declared: fact.declared } : {}),
    ...(fact.observed !== undefined ? { observed: fact.observed } : {}),
    ...(source !== undefined ? { source } : {}),
    ...(fact.error !== undefined ? { error: fact.error } : {}),
  };
}

/** What a finding's acceptance says (PHI-MAP 1.1 section 4), as the finding carries it. */
export interface FindingAcceptance {
  readonly reason: string;
  readonly owner?: string | undefined;
  /** YYYY-MM-DD */
  readonly approved?: string | undefined;
  /** YYYY-MM-DD: the acceptance holds through this day. */
  readonly expires?: string | undefined;
  readonly ticket?: string | undefined;
  /** The documented alternative measure, for an addressable implementation specification. */
  readonly alternative?: string | undefined;
  /** The entry's `finding:` pattern (RULE@TARGET, TARGET may be a glob) and where the entry is. */
  readonly pattern: string;
  readonly location: Position;
}

/** What a finding is made from: the compiled rule and the target's facts are shared with every other finding on them. */
export interface FindingInit {
  readonly rule: CompiledRule;
  readonly target: string;
  readonly targetType: TargetType;
  /** Worked out once per target. */
  readonly shared: TargetFacts;
  readonly severity: Severity;
  readonly status: FindingStatus;
  /** The check's reason (which of the rule's messages). */
  readonly reason: string | undefined;
  /** The arguments the message is rendered from. */
  readonly args: Readonly<Record<string, string | number>>;
  /** The rule's template for this reason, or the text itself (a check that could not run). */
  readonly message: Template | string;
  /** The facts the rule read on its target (see `facts()`). */
  readonly reader: FactReader;
  readonly reads: readonly (string | Fact)[];
}

/** The facts read, each once, in the order first read. Lists are short (a rule reads a handful of facts). */
function once(list: readonly Fact[]): Fact[] {
  const out: Fact[] = [];
  for (const f of list) {
    let seen = false;
    for (const g of out) {
      if (g === f || (g.subject === f.subject && g.field === f.field && g.provenance === f.provenance)) {
        seen = true;
        break;
      }
    }
    if (!seen) out.push(f);
  }
  return out;
}

/**
 * A finding. A large map has over a million of them, so a finding keeps only what is its own (rule and target ids,
 * severity, status, reason, arguments) and points at what it shares: the compiled rule (title, citations,
 * remediation) and the target's facts (PHI path, location, classes, records). What can be made again is made when
 * read: its id, its message and its evidence.
 *
 * Evidence: the facts the rule read on its target, in the order read. A field name stands for that field of the
 * target itself, read again from the store when asked (the same fact: nothing changes the store after enrichment);
 * any other fact (another subject's, a catalog entry) is kept as read.
 */
export class Finding {
  readonly rule: string;
  readonly severity: Severity;
  readonly status: FindingStatus;
  readonly target: string;
  readonly target_type: TargetType;
  readonly reason: string | undefined;
  readonly args: Readonly<Record<string, string | number>>;
  /** Set in triage: the id of the root-cause finding this one follows from (shown, not counted). */
  folded_under?: string | undefined;
  /** Set in triage: the active acceptance from the map's `accepted:` list (shown, never blocking). */
  accepted?: FindingAcceptance | undefined;
  /** Set in triage with a baseline: whether the baseline recorded this id (only new findings block). */
  baseline?: 'new' | 'existing' | undefined;
  readonly #rule: CompiledRule;
  readonly #shared: TargetFacts;
  readonly #message: Template | string;
  readonly #reader: FactReader;
  readonly #reads: readonly (string | Fact)[];

  constructor(init: FindingInit) {
    this.rule = init.rule.rule.id;
    this.severity = init.severity;
    this.status = init.status;
    this.target = init.target;
    this.target_type = init.targetType;
    this.reason = init.reason;
    this.args = init.args;
    this.#rule = init.rule;
    this.#shared = init.shared;
    this.#message = init.message;
    this.#reader = init.reader;
    this.#reads = init.reads;
  }

  /** Stable: RULE@TARGET */
  get id(): string {
    return `${this.rule}@${this.target}`;
  }

  get title(): string {
    return this.#rule.rule.title;
  }

  /** Citation texts, as `45 CFR 164.312(a)(1)`. */
  get cite(): readonly string[] {
    return this.#rule.cite;
  }

  get remediation(): string {
    return this.#rule.remediation;
  }

  /** Node ids from a PHI origin to the target (for flows: to the flow's target). Empty when no PHI reaches it. */
  get phiPath(): readonly string[] {
    return this.#shared.phiPath;
  }

  get location(): Position {
    return this.#shared.location;
  }

  /** PHI classes at the target (held, or carried by a flow). */
  get phi(): readonly string[] {
    return this.#shared.classes;
  }

  /** `records` of the target when the map gives it. */
  get records(): number | undefined {
    return this.#shared.records;
  }

  get message(): string {
    const m = this.#message;
    return typeof m === 'string' ? m : render(m, { id: this.target, type: this.target_type }, this.#shared, this.args);
  }

  /** Built on each read and not kept: 300,000 findings' evidence lists would outweigh the findings. */
  get evidence(): Evidence[] {
    return this.facts().map(toEvidence);
  }

  /** As data: what JSON.stringify writes (getters are not own properties, so they are listed here). */
  toJSON(): Record<string, unknown> {
    return {
      id: this.id,
      rule: this.rule,
      title: this.title,
      severity: this.severity,
      status: this.status,
      cite: this.cite,
      target: this.target,
      target_type: this.target_type,
      message: this.message,
      phiPath: this.phiPath,
      location: this.location,
      remediation: this.remediation,
      phi: this.phi,
      ...(this.records !== undefined ? { records: this.records } : {}),
      ...(this.reason !== undefined ? { reason: this.reason } : {}),
      args: this.args,
      evidence: this.evidence,
      ...(this.folded_under !== undefined ? { folded_under: this.folded_under } : {}),
      ...(this.accepted !== undefined ? { accepted: this.accepted } : {}),
      ...(this.baseline !== undefined ? { baseline: this.baseline } : {}),
    };
  }

  /** The facts read, each once, with their map anchors. */
  facts(): readonly Fact[] {
    return once(this.#reads.map((r) => (typeof r === 'string' ? this.#reader.get(this.target, r) : r)));
  }
}

/** How one rule fared across the targets of its types. */
export interface RuleOutcome {
  pass: number;
  fail: number;
  unknown: number;
  not_applicable: number;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The distinct values, ranked in code-unit order. */
function ranks(values: Iterable<string>): Map<string, number> {
  return new Map([...new Set(values)].sort(cmp).map((v, i) => [v, i]));
}

/**
 * Deterministic order: most severe first, then by target, then rule (code-unit order). Each finding gets one number
 * from the three ranks, so a 300,000-finding sort compares numbers, not strings.
 */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  const targets = ranks(findings.map((f) => f.target));
  const rules = ranks(findings.map((f) => f.rule));
  const keys = new Float64Array(findings.length);
  const perTarget = rules.size;
  const perSeverity = targets.size * perTarget;
  findings.forEach((f, i) => {
    const key = (4 - SEVERITY_RANK[f.severity]) * perSeverity + targets.get(f.target)! * perTarget + rules.get(f.rule)!;
    // Key and index in one double: keys stay below 2^33 and indexes below 2^20 for any map this tool reads.
    keys[i] = key * 2 ** 20 + i;
  });
  if (findings.length >= 2 ** 20 || perSeverity * 5 >= 2 ** 33) {
    return [...findings].sort((a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || cmp(a.target, b.target) || cmp(a.rule, b.rule));
  }
  keys.sort();
  return Array.from(keys, (k) => findings[k % 2 ** 20]!);
}
