/**
 * Evaluate stage: every rule against every target it applies to. Checks read facts through their context; the
 * evaluator records each fact read, so a finding carries its evidence without any check reporting it. A check that
 * throws becomes an unknown finding for that rule and target, never a crash and never a pass.
 */
import { runCheck } from '../checks/index.js';
import type { CatalogView, CheckContext, CheckResult, FlowTarget, GraphView, NodeTarget, Target } from '../checks/types.js';
import type { Catalog } from '../enrich/catalog.js';
import type { Fact, FactReader } from '../enrich/facts.js';
import type { Propagation } from '../graph/propagate.js';
import { kindOf, type PhiMap } from '../map/model.js';
import type { LoadedRule, Severity, TargetType } from '../rules/schema.js';
import { type Anchor, type Position, position } from '../source/positions.js';
import { Finding, type RuleOutcome, type RuleRun, sameVerdict, sortFindings } from './finding.js';
import { compileRule, type TargetFacts } from './messages.js';

export interface EvaluateInput {
  readonly map: PhiMap;
  readonly phi: Propagation;
  readonly facts: FactReader;
  readonly catalog: Catalog;
  readonly rules: readonly LoadedRule[];
  /** YYYY-MM-DD */
  readonly asOf: string;
}

export interface Evaluation {
  findings: Finding[];
  /** Per rule id: how many targets passed, failed, were unknown or not applicable. */
  outcomes: Map<string, RuleOutcome>;
}

/**
 * The targets of one type, with what every rule asks of them worked out once. Kept as parallel lists, not an object
 * per target: a 50 MB map has 700,000 targets.
 */
interface Candidates {
  readonly targets: Target[];
  readonly anchors: Anchor[];
  /** 1 when PHI touches the target: held by a node, sent or held by a vendor, carried by a flow. */
  readonly phi: number[];
  /** Filled in the first time a rule finds something on the target. */
  readonly facts: (Summary | undefined)[];
}

/**
 * The facts of a target that findings show, worked out when first needed. Its PHI path and location are made on each
 * read, from the propagation's parent pointers and the target's anchor: a finding costs O(1) to record, and a map with
 * a million findings keeps no path and no position per target.
 */
class Summary implements TargetFacts {
  readonly classes: readonly string[];
  readonly records: number | undefined;
  readonly #target: Target;
  readonly #at: Anchor;
  readonly #phi: Propagation;

  constructor(t: Target, at: Anchor, phi: Propagation, facts: FactReader) {
    this.#target = t;
    this.#at = at;
    this.#phi = phi;
    this.classes = t.type === 'flow' ? phi.phiCarried(t.id) : phi.phiAt(t.id);
    const records = t.type === 'flow' || t.type === 'vendor' ? undefined : facts.get(t.id, 'records').value;
    this.records = typeof records === 'number' ? records : undefined;
  }

  get target(): Target {
    return this.#target;
  }

  /**
   * At most MAX_SHOWN_PATH ids however long the path (a 10,000-node chain). The last path made is kept: a formatter
   * reads a finding's path several times in a row, and the findings of one target often follow each other.
   */
  get phiPath(): readonly string[] {
    if (Summary.#lastPathOf === this) return Summary.#lastPath;
    const t = this.#target;
    const phi = this.#phi;
    const path = (t.type === 'flow' ? phi.shownFlowPhiPath(t.id) : phi.shownPhiPathTo(t.id)) ?? (t.type !== 'flow' && phi.sendsPhi(t.id) ? [t.id] : []);
    Summary.#lastPathOf = this;
    Summary.#lastPath = Object.freeze(path);
    return Summary.#lastPath;
  }

  static #lastPathOf: Summary | undefined;
  static #lastPath: readonly string[] = [];

  get location(): Position {
    return position(this.#at);
  }
}

/** The graph's structure as checks see it: ids, types and kinds, never the map's fields. */
function graphView(map: PhiMap, nodes: ReadonlyMap<string, NodeTarget>, flows: readonly FlowTarget[]): GraphView {
  let outgoing: Map<string, FlowTarget[]> | undefined;
  return {
    node: (id) => nodes.get(id),
    outgoing(id) {
      if (!outgoing) {
        outgoing = new Map();
        for (const f of flows) {
          const list = outgoing.get(f.from);
          if (list) list.push(f);
          else outgoing.set(f.from, [f]);
        }
      }
      return outgoing.get(id) ?? [];
    },
    environment: (id) => map.environments.get(id),
  };
}

/** The catalog, with every lookup that answers recorded as a fact of provenance `catalog`. */
function catalogView(catalog: Catalog, record: (fact: Fact, stored: boolean) => void): CatalogView {
  return {
    serviceEligibility(provider, service) {
      const verdict = catalog.serviceEligibility(provider, service);
      if (verdict) {
        record(
          {
            subject: `${provider}/${service}`,
            field: 'hipaa-eligible',
            value: verdict.eligible,
            declared: undefined,
            provenance: 'catalog',
            source: `${verdict.source} (as of ${verdict.as_of}, reviewed ${verdict.reviewed})`,
          },
          false,
        );
      }
      return verdict;
    },
    canonicalService: (provider, service) => catalog.canonicalService(provider, service),
    vendor(id) {
      const entry = catalog.vendor(id);
      if (entry) {
        record(
          {
            subject: id,
            field: 'vendor-catalog',
            value: { baa: entry.baa, category: entry.category },
            declared: undefined,
            provenance: 'catalog',
            source: `${entry.source} (as of ${entry.as_of}, reviewed ${entry.reviewed})`,
          },
          false,
        );
      }
      return entry;
    },
  };
}

function severityFor(rule: LoadedRule, t: Target, ctx: CheckContext): Severity {
  for (const e of rule.escalate ?? []) {
    if (ctx.check(e.when, t).status === 'pass') return e.severity;
  }
  return rule.severity;
}

/** The context checks run in, over a map's targets; `record` sees every fact a check reads. */
export function checkContext(
  input: Omit<EvaluateInput, 'rules'>,
  record: (fact: Fact, stored: boolean) => void = () => {},
): { ctx: CheckContext; nodes: ReadonlyMap<string, NodeTarget>; flows: readonly FlowTarget[] } {
  const { map, facts } = input;
  const nodes = new Map<string, NodeTarget>();
  for (const node of map.nodes.values()) nodes.set(node.id, { type: node.type, id: node.id, kind: kindOf(node) });
  const flows: FlowTarget[] = map.flows.map((f) => ({ type: 'flow', id: f.id, from: f.from, to: f.to }));
  const ctx: CheckContext = {
    asOf: input.asOf,
    phi: input.phi,
    graph: graphView(map, nodes, flows),
    catalog: catalogView(input.catalog, record),
    fact(subject, field) {
      const fact = facts.get(subject, field);
      if (fact.provenance === 'unavailable') unreadable.push(fact);
      record(fact, true);
      return fact;
    },
    check(spec, target) {
      const before = unreadable.length;
      const result = runCheck(spec, target, ctx);
      // Fail closed: a check that read a fact no source could establish cannot pass, skip, or call it missing.
      if (unreadable.length === before || result.status === 'unknown' || (result.status === 'fail' && result.reason !== 'missing')) return result;
      const fact = unreadable[before]!;
      return { status: 'unknown', reason: 'unavailable', args: { field: fact.field, value: 'unavailable', error: fact.error ?? '' } };
    },
  };
  // Facts read that a live source could not establish; only ever grows within a run.
  const unreadable: Fact[] = [];
  return { ctx, nodes, flows };
}

export function evaluate(input: EvaluateInput): Evaluation {
  const { map, phi, facts, rules } = input;
  // The facts one rule read on one target (see FactTrail); reset before each, copied into a finding when there is one.
  const reads: (string | Fact)[] = [];
  let current = '';
  const { ctx, nodes, flows } = checkContext(input, (fact, stored) => {
    reads.push(stored && fact.subject === current ? fact.field : fact);
  });

  // Candidates by type, built once: every rule draws from these lists.
  const byType = new Map<TargetType, Candidates>();
  for (const type of ['flow', 'vendor', 'service', 'store', 'log'] as const) byType.set(type, { targets: [], anchors: [], phi: [], facts: [] });
  const add = (type: TargetType, target: Target, at: Anchor, touches: boolean): void => {
    const list = byType.get(type)!;
    list.targets.push(target);
    list.anchors.push(at);
    list.phi.push(touches ? 1 : 0);
    list.facts.push(undefined);
  };
  map.flows.forEach((flow, i) => {
    add('flow', flows[i]!, flow.at, phi.carriesPhi(flow.id));
  });
  for (const node of map.nodes.values()) {
    add(node.type, nodes.get(node.id)!, node.at, phi.holdsPhi(node.id) || (node.type === 'vendor' && phi.sendsPhi(node.id)));
  }

  const findings: Finding[] = [];
  const outcomes = new Map<string, RuleOutcome>();
  for (const rule of rules) {
    const run: RuleRun = { compiled: compileRule(rule), reader: facts };
    const outcome: RuleOutcome = { pass: 0, fail: 0, unknown: 0, not_applicable: 0 };
    outcomes.set(rule.id, outcome);
    const recent = new Recent(sameVerdict);
    const { targets, kinds, exclude_kinds, phi: phiMode, when } = rule.applies_to;
    for (const [type, list] of byType) {
      if (!targets.includes(type)) continue;
      for (let i = 0; i < list.targets.length; i++) {
        const target = list.targets[i]!;
        const kind = target.type === 'flow' ? undefined : target.kind;
        if (
          (phiMode === 'required' && list.phi[i] === 0) ||
          (kinds && (kind === undefined || !kinds.includes(kind))) ||
          (exclude_kinds && kind !== undefined && exclude_kinds.includes(kind))
        ) {
          outcome.not_applicable++;
          continue;
        }
        reads.length = 0;
        current = target.id;
        let result: CheckResult;
        let severity: Severity;
        try {
          const applies = when ? ctx.check(when, target) : undefined;
          if (applies && applies.status !== 'pass') {
            // Whether the rule applies could not be established: that is unknown, not a reason to skip it.
            if (applies.status !== 'unknown' || applies.reason !== 'unavailable') {
              outcome.not_applicable++;
              continue;
            }
            result = applies;
          } else {
            result = ctx.check(rule.check, target);
            // Three states: a safeguard the map does not declare is not established (unknown), unless the rule judges
            // what the map says about itself and needs the value for that.
            if (result.status === 'fail' && result.reason === 'missing' && rule.undeclared !== 'fail') result = { ...result, status: 'unknown' };
          }
          if (result.status === 'pass' || result.status === 'not-applicable') {
            if (result.status === 'pass') outcome.pass++;
            else outcome.not_applicable++;
            continue;
          }
          severity = severityFor(rule, target, ctx);
        } catch (err) {
          // A broken check must not hide the others, and must not pass: it is an unknown for this rule and target.
          result = { status: 'unknown', reason: 'error', args: { error: (err as Error).message } };
          severity = rule.severity;
        }
        if (result.status === 'unknown') outcome.unknown++;
        else outcome.fail++;
        let shared = list.facts[i];
        if (shared === undefined) list.facts[i] = shared = new Summary(target, list.anchors[i]!, phi, facts);
        findings.push(
          new Finding(
            run,
            shared,
            recent.share({
              severity,
              status: result.status === 'unknown' ? 'unknown' : 'fail',
              reason: result.reason,
              args: result.args ?? NO_ARGS,
              reads: reads.slice(),
            }),
          ),
        );
      }
    }
  }
  return { findings: sortFindings(findings), outcomes };
}

/**
 * Consecutive findings of one rule mostly say the same thing (`encryption.at_rest` is `undeclared` on target after
 * target): such findings share one verdict, found among the last few made.
 */
class Recent<T> {
  readonly #items: T[] = [];
  constructor(private readonly same: (a: T, b: T) => boolean) {}

  share(item: T): T {
    for (const seen of this.#items) if (this.same(seen, item)) return seen;
    if (this.#items.length === 8) this.#items.pop();
    this.#items.unshift(item);
    return item;
  }
}

const NO_ARGS: Readonly<Record<string, string | number>> = Object.freeze({});
