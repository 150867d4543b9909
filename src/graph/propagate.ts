/**
 * PHI propagation, fail-closed (docs/map-format.md, "How PHI propagates"): a node holds its own data plus what every edge into it carries,
 * to a fixed point. Edges are flows, backups, hosting (node → vendor) and subprocessors (vendor → vendor).
 * Class sets are interned bitsets (ClassSets): nodes and edges hold set numbers, so the fixed point never enumerates
 * paths, mostly compares numbers, and its memory grows with the distinct sets, not with nodes times classes.
 * One shortest PHI path per holder comes from a multi-source BFS over the edges that carry PHI.
 */
import { backupOf, flowData, flowDeidentifies, hostingOf, ownData, type PhiMap, subprocessorsOf } from '../map/model.js';

export interface Propagation {
  /** Data classes a node holds (sorted). */
  holds(nodeId: string): readonly string[];
  /** PHI classes a node holds (sorted); empty when it holds none. */
  phiAt(nodeId: string): readonly string[];
  holdsPhi(nodeId: string): boolean;
  /** Data classes a flow carries (sorted). */
  carries(flowId: string): readonly string[];
  carriesPhi(flowId: string): boolean;
  /** PHI classes a flow carries (sorted). */
  phiCarried(flowId: string): readonly string[];
  /** PHI classes the flow's source holds that the flow does not carry as such (stripped, or left out). */
  dropped(flowId: string): readonly string[];
  /** True when the node is the source of at least one flow that carries PHI. */
  sendsPhi(nodeId: string): boolean;
  /** One shortest PHI path: node ids from a PHI origin to the node, or undefined when no PHI reaches it. */
  phiPathTo(nodeId: string): string[] | undefined;
  /** The PHI path of a flow: the PHI path to its source, then its target. */
  flowPhiPath(flowId: string): string[] | undefined;
  /**
   * phiPathTo as findings show it (see shownPath): the whole path up to MAX_SHOWN_PATH ids, else its first and last
   * ids around one elision marker. Costs O(MAX_SHOWN_PATH) however long the path is.
   */
  shownPhiPathTo(nodeId: string): string[] | undefined;
  /** flowPhiPath as findings show it. */
  shownFlowPhiPath(flowId: string): string[] | undefined;
  /** Ids of every node that holds PHI, in map order. */
  readonly phiHolders: readonly string[];
}

/**
 * The most ids a finding shows of a PHI path. A longer path (a chain of 10,000 services) shows its first
 * SHOWN_HEAD ids, one marker saying how many were left out, and its last SHOWN_TAIL ids: each finding then costs
 * O(1) to record and to write, where whole paths made a 10,000-node chain write a 2.27 GB report and a
 * 100,000-node cycle run out of memory.
 */
export const MAX_SHOWN_PATH = 64;
const SHOWN_HEAD = 32;
const SHOWN_TAIL = MAX_SHOWN_PATH - SHOWN_HEAD - 1;

/** The marker that stands for `count` ids left out of a shown path. No node id can contain a space or `…`. */
export function elisionMarker(count: number): string {
  return `… ${count} more …`;
}

// Edge flags.
const DEIDENTIFY = 1;
/** A flow that declares `data:` carries exactly that, whatever its source holds. */
const FIXED = 2;

/** `bits` with the bit of each class index set. */
function setBits(bits: Uint32Array, indexes: Iterable<number>): Uint32Array {
  for (const i of indexes) bits[i >>> 5]! |= 1 << (i & 31);
  return bits;
}

/** Past this many remembered unions, the memo starts again (it only saves work; the sets stay interned). */
const MAX_MEMO = 1 << 20;

/**
 * Class sets, interned: each distinct set is stored once, as W words of 32 bits, and named by a number (0: the empty
 * set). Nodes and edges hold set numbers, so memory grows with the distinct sets a map has (a few dozen in a real
 * estate, whatever its size) times the classes, not with nodes times classes. Unions and de-identification are
 * remembered, so the fixed point mostly compares numbers.
 */
class ClassSets {
  readonly #w: number;
  #words: Uint32Array;
  #count = 0;
  readonly #ids = new Map<number | string, number>();
  readonly #phi: number[] = [];
  readonly #phiMask: Uint32Array;
  readonly #deidBit: Uint32Array;
  readonly #unions = new Map<number, number>();
  readonly #stripped = new Map<number, number>();
  readonly #phiOnly = new Map<number, number>();
  readonly #scratch: Uint32Array;

  constructor(w: number, phiMask: Uint32Array, deidBit: Uint32Array) {
    this.#w = w;
    this.#words = new Uint32Array(w * 16);
    this.#phiMask = phiMask;
    this.#deidBit = deidBit;
    this.#scratch = new Uint32Array(w);
    this.intern(this.#scratch); // 0: the empty set
  }

  /** The number of the set in `bits` (W words), adding it when new. */
  intern(bits: Uint32Array): number {
    const w = this.#w;
    let key: number | string;
    if (w === 1) key = bits[0]!;
    else {
      key = '';
      for (let i = 0; i < w; i++) key += `${bits[i]!},`;
    }
    const known = this.#ids.get(key);
    if (known !== undefined) return known;
    const id = this.#count++;
    if ((id + 1) * w > this.#words.length) {
      const grown = new Uint32Array(Math.max(this.#words.length * 2, (id + 1) * w));
      grown.set(this.#words);
      this.#words = grown;
    }
    this.#words.set(bits, id * w);
    let phi = 0;
    for (let i = 0; i < w; i++) if ((bits[i]! & this.#phiMask[i]!) !== 0) phi = 1;
    this.#phi.push(phi);
    this.#ids.set(key, id);
    return id;
  }

  /** The set of these class indexes. */
  of(indexes: Iterable<number>): number {
    return this.intern(setBits(this.#scratch.fill(0), indexes));
  }

  hasPhi(set: number): boolean {
    return this.#phi[set] === 1;
  }

  has(set: number, index: number): boolean {
    return (this.#words[set * this.#w + (index >>> 5)]! & (1 << (index & 31))) !== 0;
  }

  union(a: number, b: number): number {
    if (a === b || b === 0) return a;
    if (a === 0) return b;
    // One number for the pair, exact while both are below 2^26 (past that, nothing is remembered).
    const key = a < 2 ** 26 && b < 2 ** 26 ? (a < b ? a * 2 ** 26 + b : b * 2 ** 26 + a) : -1;
    const known = this.#unions.get(key);
    if (known !== undefined) return known;
    const w = this.#w;
    const bits = this.#scratch;
    for (let i = 0; i < w; i++) bits[i] = this.#words[a * w + i]! | this.#words[b * w + i]!;
    const union = this.intern(bits);
    return key < 0 ? union : this.#remember(this.#unions, key, union);
  }

  /** De-identified: PHI classes dropped, `deidentified` added when there were any. */
  strip(set: number): number {
    if (!this.hasPhi(set)) return set;
    const known = this.#stripped.get(set);
    if (known !== undefined) return known;
    const w = this.#w;
    const bits = this.#scratch;
    for (let i = 0; i < w; i++) bits[i] = (this.#words[set * w + i]! & ~this.#phiMask[i]!) | this.#deidBit[i]!;
    return this.#remember(this.#stripped, set, this.intern(bits));
  }

  /** Only the PHI classes of the set. */
  phiOnly(set: number): number {
    const known = this.#phiOnly.get(set);
    if (known !== undefined) return known;
    const w = this.#w;
    const bits = this.#scratch;
    for (let i = 0; i < w; i++) bits[i] = this.#words[set * w + i]! & this.#phiMask[i]!;
    return this.#remember(this.#phiOnly, set, this.intern(bits));
  }

  #remember(memo: Map<number, number>, key: number, value: number): number {
    if (memo.size >= MAX_MEMO) memo.clear();
    memo.set(key, value);
    return value;
  }
}

export function propagate(map: PhiMap): Propagation {
  const ids = [...map.nodes.keys()];
  const index = new Map(ids.map((id, i) => [id, i]));
  const classIds = [...map.dataClasses.keys()];
  const classIndex = new Map(classIds.map((c, i) => [c, i]));
  const n = ids.length;
  const W = Math.max(1, Math.ceil(classIds.length / 32));

  const indexesOf = function* (classes: readonly string[]): Generator<number> {
    for (const c of classes) {
      const i = classIndex.get(c);
      if (i !== undefined) yield i;
    }
  };
  const sets = new ClassSets(
    W,
    setBits(new Uint32Array(W), indexesOf(classIds.filter((c) => map.dataClasses.get(c)?.phi))),
    setBits(new Uint32Array(W), indexesOf(['deidentified'])),
  );

  // Edges in a fixed order: flows as declared, then each node's subprocessors, backup and hosting.
  const from: number[] = [];
  const to: number[] = [];
  const flags: number[] = [];
  const declaredData: (readonly string[])[] = [];
  const flowEdge = new Map<string, number>();
  for (const flow of map.flows) {
    const f = index.get(flow.from);
    const t = index.get(flow.to);
    if (f === undefined || t === undefined) continue;
    const data = flowData(flow);
    flowEdge.set(flow.id, from.length);
    from.push(f);
    to.push(t);
    flags.push((flowDeidentifies(flow) ? DEIDENTIFY : 0) | (data !== undefined ? FIXED : 0));
    declaredData.push(data ?? []);
  }
  const flowEdges = from.length;
  for (const node of map.nodes.values()) {
    const f = index.get(node.id)!;
    const targets: (number | undefined)[] = subprocessorsOf(node).map((sub) => index.get(sub));
    const backupId = backupOf(node);
    targets.push(backupId !== undefined ? index.get(backupId) : undefined);
    const host = hostingOf(node);
    targets.push(host ? index.get(host.vendor) : undefined);
    for (const t of targets) {
      if (t === undefined) continue;
      from.push(f);
      to.push(t);
      flags.push(0);
    }
  }
  const m = from.length;
  const edgeFrom = Int32Array.from(from);
  const edgeTo = Int32Array.from(to);
  const edgeFlags = Uint8Array.from(flags);
  // The set each flow that declares `data:` carries, de-identified when it says so (flows come first, so edge
  // e < flowEdges indexes this array).
  const fixed = new Int32Array(flowEdges);
  for (let e = 0; e < flowEdges; e++) {
    if (!(edgeFlags[e]! & FIXED)) continue;
    const declared = sets.of(indexesOf(declaredData[e]!));
    fixed[e] = edgeFlags[e]! & DEIDENTIFY ? sets.strip(declared) : declared;
  }

  // Outgoing edges per node, as a compressed list: edges of node u are outEdges[outStart[u] .. outStart[u + 1]).
  const outStart = new Int32Array(n + 1);
  for (let e = 0; e < m; e++) outStart[edgeFrom[e]! + 1]!++;
  for (let u = 0; u < n; u++) outStart[u + 1]! += outStart[u]!;
  const outEdges = new Int32Array(m);
  const fill = outStart.slice(0, n);
  for (let e = 0; e < m; e++) outEdges[fill[edgeFrom[e]!]!++] = e;

  // Fixed point over set numbers.
  const own = new Int32Array(n);
  ids.forEach((id, i) => {
    own[i] = sets.of(indexesOf(ownData(map.nodes.get(id)!)));
  });
  const holds = own.slice();
  /** What edge e carries. */
  const carriedBy = (e: number): number => {
    if (edgeFlags[e]! & FIXED) return fixed[e]!;
    const held = holds[edgeFrom[e]!]!;
    return edgeFlags[e]! & DEIDENTIFY ? sets.strip(held) : held;
  };
  for (let e = 0; e < flowEdges; e++) if (edgeFlags[e]! & FIXED) holds[edgeTo[e]!] = sets.union(holds[edgeTo[e]!]!, fixed[e]!);
  const queued = new Uint8Array(n).fill(1);
  // A ring buffer: each node is in it at most once.
  const ring = new Int32Array(n);
  for (let i = 0; i < n; i++) ring[i] = i;
  let head = 0;
  let size = n;
  while (size > 0) {
    const u = ring[head]!;
    head = head + 1 === n ? 0 : head + 1;
    size--;
    queued[u] = 0;
    for (let k = outStart[u]!; k < outStart[u + 1]!; k++) {
      const e = outEdges[k]!;
      if (edgeFlags[e]! & FIXED) continue;
      const t = edgeTo[e]!;
      const grown = sets.union(holds[t]!, carriedBy(e));
      if (grown !== holds[t]) {
        holds[t] = grown;
        if (!queued[t]) {
          queued[t] = 1;
          ring[(head + size) % n] = t;
          size++;
        }
      }
    }
  }

  /** Whether edge e carries PHI. */
  const edgeCarriesPhi = (e: number): boolean => sets.hasPhi(carriedBy(e));

  // Shortest PHI paths: BFS from PHI origins over edges that carry PHI.
  const pred = new Int32Array(n).fill(-1);
  const seen = new Uint8Array(n);
  const bfs: number[] = [];
  for (let i = 0; i < n; i++) {
    if (sets.hasPhi(own[i]!)) {
      seen[i] = 1;
      bfs.push(i);
    }
  }
  // A flow that declares PHI its source does not hold starts a path at that source.
  for (let e = 0; e < flowEdges; e++) {
    const t = edgeTo[e]!;
    if (edgeFlags[e]! & FIXED && sets.hasPhi(fixed[e]!) && !sets.hasPhi(holds[edgeFrom[e]!]!) && !seen[t]) {
      seen[t] = 1;
      pred[t] = edgeFrom[e]!;
      bfs.push(t);
    }
  }
  const search = (start: number): number => {
    let at = start;
    for (; at < bfs.length; at++) {
      const u = bfs[at]!;
      for (let k = outStart[u]!; k < outStart[u + 1]!; k++) {
        const e = outEdges[k]!;
        const t = edgeTo[e]!;
        if (seen[t] || !edgeCarriesPhi(e)) continue;
        seen[t] = 1;
        pred[t] = u;
        bfs.push(t);
      }
    }
    return at;
  };
  let next = search(0);
  // PHI that only circles back to the source of a flow declaring it (a → b, then b → a with `data: [phi]`) has no
  // origin above; the source of such a flow is where it starts.
  for (let e = 0; e < flowEdges; e++) {
    const f = edgeFrom[e]!;
    if (edgeFlags[e]! & FIXED && sets.hasPhi(fixed[e]!) && !seen[f] && sets.hasPhi(holds[f]!)) {
      seen[f] = 1;
      bfs.push(f);
      next = search(next);
    }
  }

  // Class names of a set, sorted; one frozen array per distinct set, so callers get the same array for the same
  // classes and nothing is sorted twice.
  const named = new Map<number, readonly string[]>();
  const names = (set: number, onlyPhi: boolean): readonly string[] => {
    const shown = onlyPhi ? sets.phiOnly(set) : set;
    let list = named.get(shown);
    if (list === undefined) {
      const out: string[] = [];
      for (let i = 0; i < classIds.length; i++) if (sets.has(shown, i)) out.push(classIds[i]!);
      named.set(shown, (list = Object.freeze(out.sort())));
    }
    return list;
  };
  const nodeIndex = (id: string): number => {
    const i = index.get(id);
    if (i === undefined) throw new Error(`unknown node "${id}"`);
    return i;
  };
  const edgeOf = (flowId: string): number => {
    const e = flowEdge.get(flowId);
    if (e === undefined) throw new Error(`unknown flow "${flowId}"`);
    return e;
  };
  const carriedNames = (flowId: string, onlyPhi: boolean): readonly string[] => names(carriedBy(edgeOf(flowId)), onlyPhi);
  const phiPathFrom = (i: number): string[] | undefined => {
    if (!seen[i]) return undefined;
    const trail: string[] = [];
    for (let cur = i; cur >= 0; cur = pred[cur]!) trail.push(ids[cur]!);
    return trail.reverse();
  };
  // Depth of each node on its path (the path has depth + 1 ids), and its ancestor at depth SHOWN_HEAD - 1 (itself when
  // shallower), in BFS order: a node's parent comes before it, or starts a path of its own (depth 0).
  const depth = new Int32Array(n);
  const headOf = new Int32Array(n);
  for (let i = 0; i < n; i++) headOf[i] = i;
  for (const v of bfs) {
    const p = pred[v]!;
    if (p < 0) continue;
    depth[v] = depth[p]! + 1;
    headOf[v] = depth[v]! < SHOWN_HEAD ? v : headOf[p]!;
  }
  /** The path to node i (then node `then`, when >= 0) as findings show it: see MAX_SHOWN_PATH. */
  const shownPath = (i: number, then: number): string[] => {
    const length = depth[i]! + 1 + (then >= 0 ? 1 : 0);
    const tail: string[] = [];
    if (then >= 0) tail.push(ids[then]!);
    if (length <= MAX_SHOWN_PATH) {
      for (let cur = i; cur >= 0; cur = pred[cur]!) tail.push(ids[cur]!);
      return tail.reverse();
    }
    for (let cur = i; tail.length < SHOWN_TAIL; cur = pred[cur]!) tail.push(ids[cur]!);
    const head: string[] = [];
    for (let cur = headOf[i]!; cur >= 0; cur = pred[cur]!) head.push(ids[cur]!);
    head.reverse();
    head.push(elisionMarker(length - SHOWN_HEAD - SHOWN_TAIL));
    for (let k = tail.length - 1; k >= 0; k--) head.push(tail[k]!);
    return head;
  };
  const sends = new Uint8Array(n);
  for (let e = 0; e < flowEdges; e++) if (edgeCarriesPhi(e)) sends[edgeFrom[e]!] = 1;

  return {
    holds: (id) => names(holds[nodeIndex(id)]!, false),
    phiAt: (id) => names(holds[nodeIndex(id)]!, true),
    holdsPhi: (id) => sets.hasPhi(holds[nodeIndex(id)]!),
    carries: (flowId) => carriedNames(flowId, false),
    carriesPhi: (flowId) => edgeCarriesPhi(edgeOf(flowId)),
    phiCarried: (flowId) => carriedNames(flowId, true),
    dropped: (flowId) => {
      const e = edgeOf(flowId);
      const kept = new Set(carriedNames(flowId, true));
      return names(holds[edgeFrom[e]!]!, true).filter((c) => !kept.has(c));
    },
    sendsPhi: (id) => sends[nodeIndex(id)] === 1,
    phiPathTo: (id) => phiPathFrom(nodeIndex(id)),
    flowPhiPath: (flowId) => {
      const e = edgeOf(flowId);
      if (!edgeCarriesPhi(e)) return undefined;
      const trail = phiPathFrom(edgeFrom[e]!) ?? [ids[edgeFrom[e]!]!];
      trail.push(ids[edgeTo[e]!]!);
      return trail;
    },
    shownPhiPathTo: (id) => {
      const i = nodeIndex(id);
      return seen[i] ? shownPath(i, -1) : undefined;
    },
    shownFlowPhiPath: (flowId) => {
      const e = edgeOf(flowId);
      return edgeCarriesPhi(e) ? shownPath(edgeFrom[e]!, edgeTo[e]!) : undefined;
    },
    phiHolders: ids.filter((_, i) => sets.hasPhi(holds[i]!)),
  };
}
