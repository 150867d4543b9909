/**
 * PHI propagation, fail-closed (docs/map-format.md, "How PHI propagates"): a node holds its own data plus what every edge into it carries,
 * to a fixed point. Edges are flows, backups, hosting (node → vendor) and subprocessors (vendor → vendor).
 * Class sets are bitsets, so the fixed point costs O((nodes + edges) × classes) and never enumerates paths.
 * One shortest PHI path per holder comes from a multi-source BFS over the edges that carry PHI.
 */
import { backupOf, flowData, flowDeidentifies, hostingOf, type MapFlow, ownData, type PhiMap, subprocessorsOf } from '../map/model.js';

export type EdgeKind = 'flow' | 'backup' | 'hosting' | 'subprocessor';

interface Edge {
  from: number;
  to: number;
  kind: EdgeKind;
  flow?: MapFlow;
  /** A flow that declares `data:` carries exactly that, whatever its source holds. */
  fixed?: Uint32Array;
  deidentify: boolean;
}

export interface Propagation {
  /** Data classes a node holds (sorted). */
  holds(nodeId: string): string[];
  /** PHI classes a node holds (sorted); empty when it holds none. */
  phiAt(nodeId: string): string[];
  holdsPhi(nodeId: string): boolean;
  /** Data classes a flow carries (sorted). */
  carries(flowId: string): string[];
  carriesPhi(flowId: string): boolean;
  /** PHI classes a flow carries (sorted). */
  phiCarried(flowId: string): string[];
  /** PHI classes the flow's source holds that the flow does not carry as such (stripped, or left out). */
  dropped(flowId: string): string[];
  /** True when the node is the source of at least one flow that carries PHI. */
  sendsPhi(nodeId: string): boolean;
  /** One shortest PHI path: node ids from a PHI origin to the node, or undefined when no PHI reaches it. */
  phiPathTo(nodeId: string): string[] | undefined;
  /** The PHI path of a flow: the PHI path to its source, then its target. */
  flowPhiPath(flowId: string): string[] | undefined;
  /** Ids of every node that holds PHI, in map order. */
  readonly phiHolders: readonly string[];
}

export function propagate(map: PhiMap): Propagation {
  const ids = [...map.nodes.keys()];
  const index = new Map(ids.map((id, i) => [id, i]));
  const classIds = [...map.dataClasses.keys()];
  const classIndex = new Map(classIds.map((c, i) => [c, i]));
  const words = Math.max(1, Math.ceil(classIds.length / 32));
  const n = ids.length;

  const maskOf = (classes: readonly string[]): Uint32Array => {
    const m = new Uint32Array(words);
    for (const c of classes) {
      const i = classIndex.get(c);
      if (i !== undefined) m[i >>> 5]! |= 1 << (i & 31);
    }
    return m;
  };
  const phiMask = maskOf(classIds.filter((c) => map.dataClasses.get(c)?.phi));
  const deidBit = maskOf(['deidentified']);
  const hasPhi = (m: Uint32Array): boolean => {
    for (let w = 0; w < words; w++) if ((m[w]! & phiMask[w]!) !== 0) return true;
    return false;
  };
  const deidentify = (m: Uint32Array): Uint32Array => {
    const out = new Uint32Array(words);
    const strip = hasPhi(m);
    for (let w = 0; w < words; w++) out[w] = (m[w]! & ~phiMask[w]!) | (strip ? deidBit[w]! : 0);
    return out;
  };
  const orInto = (target: Uint32Array, add: Uint32Array): boolean => {
    let changed = false;
    for (let w = 0; w < words; w++) {
      const v = target[w]! | add[w]!;
      if (v !== target[w]) {
        target[w] = v;
        changed = true;
      }
    }
    return changed;
  };

  // Edges in a fixed order: flows as declared, then each node's backup, hosting and subprocessors.
  const edges: Edge[] = [];
  const flowEdge = new Map<string, Edge>();
  for (const flow of map.flows) {
    const from = index.get(flow.from);
    const to = index.get(flow.to);
    if (from === undefined || to === undefined) continue;
    const edge: Edge = { from, to, kind: 'flow', flow, deidentify: flowDeidentifies(flow) };
    const data = flowData(flow);
    if (data !== undefined) {
      const declared = maskOf(data);
      edge.fixed = edge.deidentify ? deidentify(declared) : declared;
    }
    edges.push(edge);
    flowEdge.set(flow.id, edge);
  }
  for (const node of map.nodes.values()) {
    const from = index.get(node.id)!;
    for (const sub of subprocessorsOf(node)) {
      const to = index.get(sub);
      if (to !== undefined) edges.push({ from, to, kind: 'subprocessor', deidentify: false });
    }
    const backupId = backupOf(node);
    const backup = backupId !== undefined ? index.get(backupId) : undefined;
    if (backup !== undefined) edges.push({ from, to: backup, kind: 'backup', deidentify: false });
    const host = hostingOf(node);
    const vendor = host ? index.get(host.vendor) : undefined;
    if (vendor !== undefined) edges.push({ from, to: vendor, kind: 'hosting', deidentify: false });
  }
  const out: Edge[][] = Array.from({ length: n }, () => []);
  for (const e of edges) out[e.from]!.push(e);

  const carried = (e: Edge, holds: Uint32Array[]): Uint32Array => e.fixed ?? (e.deidentify ? deidentify(holds[e.from]!) : holds[e.from]!);

  // Fixed point.
  const holds: Uint32Array[] = ids.map((id) => maskOf(ownData(map.nodes.get(id)!)));
  for (const e of edges) if (e.fixed) orInto(holds[e.to]!, e.fixed);
  const queued = new Uint8Array(n).fill(1);
  const queue: number[] = ids.map((_, i) => i);
  for (let head = 0; head < queue.length; head++) {
    const u = queue[head]!;
    queued[u] = 0;
    for (const e of out[u]!) {
      if (e.fixed) continue;
      if (orInto(holds[e.to]!, carried(e, holds)) && !queued[e.to]) {
        queued[e.to] = 1;
        queue.push(e.to);
      }
    }
    // Keep the queue array from growing without bound on long runs.
    if (head > 4096 && head * 2 > queue.length) {
      queue.splice(0, head + 1);
      head = -1;
    }
  }

  // Shortest PHI paths: BFS from PHI origins over edges that carry PHI.
  const pred = new Int32Array(n).fill(-1);
  const seen = new Uint8Array(n);
  const bfs: number[] = [];
  ids.forEach((id, i) => {
    if (hasPhi(maskOf(ownData(map.nodes.get(id)!)))) {
      seen[i] = 1;
      bfs.push(i);
    }
  });
  // A flow that declares PHI its source does not hold starts a path at that source.
  for (const e of edges) {
    if (e.fixed && hasPhi(e.fixed) && !hasPhi(holds[e.from]!) && !seen[e.to]) {
      seen[e.to] = 1;
      pred[e.to] = e.from;
      bfs.push(e.to);
    }
  }
  const search = (head: number): number => {
    for (; head < bfs.length; head++) {
      const u = bfs[head]!;
      for (const e of out[u]!) {
        if (seen[e.to] || !hasPhi(carried(e, holds))) continue;
        seen[e.to] = 1;
        pred[e.to] = u;
        bfs.push(e.to);
      }
    }
    return head;
  };
  let head = search(0);
  // PHI that only circles back to the source of a flow declaring it (a → b, then b → a with `data: [phi]`) has no
  // origin above; the source of such a flow is where it starts.
  for (const e of edges) {
    if (e.fixed && hasPhi(e.fixed) && !seen[e.from] && hasPhi(holds[e.from]!)) {
      seen[e.from] = 1;
      bfs.push(e.from);
      head = search(head);
    }
  }

  const names = (m: Uint32Array, onlyPhi: boolean): string[] => {
    const list: string[] = [];
    for (let i = 0; i < classIds.length; i++) {
      if ((m[i >>> 5]! & (1 << (i & 31))) === 0) continue;
      if (onlyPhi && (phiMask[i >>> 5]! & (1 << (i & 31))) === 0) continue;
      list.push(classIds[i]!);
    }
    return list.sort();
  };
  const nodeIndex = (id: string): number => {
    const i = index.get(id);
    if (i === undefined) throw new Error(`unknown node "${id}"`);
    return i;
  };
  const edgeOf = (flowId: string): Edge => {
    const e = flowEdge.get(flowId);
    if (!e) throw new Error(`unknown flow "${flowId}"`);
    return e;
  };
  const phiPathFrom = (i: number): string[] | undefined => {
    if (!seen[i]) return undefined;
    const trail: string[] = [];
    for (let cur = i; cur >= 0; cur = pred[cur]!) trail.push(ids[cur]!);
    return trail.reverse();
  };
  const sends = new Uint8Array(n);
  for (const e of edges) if (e.kind === 'flow' && hasPhi(carried(e, holds))) sends[e.from] = 1;

  return {
    holds: (id) => names(holds[nodeIndex(id)]!, false),
    phiAt: (id) => names(holds[nodeIndex(id)]!, true),
    holdsPhi: (id) => hasPhi(holds[nodeIndex(id)]!),
    carries: (flowId) => names(carried(edgeOf(flowId), holds), false),
    carriesPhi: (flowId) => hasPhi(carried(edgeOf(flowId), holds)),
    phiCarried: (flowId) => names(carried(edgeOf(flowId), holds), true),
    dropped: (flowId) => {
      const e = edgeOf(flowId);
      const source = names(holds[e.from]!, true);
      const kept = new Set(names(carried(e, holds), true));
      return source.filter((c) => !kept.has(c));
    },
    sendsPhi: (id) => sends[nodeIndex(id)] === 1,
    phiPathTo: (id) => phiPathFrom(nodeIndex(id)),
    flowPhiPath: (flowId) => {
      const e = edgeOf(flowId);
      if (!hasPhi(carried(e, holds))) return undefined;
      const head = phiPathFrom(e.from) ?? [ids[e.from]!];
      return [...head, ids[e.to]!];
    },
    phiHolders: ids.filter((_, i) => hasPhi(holds[i]!)),
  };
}
