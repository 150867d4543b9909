/** Report stage: the evaluation, the rules and the graph turned into the one model every formatter reads. */
import type { LiveSummary } from '../enrich/enricher.js';
import type { Finding, RuleOutcome } from '../evaluate/finding.js';
import type { Propagation } from '../graph/propagate.js';
import { baaOf, deidentifyEvidence, deidentifyMethod, environmentOf, flowBasis, flowCondition, hostingText, kindOf, type PhiMap } from '../map/model.js';
import { citationText, type LoadedRule, SEVERITIES, SEVERITY_RANK, type Severity } from '../rules/schema.js';
import { position } from '../source/positions.js';
import { type Assertion, isBlocking, type Report, type ReportGraph, type ReportRule, type Summary } from './model.js';

export interface ReportInput {
  readonly tool: { readonly name: string; readonly version: string };
  readonly asOf: string;
  readonly failOn: Severity | 'none';
  readonly map: PhiMap;
  readonly phi: Propagation;
  readonly rules: readonly LoadedRule[];
  readonly findings: readonly Finding[];
  readonly outcomes: ReadonlyMap<string, RuleOutcome>;
  readonly live?: LiveSummary;
}

export function ruleInfo(rule: LoadedRule): ReportRule {
  const severities = [...new Set([rule.severity, ...(rule.escalate ?? []).map((e) => e.severity)])].sort((a, b) => SEVERITY_RANK[b] - SEVERITY_RANK[a]);
  return {
    id: rule.id,
    title: rule.title,
    severity: rule.severity,
    severities,
    cite: rule.cite.map((c) => ({
      text: citationText(c),
      regulation: c.regulation,
      section: c.section,
      standard: c.standard,
      implementation: c.implementation,
    })),
    rationale: rule.rationale.trim(),
    remediation: rule.remediation.trim(),
    file: rule.file,
    builtin: rule.builtin,
  };
}

function graphOf(map: PhiMap, phi: Propagation): ReportGraph {
  return {
    nodes: [...map.nodes.values()].map((n) => {
      const kind = kindOf(n);
      const environment = environmentOf(n);
      const hosting = hostingText(n);
      return {
        id: n.id,
        type: n.type,
        ...(kind !== undefined ? { kind } : {}),
        ...(environment !== undefined ? { environment } : {}),
        ...(hosting !== undefined ? { hosting } : {}),
        phi: phi.phiAt(n.id),
        location: position(n.at),
      };
    }),
    flows: map.flows.map((f) => ({ id: f.id, from: f.from, to: f.to, on: flowCondition(f), phi: phi.phiCarried(f.id), location: position(f.at) })),
  };
}

/** The claims the result rests on, where PHI makes them matter, in map order: flows, then vendors. */
function assertionsOf(map: PhiMap, phi: Propagation): Assertion[] {
  const out: Assertion[] = [];
  for (const flow of map.flows) {
    if (!phi.holdsPhi(flow.from)) continue;
    const method = deidentifyMethod(flow);
    if (method !== undefined) {
      const evidence = deidentifyEvidence(flow);
      const claim =
        method === 'limited-data-set'
          ? `sends a limited data set (still PHI) under a data use agreement with ${flow.to}`
          : `de-identifies what it carries by ${method === 'safe-harbor' ? 'the Safe Harbor method' : 'expert determination'} (164.514(b))`;
      out.push({ kind: 'deidentification', subject: flow.id, claim, ...(evidence !== undefined ? { evidence } : {}), location: position(flow.at) });
    }
    const basis = flowBasis(flow);
    if (basis !== undefined && !phi.carriesPhi(flow.id))
      out.push({ kind: 'basis', subject: flow.id, claim: `carries no PHI: ${basis.trim()}`, location: position(flow.at) });
  }
  for (const node of map.nodes.values()) {
    const baa = baaOf(node);
    if (baa?.status !== 'signed' || baa.document !== undefined) continue;
    if (!phi.holdsPhi(node.id) && !phi.sendsPhi(node.id)) continue;
    out.push({
      kind: 'baa-without-document',
      subject: node.id,
      claim: 'has a signed BAA, and the map names no document for it (baa.document)',
      location: position(node.at),
    });
  }
  return out;
}

export function buildReport(input: ReportInput): Report {
  const { map, phi, failOn } = input;
  const by_severity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Summary['by_severity'];
  const by_status = { fail: 0, unknown: 0 };
  let blocking = 0;
  let folded = 0;
  for (const f of input.findings) {
    if (f.folded_under !== undefined) {
      folded++;
      continue;
    }
    by_severity[f.severity]++;
    by_status[f.status]++;
    if (isBlocking(f.severity, failOn)) blocking++;
  }
  let phiFlows = 0;
  for (const f of map.flows) if (phi.carriesPhi(f.id)) phiFlows++;
  const summary: Summary = {
    nodes: map.nodes.size,
    flows: map.flows.length,
    phi_holders: phi.phiHolders.length,
    phi_flows: phiFlows,
    rules: input.rules.length,
    findings: input.findings.length - folded,
    by_severity,
    by_status,
    fail_on: failOn,
    blocking,
    folded,
  };
  let graph: ReportGraph | undefined;
  return {
    tool: input.tool,
    as_of: input.asOf,
    system: map.system,
    files: [...map.files],
    assertions: assertionsOf(map, phi),
    rules: input.rules.map(ruleInfo),
    get graph() {
      return (graph ??= graphOf(map, phi));
    },
    findings: input.findings,
    outcomes: Object.fromEntries(input.outcomes),
    summary,
    ...(input.live ? { live: input.live } : {}),
  };
}
