/** Evaluate stage: every rule against every target it applies to. A check that throws becomes a finding. */
import type { Propagation } from '../graph/propagate.js';
import type { MapFlow, PhiMap } from '../map/model.js';
import { position } from '../source/positions.js';
import { runCheck, type CheckContext, type CheckResult, type Target } from '../rules/functions.js';
import type { LoadedRule, Severity, TargetType } from '../rules/schema.js';
import { compareFindings, type Finding } from './finding.js';

/** A target with what every rule asks of it worked out once. */
interface Candidate {
  readonly target: Target;
  readonly id: string;
  readonly type: TargetType;
  readonly kind: string | undefined;
  /** PHI touches it: held by a node, sent or held by a vendor, carried by a flow. */
  readonly phi: boolean;
  /** Filled in the first time a rule finds something here. */
  facts?: TargetFacts;
}

interface TargetFacts {
  classes: string[];
  classText: string;
  path: string[];
  pathText: string;
  location: Finding['location'];
  records: number | undefined;
}

/** A message template split once into literal text and placeholder names. */
type Template = readonly (string | { key: string })[];

interface CompiledRule {
  rule: LoadedRule;
  cite: string[];
  remediation: string;
  messages: Map<string, Template>;
  fallback: Template;
}

export function citationText(c: LoadedRule['cite'][number]): string {
  return `${c.regulation} ${c.section}`;
}

function compileTemplate(text: string): Template {
  const parts: (string | { key: string })[] = [];
  let last = 0;
  for (const m of text.matchAll(/\{([a-z_]+)\}/g)) {
    if (m.index > last) parts.push(text.slice(last, m.index));
    parts.push({ key: m[1]! });
    last = m.index + m[0].length;
  }
  if (last < text.length) parts.push(text.slice(last));
  return parts;
}

function compileRule(rule: LoadedRule): CompiledRule {
  const messages = new Map<string, Template>();
  let fallback: Template;
  if (typeof rule.message === 'string') fallback = compileTemplate(rule.message);
  else {
    for (const [reason, text] of Object.entries(rule.message)) messages.set(reason, compileTemplate(text));
    fallback = messages.get('default') ?? messages.get('fail') ?? compileTemplate(rule.title);
  }
  return { rule, cite: rule.cite.map(citationText), remediation: rule.remediation.trim(), messages, fallback };
}

function render(template: Template, c: Candidate, facts: TargetFacts, args: CheckResult['args']): string {
  let out = '';
  for (const part of template) {
    if (typeof part === 'string') {
      out += part;
      continue;
    }
    const key = part.key;
    let v: string | number | undefined = args?.[key];
    if (v === undefined) {
      if (key === 'target') v = c.id;
      else if (key === 'type') v = c.type;
      else if (key === 'classes') v = facts.classText;
      else if (key === 'records') v = facts.records ?? 'an unknown number of';
      else if (key === 'path') v = facts.pathText;
    }
    // An empty note is left out; any other missing value is said to be unknown rather than printed as {key}.
    out += v === undefined || v === '' ? (key === 'note' ? '' : `(${key} unknown)`) : String(v);
  }
  return out;
}

function factsOf(c: Candidate, phi: Propagation): TargetFacts {
  const t = c.target;
  const classes = t.type === 'flow' ? phi.phiCarried(c.id) : phi.phiAt(c.id);
  const path = (t.type === 'flow' ? phi.flowPath(c.id) : phi.pathTo(c.id)) ?? (t.type === 'node' && phi.sendsPhi(c.id) ? [c.id] : []);
  return {
    classes,
    classText: classes.join(', ') || 'none',
    path,
    pathText: path.join(' → '),
    location: position(t.type === 'node' ? t.node.at : t.flow.at),
    records: t.type === 'node' && t.node.type !== 'vendor' ? t.node.spec.records : undefined,
  };
}

function severityFor(rule: LoadedRule, t: Target, ctx: CheckContext): Severity {
  for (const e of rule.escalate ?? []) {
    if (runCheck(e.when, t, ctx).status === 'pass') return e.severity;
  }
  return rule.severity;
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

  // Candidates by type, built once: every rule draws from these lists.
  const byType = new Map<TargetType, Candidate[]>([['flow', []], ['vendor', []], ['service', []], ['store', []], ['log', []]]);
  for (const flow of map.flows) {
    byType.get('flow')!.push({ target: { type: 'flow', flow }, id: flow.id, type: 'flow', kind: undefined, phi: phi.carriesPhi(flow.id) });
  }
  for (const node of map.nodes.values()) {
    const kind = node.type === 'store' || node.type === 'log' ? node.spec.kind : undefined;
    const touches = phi.holdsPhi(node.id) || (node.type === 'vendor' && phi.sendsPhi(node.id));
    byType.get(node.type)!.push({ target: { type: 'node', node }, id: node.id, type: node.type, kind, phi: touches });
  }

  const findings: Finding[] = [];
  for (const rule of rules) {
    const compiled = compileRule(rule);
    const { targets, kinds, exclude_kinds, phi: phiMode, when } = rule.applies_to;
    for (const [type, list] of byType) {
      if (!targets.includes(type)) continue;
      for (const c of list) {
        if (phiMode === 'required' && !c.phi) continue;
        if (kinds && (c.kind === undefined || !kinds.includes(c.kind))) continue;
        if (exclude_kinds && c.kind !== undefined && exclude_kinds.includes(c.kind)) continue;
        let result: CheckResult;
        let severity: Severity;
        try {
          if (when && runCheck(when, c.target, ctx).status !== 'pass') continue;
          result = runCheck(rule.check, c.target, ctx);
          if (result.status === 'pass' || result.status === 'not-applicable') continue;
          severity = severityFor(rule, c.target, ctx);
        } catch (err) {
          // A broken check must not hide the others, and must not pass: it is an unknown for this rule and target.
          result = { status: 'unknown', reason: 'error', args: { error: (err as Error).message } };
          severity = rule.severity;
        }
        findings.push(toFinding(compiled, c, result, severity, (c.facts ??= factsOf(c, phi))));
      }
    }
  }
  return findings.sort(compareFindings);
}

function toFinding(compiled: CompiledRule, c: Candidate, result: CheckResult, severity: Severity, facts: TargetFacts): Finding {
  const rule = compiled.rule;
  const message =
    result.reason === 'error'
      ? `the check for rule ${rule.id} could not run on ${c.id} (${String(result.args?.error)}), so this safeguard is unverified`
      : render((result.reason !== undefined ? compiled.messages.get(result.reason) : undefined) ?? compiled.fallback, c, facts, result.args);
  const finding: Finding = {
    id: `${rule.id}@${c.id}`,
    rule: rule.id,
    title: rule.title,
    severity,
    status: result.status === 'unknown' ? 'unknown' : 'fail',
    cite: compiled.cite,
    target: c.id,
    target_type: c.type,
    message,
    path: facts.path,
    location: facts.location,
    remediation: compiled.remediation,
    phi: facts.classes,
  };
  if (facts.records !== undefined) finding.records = facts.records;
  return finding;
}
