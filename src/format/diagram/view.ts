/**
 * What a data-flow diagram shows, worked out once for every output (DOT, Mermaid, the SVG in the HTML report): the
 * nodes and edges kept (all, only PHI, or every path into one node), each node's environment, the PHI it holds, its
 * blocking findings, and whether a vendor PHI reaches has no BAA in force. Edges are the map's flows plus a vendor's
 * hand-over to each of its subprocessors.
 */
import { isBlocking, type Report, type ReportFinding } from '../../report/model.js';

export interface DiagramOptions {
  /** Only nodes that hold PHI and the flows that carry it. */
  readonly onlyPhi?: boolean | undefined;
  /** Only the paths into this node (a node id). */
  readonly to?: string | undefined;
}

/** Why a vendor PHI reaches has no BAA in force; undefined when it has one or needs none. */
export type BaaGap = 'missing' | 'none' | 'pending' | 'not-required' | 'expired' | 'terminated';

export interface DiagramNode {
  readonly id: string;
  readonly type: 'service' | 'store' | 'log' | 'vendor';
  readonly kind?: string | undefined;
  readonly environment?: string | undefined;
  readonly hosting?: string | undefined;
  readonly phi: readonly string[];
  /** Open findings on this node at or above the run's --fail-on. */
  readonly blocking: number;
  readonly baaGap?: BaaGap | undefined;
  /** Vendors: how many nodes of the view it hosts, when their hosting edges are left out (see HOSTING_EDGES_MAX). */
  readonly hosts?: number | undefined;
}

/**
 * A vendor hosting more nodes than this (a cloud) gets a count in its label instead of an edge from each node, which
 * would cross the whole picture; a SaaS hosting a log or two gets its edges. `--to VENDOR` always draws them.
 */
export const HOSTING_EDGES_MAX = 4;

export interface DiagramEdge {
  readonly id: string;
  readonly from: string;
  readonly to: string;
  /** A map flow, a vendor's hand-over to its subprocessor, or a node passing what it holds to the vendor hosting it. */
  readonly via: 'flow' | 'subprocessor' | 'hosting';
  readonly on: 'normal' | 'error' | 'retry' | 'debug';
  readonly phi: readonly string[];
  readonly blocking: number;
}

export interface DiagramView {
  readonly nodes: readonly DiagramNode[];
  readonly edges: readonly DiagramEdge[];
  /** Environment ids, in the order their first node appears. */
  readonly environments: readonly string[];
  /** The node `to` selected, when given. */
  readonly to?: string | undefined;
}

/** A finding that makes the run fail: not folded, not accepted, not already in the baseline, at or above --fail-on. */
export function blocks(f: ReportFinding, failOn: Report['summary']['fail_on']): boolean {
  return f.folded_under === undefined && f.accepted === undefined && f.baseline !== 'existing' && isBlocking(f.severity, failOn);
}

/** The gap in a vendor's BAA when PHI reaches it (treatment providers need none). */
export function baaGap(vendor: Report['vendors'][number], asOf: string): BaaGap | undefined {
  if (vendor.role === 'treatment-provider') return undefined;
  if (vendor.phi.length === 0 && !vendor.sends_phi && vendor.reached_by.length === 0) return undefined;
  const baa = vendor.baa;
  if (baa === undefined) return 'missing';
  if (baa.status !== 'signed') return baa.status as BaaGap;
  if (baa.terminated !== undefined && baa.terminated <= asOf) return 'terminated';
  if (baa.expires !== undefined && baa.expires < asOf) return 'expired';
  return undefined;
}

/** Every node id of the report, for "did you mean" on `--to`. */
export function diagramNodeIds(report: Report): string[] {
  return report.graph.nodes.map((n) => n.id);
}

export function diagramView(report: Report, options: DiagramOptions = {}): DiagramView {
  const failOn = report.summary.fail_on;
  const blocking = new Map<string, number>();
  for (const f of report.findings) if (blocks(f, failOn)) blocking.set(f.target, (blocking.get(f.target) ?? 0) + 1);
  const gaps = new Map<string, BaaGap>();
  for (const v of report.vendors) {
    const gap = baaGap(v, report.as_of);
    if (gap !== undefined) gaps.set(v.id, gap);
  }
  let nodes: DiagramNode[] = report.graph.nodes.map((n) => ({
    id: n.id,
    type: n.type,
    kind: n.kind,
    environment: n.environment,
    hosting: n.hosting,
    phi: n.phi,
    blocking: blocking.get(n.id) ?? 0,
    baaGap: gaps.get(n.id),
  }));
  let edges: DiagramEdge[] = report.graph.flows.map((f) => ({
    id: f.id,
    from: f.from,
    to: f.to,
    via: 'flow',
    on: f.on,
    phi: f.phi,
    blocking: blocking.get(f.id) ?? 0,
  }));
  const vendorIds = new Set(report.vendors.map((v) => v.id));
  for (const n of report.graph.nodes) {
    const vendor = n.hosting?.split('/')[0];
    if (vendor === undefined || !vendorIds.has(vendor)) continue;
    edges.push({ id: `${n.id} → ${vendor} (hosting)`, from: n.id, to: vendor, via: 'hosting', on: 'normal', phi: n.phi, blocking: 0 });
  }
  for (const v of report.vendors) {
    for (const sub of v.subprocessors) {
      edges.push({ id: `${v.id} → ${sub} (subprocessor)`, from: v.id, to: sub, via: 'subprocessor', on: 'normal', phi: v.phi, blocking: 0 });
    }
  }
  if (options.onlyPhi) {
    edges = edges.filter((e) => e.phi.length > 0);
    const keep = new Set<string>();
    for (const n of nodes) if (n.phi.length > 0) keep.add(n.id);
    for (const e of edges) keep.add(e.from).add(e.to);
    nodes = nodes.filter((n) => keep.has(n.id));
  }
  if (options.to !== undefined) {
    // Every node with a path into `to`: a walk back from it over the edges kept so far.
    const into = new Map<string, string[]>();
    for (const e of edges) {
      const list = into.get(e.to);
      if (list) list.push(e.from);
      else into.set(e.to, [e.from]);
    }
    const reach = new Set<string>([options.to]);
    const queue = [options.to];
    while (queue.length > 0) {
      const id = queue.pop()!;
      for (const from of into.get(id) ?? []) {
        if (reach.has(from)) continue;
        reach.add(from);
        queue.push(from);
      }
    }
    nodes = nodes.filter((n) => reach.has(n.id));
    edges = edges.filter((e) => reach.has(e.from) && reach.has(e.to));
  }
  const present = new Set(nodes.map((n) => n.id));
  edges = edges.filter((e) => present.has(e.from) && present.has(e.to));
  // Hosting edges only for vendors that host a few nodes here (or the node asked for).
  const hosted = new Map<string, number>();
  for (const e of edges) if (e.via === 'hosting') hosted.set(e.to, (hosted.get(e.to) ?? 0) + 1);
  const crowded = new Set([...hosted].filter(([v, n]) => n > HOSTING_EDGES_MAX && v !== options.to).map(([v]) => v));
  if (crowded.size > 0) {
    edges = edges.filter((e) => e.via !== 'hosting' || !crowded.has(e.to));
    nodes = nodes.map((n) => (crowded.has(n.id) ? { ...n, hosts: hosted.get(n.id) } : n));
  }
  const environments = [...new Set(nodes.flatMap((n) => (n.environment !== undefined ? [n.environment] : [])))];
  return { nodes, edges, environments, ...(options.to !== undefined ? { to: options.to } : {}) };
}

/** Words for a BAA gap, as a node's mark. */
export function baaGapText(gap: BaaGap): string {
  switch (gap) {
    case 'missing':
      return 'no BAA recorded';
    case 'none':
      return 'no BAA';
    case 'pending':
      return 'BAA pending';
    case 'not-required':
      return 'BAA marked not required';
    case 'expired':
      return 'BAA expired';
    case 'terminated':
      return 'BAA terminated';
  }
}
