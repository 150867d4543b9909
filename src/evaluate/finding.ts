/** Findings are data: wording beyond the rule's message, colour and layout belong to formatters. */
import type { Fact, FactReader, Provenance } from '../enrich/facts.js';
import { SEVERITY_RANK, type Severity, type TargetType } from '../rules/schema.js';
import { formatLocation } from '../source/diagnostics.js';
import { type Position, position } from '../source/positions.js';
import { type CompiledRule, render, type TargetFacts } from './messages.js';

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

/** What an entry of the map's `accepted:` list says (PHI-MAP 1.1 section 4). */
export interface AcceptanceTerms {
  readonly reason: string;
  readonly owner?: string | undefined;
  /** YYYY-MM-DD */
  readonly approved?: string | undefined;
  /** YYYY-MM-DD: the acceptance holds through this day. */
  readonly expires?: string | undefined;
  readonly ticket?: string | undefined;
  /** The documented alternative measure, for an addressable implementation specification. */
  readonly alternative?: string | undefined;
}

/** A finding's acceptance, as the finding carries it. */
export interface FindingAcceptance extends AcceptanceTerms {
  /** The entry's `finding:` pattern (RULE@TARGET, TARGET may be a glob) and where the entry is. */
  readonly pattern: string;
  readonly location: Position;
}

/** What every finding of one rule in one run shares: the compiled rule and the facts it was judged on. */
export interface RuleRun {
  readonly compiled: CompiledRule;
  /** The fact store the rule read (see `Finding.facts()`). */
  readonly reader: FactReader;
}

/**
 * What a rule concluded on a target, apart from the target itself: severity, status, reason, the arguments its message
 * is rendered from and the fields it read. Consecutive findings of one rule mostly conclude the same (`encryption` is
 * undeclared on target after target), so they share one verdict.
 */
export interface Verdict {
  readonly severity: Severity;
  readonly status: FindingStatus;
  /** The check's reason (which of the rule's messages). */
  readonly reason: string | undefined;
  readonly args: Readonly<Record<string, string | number>>;
  /** The facts the rule read on its target (see `Finding.facts()`). */
  readonly reads: readonly (string | Fact)[];
}

/** Whether two verdicts say the same: a field name read stands for the same fact on every target; a fact read does not. */
export function sameVerdict(a: Verdict, b: Verdict): boolean {
  if (a.severity !== b.severity || a.status !== b.status || a.reason !== b.reason) return false;
  if (a.reads.length !== b.reads.length) return false;
  for (let i = 0; i < a.reads.length; i++) if (a.reads[i] !== b.reads[i] || typeof a.reads[i] !== 'string') return false;
  const ka = Object.keys(a.args);
  if (ka.length !== Object.keys(b.args).length) return false;
  for (const k of ka) if (!Object.hasOwn(b.args, k) || a.args[k] !== b.args[k]) return false;
  return true;
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

/** What triage adds to a finding; most findings get none of it, so it is one optional record. */
interface Triaged {
  folded_under?: string | undefined;
  accepted?: FindingAcceptance | undefined;
  baseline?: 'new' | 'existing' | undefined;
}

/**
 * The message of a finding: the rule's template for its reason, filled in; a check that could not run, or a live fact
 * that could not be read where the rule has no message for that, says so in words of its own.
 */
function messageOf(compiled: CompiledRule, facts: TargetFacts, reason: string | undefined, args: Readonly<Record<string, string | number>>): string {
  const { id } = facts.target;
  if (reason === 'error') {
    return `the check for rule ${compiled.rule.id} could not run on ${id} (${String(args.error)}), so this safeguard is unverified`;
  }
  if (reason === 'unavailable' && !compiled.messages.has('unavailable')) {
    return `${id}: ${String(args.field)} could not be read from the live system (${String(args.error)}), so this safeguard is not established`;
  }
  const template = (reason !== undefined ? compiled.messages.get(reason) : undefined) ?? compiled.fallback;
  return render(template, facts, args);
}

/**
 * A finding. A large map has over a million of them, so a finding is four pointers (56 bytes): to the rule's run
 * (title, citations, remediation, the fact store), the target's facts (id, type, PHI path, location, classes,
 * records), the verdict (severity, status, reason, arguments, fields read; mostly shared too), and what triage adds.
 * Everything else is made when read: its id, its message and its evidence.
 *
 * Evidence: the facts the rule read on its target, in the order read. A field name stands for that field of the
 * target itself, read again from the store when asked (the same fact: nothing changes the store after enrichment);
 * any other fact (another subject's, a catalog entry) is kept as read.
 */
export class Finding {
  readonly #run: RuleRun;
  readonly #shared: TargetFacts;
  readonly #verdict: Verdict;
  #triaged: Triaged | undefined;

  /** `run` and `shared` are shared with every finding of the rule and on the target; `verdict` often is too. */
  constructor(run: RuleRun, shared: TargetFacts, verdict: Verdict) {
    this.#run = run;
    this.#shared = shared;
    this.#verdict = verdict;
    this.#triaged = undefined;
  }

  get rule(): string {
    return this.#run.compiled.rule.id;
  }

  get severity(): Severity {
    return this.#verdict.severity;
  }

  get status(): FindingStatus {
    return this.#verdict.status;
  }

  /** The check's reason (which of the rule's messages). */
  get reason(): string | undefined {
    return this.#verdict.reason;
  }

  /** The arguments the message is rendered from. */
  get args(): Readonly<Record<string, string | number>> {
    return this.#verdict.args;
  }

  get target(): string {
    return this.#shared.target.id;
  }

  get target_type(): TargetType {
    return this.#shared.target.type;
  }

  /** Set in triage: the id of the root-cause finding this one follows from (shown, not counted). */
  get folded_under(): string | undefined {
    return this.#triaged?.folded_under;
  }

  set folded_under(id: string | undefined) {
    (this.#triaged ??= {}).folded_under = id;
  }

  /** Set in triage: the active acceptance from the map's `accepted:` list (shown, never blocking). */
  get accepted(): FindingAcceptance | undefined {
    return this.#triaged?.accepted;
  }

  set accepted(acceptance: FindingAcceptance | undefined) {
    (this.#triaged ??= {}).accepted = acceptance;
  }

  /** Set in triage with a baseline: whether the baseline recorded this id (only new findings block). */
  get baseline(): 'new' | 'existing' | undefined {
    return this.#triaged?.baseline;
  }

  set baseline(mark: 'new' | 'existing' | undefined) {
    (this.#triaged ??= {}).baseline = mark;
  }

  /** Stable: RULE@TARGET */
  get id(): string {
    return `${this.rule}@${this.target}`;
  }

  get title(): string {
    return this.#run.compiled.rule.title;
  }

  /** Citation texts, as `45 CFR 164.312(a)(1)`. */
  get cite(): readonly string[] {
    return this.#run.compiled.cite;
  }

  get remediation(): string {
    return this.#run.compiled.remediation;
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
    return messageOf(this.#run.compiled, this.#shared, this.reason, this.args);
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
    const reader = this.#run.reader;
    const target = this.target;
    return once(this.#verdict.reads.map((r) => (typeof r === 'string' ? reader.get(target, r) : r)));
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
