/** Report stage: the evaluation, the rules and the graph turned into the one model every formatter reads. */
import type { LiveSummary } from '../enrich/enricher.js';
import { createFactStore, type FactReader } from '../enrich/facts.js';
import type { Finding, RuleOutcome } from '../evaluate/finding.js';
import type { Propagation } from '../graph/propagate.js';
import {
  baaOf,
  deidentifyEvidence,
  deidentifyMethod,
  environmentOf,
  flowBasis,
  flowCondition,
  hostingOf,
  hostingText,
  kindOf,
  type PhiMap,
  subprocessorsOf,
} from '../map/model.js';
import { citationText, type LoadedRule, SEVERITIES, SEVERITY_RANK, type Severity } from '../rules/schema.js';
import { position } from '../source/positions.js';
import { safeguardMatrix } from './matrix.js';
import {
  type AcceptanceReport,
  type Assertion,
  type BaselineReport,
  type InventoryEntry,
  type InventoryValue,
  isBlocking,
  type Report,
  type ReportGraph,
  type ReportRule,
  type Summary,
  type VendorEntry,
  type VendorReach,
} from './model.js';

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
  /** The map's acceptances with their states (triage/accept.ts). */
  readonly accepted?: readonly AcceptanceReport[];
  /** With `--baseline` (triage/baseline.ts). */
  readonly baseline?: BaselineReport;
  /** The facts rules judged (the map's, plus live observations): the PHI inventory shows them. Default: the map's. */
  readonly facts?: FactReader;
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

/** Every vendor, in map order, with its agreements and the ways PHI reaches it (flows, hosted nodes, a parent vendor). */
function vendorsOf(map: PhiMap, phi: Propagation): VendorEntry[] {
  const reach = new Map<string, VendorReach[]>();
  const parents = new Map<string, string[]>();
  const add = <T>(m: Map<string, T[]>, key: string, value: T) => {
    const list = m.get(key);
    if (list) list.push(value);
    else m.set(key, [value]);
  };
  for (const f of map.flows) {
    if (map.nodes.get(f.to)?.type !== 'vendor' || !phi.carriesPhi(f.id)) continue;
    add(reach, f.to, { via: 'flow', id: f.id, phi: phi.phiCarried(f.id) });
  }
  for (const node of map.nodes.values()) {
    const vendor = hostingOf(node)?.vendor;
    if (vendor !== undefined && map.nodes.get(vendor)?.type === 'vendor' && phi.holdsPhi(node.id))
      add(reach, vendor, { via: 'hosting', id: node.id, phi: phi.phiAt(node.id) });
    for (const sub of subprocessorsOf(node)) {
      add(parents, sub, node.id);
      if (phi.holdsPhi(node.id)) add(reach, sub, { via: 'subprocessor', id: node.id, phi: phi.phiAt(node.id) });
    }
  }
  const out: VendorEntry[] = [];
  for (const node of map.nodes.values()) {
    if (node.type !== 'vendor') continue;
    const s = node.spec;
    out.push({
      id: node.id,
      role: s.role,
      description: s.description,
      plan: s.plan,
      retains_data: s.retains_data,
      baa: s.baa,
      dua: s.dua,
      subprocessors: s.subprocessors ?? [],
      subprocessor_of: parents.get(node.id) ?? [],
      phi: phi.phiAt(node.id),
      sends_phi: phi.sendsPhi(node.id),
      reached_by: reach.get(node.id) ?? [],
      location: position(node.at),
    });
  }
  return out;
}

/** Every service, store and log that holds PHI, in map order, with its safeguards as the rules judged them. */
function inventoryOf(map: PhiMap, phi: Propagation, facts: FactReader): InventoryEntry[] {
  const value = (subject: string, field: string): InventoryValue => {
    const fact = facts.get(subject, field);
    const v = fact.value;
    return { ...(typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? { value: v } : {}), provenance: fact.provenance };
  };
  const out: InventoryEntry[] = [];
  for (const id of phi.phiHolders) {
    const node = map.nodes.get(id);
    if (!node || node.type === 'vendor') continue;
    out.push({
      id,
      type: node.type,
      kind: kindOf(node),
      environment: environmentOf(node),
      hosting: hostingText(node),
      phi: phi.phiAt(id),
      records: value(id, 'records'),
      encryption: value(id, 'encryption.at_rest'),
      key: value(id, 'encryption.key'),
      audit_log: value(id, 'audit_log'),
      backup: value(id, 'backup'),
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
  let accepted = 0;
  for (const f of input.findings) {
    if (f.folded_under !== undefined) {
      folded++;
      continue;
    }
    by_severity[f.severity]++;
    by_status[f.status]++;
    if (f.accepted !== undefined) accepted++;
    // Accepted findings and those the baseline already recorded are shown and never block.
    else if (f.baseline !== 'existing' && isBlocking(f.severity, failOn)) blocking++;
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
    accepted,
  };
  let graph: ReportGraph | undefined;
  let matrix: Report['matrix'] | undefined;
  let vendors: VendorEntry[] | undefined;
  let inventory: InventoryEntry[] | undefined;
  const facts = input.facts;
  const report: Report = {
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
    accepted: input.accepted ?? [],
    ...(input.baseline !== undefined ? { baseline: input.baseline } : {}),
    get matrix() {
      return (matrix ??= safeguardMatrix(report));
    },
    get vendors() {
      return (vendors ??= vendorsOf(map, phi));
    },
    get inventory() {
      return (inventory ??= inventoryOf(map, phi, facts ?? createFactStore(map)));
    },
  };
  return report;
}
