/** Evaluate stage: every rule against every target it applies to. A check that throws becomes a finding. */
import type { Propagation } from '../graph/propagate.js';
import type { MapFlow, PhiMap } from '../load/model.js';
import { position } from '../load/positions.js';
import { runCheck, type CheckContext, type CheckResult, type Target } from '../rules/functions.js';
import type { LoadedRule, Severity, TargetType } from '../rules/schema.js';
import { compareFindings, type Finding } from './finding.js';

function targetId(t: Target): string {
  return t.type === 'node' ? t.node.id : t.flow.id;
}

function targetType(t: Target): TargetType {
  return t.type === 'node' ? t.node.type : 'flow';
}

function kindOf(t: Target): string | undefined {
  if (t.type !== 'node') return undefined;
  const n = t.node;
  return n.type === 'store' || n.type === 'log' ? n.spec.kind : undefined;
}

/** Does PHI touch this target: held by a node, sent or held by a vendor, carried by a flow. */
function involvesPhi(t: Target, phi: Propagation): boolean {
  if (t.type === 'flow') return phi.carriesPhi(t.flow.id);
  return phi.holdsPhi(t.node.id) || (t.node.type === 'vendor' && phi.sendsPhi(t.node.id));
}

function fill(template: string, values: Record<string, string | number | undefined>): string {
  return template.replace(/\{([a-z_]+)\}/g, (whole, key: string) => {
    const v = values[key];
    return v === undefined || v === '' ? whole === '{note}' ? '' : `(${key} unknown)` : String(v);
  });
}

function messageFor(rule: LoadedRule, result: CheckResult): string {
  if (typeof rule.message === 'string') return rule.message;
  return (result.reason !== undefined ? rule.message[result.reason] : undefined) ?? rule.message.default ?? rule.message.fail ?? rule.title;
}

function severityFor(rule: LoadedRule, t: Target, ctx: CheckContext): Severity {
  for (const e of rule.escalate ?? []) {
    if (runCheck(e.when, t, ctx).status === 'pass') return e.severity;
  }
  return rule.severity;
}

export function citationText(c: LoadedRule['cite'][number]): string {
  return `${c.regulation} ${c.section}`;
}

export interface EvaluateOptions {
  asOf: string;
  catalog: CheckContext['catalog'];
}

export function evaluate(map: PhiMap, phi: Propagation, rules: readonly LoadedRule[], options: EvaluateOptions): Finding[] {
  let outgoing: Map<string, MapFlow[]> | undefined;
  const ctx: CheckContext = {
    map,
    phi,
    asOf: options.asOf,
    catalog: options.catalog,
    outgoing: (id) => {
      if (!outgoing) {
        outgoing = new Map();
        for (const f of map.flows) {
          const list = outgoing.get(f.from);
          if (list) list.push(f);
          else outgoing.set(f.from, [f]);
        }
      }
      return outgoing.get(id) ?? [];
    },
  };
  // Targets by type, built once: every rule draws its candidates from these lists.
  const byType = new Map<TargetType, Target[]>([['vendor', []], ['service', []], ['store', []], ['log', []], ['flow', []]]);
  for (const node of map.nodes.values()) byType.get(node.type)!.push({ type: 'node', node });
  for (const flow of map.flows) byType.get('flow')!.push({ type: 'flow', flow });
  const phiCache = new Map<Target, boolean>();
  const touchesPhi = (t: Target) => {
    let v = phiCache.get(t);
    if (v === undefined) phiCache.set(t, (v = involvesPhi(t, phi)));
    return v;
  };

  const factCache = new Map<Target, TargetFacts>();
  const findings: Finding[] = [];
  for (const rule of rules) {
    const ruleText: RuleText = { cite: rule.cite.map(citationText), remediation: rule.remediation.trim() };
    const { targets, kinds, exclude_kinds, phi: phiMode, when } = rule.applies_to;
    // Flows first, then nodes in map order by type: the order only matters for the final sort's ties, which it has none of.
    const candidates = (['flow', 'vendor', 'service', 'store', 'log'] as const).filter((type) => targets.includes(type)).flatMap((type) => byType.get(type)!);
    for (const t of candidates) {
      if (phiMode === 'required' && !touchesPhi(t)) continue;
      const kind = kindOf(t);
      if (kinds && (kind === undefined || !kinds.includes(kind))) continue;
      if (exclude_kinds && kind !== undefined && exclude_kinds.includes(kind)) continue;
      let result: CheckResult;
      let severity: Severity;
      try {
        if (when && runCheck(when, t, ctx).status !== 'pass') continue;
        result = runCheck(rule.check, t, ctx);
        if (result.status === 'pass' || result.status === 'not-applicable') continue;
        severity = severityFor(rule, t, ctx);
      } catch (err) {
        // A broken check must not hide the others, and must not pass: it is an unknown for this rule and target.
        result = { status: 'unknown', reason: 'error', args: { error: (err as Error).message } };
        severity = rule.severity;
      }
      let facts = factCache.get(t);
      if (!facts) factCache.set(t, (facts = factsOf(t, phi)));
      findings.push(toFinding(rule, ruleText, t, result, severity, facts));
    }
  }
  return findings.sort(compareFindings);
}

interface RuleText {
  cite: string[];
  remediation: string;
}

interface TargetFacts {
  classes: string[];
  path: string[];
  location: Finding['location'];
  records: number | undefined;
}

/** What every finding on a target repeats (PHI classes, path, position), worked out once per target. */
function factsOf(t: Target, phi: Propagation): TargetFacts {
  const id = targetId(t);
  return {
    classes: t.type === 'flow' ? phi.phiCarried(id) : phi.phiAt(id),
    path: (t.type === 'flow' ? phi.flowPath(id) : phi.pathTo(id)) ?? (t.type === 'node' && phi.sendsPhi(id) ? [id] : []),
    location: position(t.type === 'node' ? t.node.at : t.flow.at),
    records: t.type === 'node' && t.node.type !== 'vendor' ? t.node.spec.records : undefined,
  };
}

function toFinding(rule: LoadedRule, ruleText: RuleText, t: Target, result: CheckResult, severity: Severity, facts: TargetFacts): Finding {
  const id = targetId(t);
  const type = targetType(t);
  const { classes, path, records } = facts;
  const values = {
    target: id,
    type,
    classes: classes.join(', ') || 'none',
    records: records ?? 'an unknown number of',
    path: path.join(' → '),
    ...(result.args ?? {}),
  };
  const message =
    result.reason === 'error'
      ? `the check for rule ${rule.id} could not run on ${id} (${String(result.args?.error)}), so this safeguard is unverified`
      : fill(messageFor(rule, result), values);
  const finding: Finding = {
    id: `${rule.id}@${id}`,
    rule: rule.id,
    title: rule.title,
    severity,
    status: result.status === 'unknown' ? 'unknown' : 'fail',
    cite: ruleText.cite,
    target: id,
    target_type: type,
    message,
    path,
    location: facts.location,
    remediation: ruleText.remediation,
    phi: classes,
  };
  if (records !== undefined) finding.records = records;
  return finding;
}
