/**
 * Re-drafting into a map a person has edited. Nodes are matched by the `from terraform: ADDRESS` comment the draft
 * wrote, else by id, else by `resource:`. Fields that come from the infrastructure are updated; everything else
 * (fields, comments, nodes, flows the person added) is kept as it is. A resource that is gone is marked with a
 * REMOVED comment, never deleted; a new one is added with its questions.
 */
import { type Document, isMap, isScalar, isSeq, type Node, type Pair, YAMLMap, YAMLSeq } from 'yaml';
import { InputError } from '../source/diagnostics.js';
import type { Draft, DraftNode } from './model.js';
import { toId } from './model.js';
import { awsVendor, comment, flowMap, nodeFields, nodeHeader, nodeMap, PROVENANCE, provenance, REMOVED, SECTIONS } from './render.js';

interface Existing {
  section: string;
  id: string;
  map: YAMLMap;
  source?: string;
}

/** JSON with keys sorted, to compare values whatever order they were written in. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (typeof v === 'object' && v !== null) {
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

const shown = (v: unknown) => (typeof v === 'object' && v !== null ? canonical(v).replace(/"/g, '') : String(v));

/** Every comment inside a node's mapping: the person may have written fields above the draft's first comment. */
function commentsOf(map: YAMLMap): string[] {
  const out = [map.commentBefore ?? '', map.comment ?? ''];
  for (const pair of map.items as Pair[]) {
    for (const n of [pair.key, pair.value] as (Node | null)[]) {
      if (n && typeof n === 'object') out.push((n as Node).commentBefore ?? '', (n as Node).comment ?? '');
    }
  }
  return out;
}

function sourceOf(map: YAMLMap, tool: string): string | undefined {
  for (const c of commentsOf(map)) {
    const m = PROVENANCE.exec(c);
    if (m) return m[1] === tool ? m[2] : undefined;
  }
  return undefined;
}

const isRemoved = (map: YAMLMap) => commentsOf(map).some((c) => c.includes(REMOVED));

function plain(node: unknown): unknown {
  if (node === undefined || node === null) return undefined;
  if (isScalar(node)) return node.value;
  return typeof (node as Node).toJSON === 'function' ? (node as Node).toJSON() : node;
}

/** A top-level section as a mapping, created when absent or empty; anything else is the person's to fix first. */
function sectionMap(doc: Document.Parsed, name: string, file: string): YAMLMap {
  const sec = doc.get(name, true);
  if (isMap(sec)) return sec;
  if (sec !== undefined && sec !== null && !(isScalar(sec) && sec.value === null)) {
    throw new InputError([{ file, line: 1, column: 1, message: `${name}: is not a mapping: fix the map (phi-audit validate says where) before updating it` }]);
  }
  const map = new YAMLMap();
  doc.set(name, map);
  return map;
}

export interface UpdateResult {
  /** One line per change, for the person to read. */
  changes: string[];
}

export function updateDocument(doc: Document.Parsed, draft: Draft, map: string): UpdateResult {
  const changes: string[] = [];
  const existing: Existing[] = [];
  const ids = new Set<string>();
  for (const section of ['vendors', ...SECTIONS]) {
    const sec = doc.get(section, true);
    if (!isMap(sec)) continue;
    for (const pair of sec.items as Pair[]) {
      const id = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
      ids.add(id);
      if (section !== 'vendors' && isMap(pair.value)) existing.push({ section, id, map: pair.value, source: sourceOf(pair.value, draft.tool) });
    }
  }
  const bySource = new Map(existing.filter((e) => e.source).map((e) => [e.source!, e]));
  const byId = new Map(existing.map((e) => [`${e.section}\u0000${e.id}`, e]));
  const byResource = new Map<string, Existing>();
  for (const e of existing) {
    const r = plain(e.map.get('resource', true));
    if (typeof r === 'string') byResource.set(r, e);
  }

  // Match first, so references between nodes (backup, audit_log, flows) use the ids already in the file.
  const matched = new Map<DraftNode, Existing>();
  const used = new Set<Existing>();
  for (const node of draft.nodes) {
    const resource = node.fields.get('resource');
    const hit = [bySource.get(node.key), byId.get(`${node.section}\u0000${node.id}`), typeof resource === 'string' ? byResource.get(resource) : undefined].find(
      (e) => e !== undefined && !used.has(e) && (e.source === undefined || e.source === node.key),
    );
    if (hit) {
      matched.set(node, hit);
      used.add(hit);
      node.id = hit.id;
    }
  }
  for (const node of draft.nodes) {
    if (matched.has(node)) continue;
    let id = node.id;
    for (let n = 2; ids.has(id); n++) id = `${toId(node.name) || node.id}-${n}`;
    ids.add(id);
    node.id = id;
  }

  if (!isMap(doc.getIn(['vendors', 'aws'], true)) && !ids.has('aws')) {
    sectionMap(doc, 'vendors', map).set('aws', awsVendor(doc));
    changes.push('+ vendors.aws');
  }

  for (const node of draft.nodes) {
    const hit = matched.get(node);
    if (!hit) {
      // The id is new in the file (checked against every id above): push, not set() (which searches every key).
      sectionMap(doc, node.section, map).items.push(doc.createPair(node.id, nodeMap(doc, draft.tool, node)));
      changes.push(`+ ${node.section}.${node.id} (${provenance(draft.tool, node.key)})`);
      continue;
    }
    for (const [k, v] of nodeFields(node)) {
      const before = plain(hit.map.get(k, true));
      if (before !== undefined && canonical(before) === canonical(v)) continue;
      const value = doc.createNode(v);
      if (isMap(value)) value.flow = true;
      hit.map.set(k, value);
      changes.push(`~ ${hit.section}.${hit.id}.${k}: ${before === undefined ? '(not set)' : shown(before)} → ${shown(v)}`);
    }
    if (isRemoved(hit.map)) {
      hit.map.commentBefore = (hit.map.commentBefore ?? '')
        .split('\n')
        .filter((l) => !l.includes(REMOVED))
        .join('\n');
      changes.push(`~ ${hit.section}.${hit.id}: back in ${draft.input} (REMOVED note taken off)`);
    }
    if (hit.source === undefined) hit.map.commentBefore = [comment(nodeHeader(draft.tool, node)), hit.map.commentBefore].filter((s) => s).join('\n');
  }

  const keys = new Set(draft.nodes.map((n) => n.key));
  for (const e of existing) {
    if (!e.source || keys.has(e.source) || isRemoved(e.map)) continue;
    e.map.commentBefore = ` ${REMOVED} ${e.source} is no longer in ${draft.input}: delete this node if the resource is gone\n${e.map.commentBefore ?? ''}`;
    changes.push(`- ${e.section}.${e.id}: ${e.source} is no longer in ${draft.input} (marked REMOVED, not deleted)`);
  }

  // Flows: add the new ones; mark those the draft wrote that the code no longer states.
  let flows = doc.get('flows', true);
  if (flows !== undefined && flows !== null && !isSeq(flows) && !(isScalar(flows) && flows.value === null)) {
    throw new InputError([{ file: map, line: 1, column: 1, message: 'flows: is not a list: fix the map (phi-audit validate says where) before updating it' }]);
  }
  if (!isSeq(flows)) {
    flows = new YAMLSeq();
    if (draft.flows.length > 0) doc.set('flows', flows);
  }
  const seq = flows as YAMLSeq;
  const flowKey = (from: unknown, to: unknown, on: unknown) =>
    `${String(from)}\u0000${String(to)}\u0000${on === undefined || on === 'normal' ? '' : String(on)}`;
  const have = new Map<string, YAMLMap>();
  for (const item of seq.items) {
    if (!isMap(item)) continue;
    have.set(flowKey(plain(item.get('from', true)), plain(item.get('to', true)), plain(item.get('on', true))), item);
  }
  const stated = new Set<string>();
  for (const flow of draft.flows) {
    const k = flowKey(flow.from.id, flow.to.id, flow.on);
    stated.add(k);
    if (have.has(k)) continue;
    seq.items.push(flowMap(doc, draft.tool, flow));
    changes.push(`+ flow ${flow.from.id} → ${flow.to.id}${flow.on ? ` (on: ${flow.on})` : ''} (${provenance(draft.tool, flow.source)})`);
  }
  for (const [k, item] of have) {
    const m = PROVENANCE.exec(item.comment ?? '');
    if (!m || m[1] !== draft.tool || stated.has(k) || (item.comment ?? '').includes(REMOVED)) continue;
    item.comment = ` ${REMOVED} no longer stated by ${draft.input} (was ${(item.comment ?? '').trim()}): delete this flow if it is gone`;
    const [from, to] = k.split('\u0000');
    changes.push(`- flow ${from} → ${to}: no longer stated (marked REMOVED, not deleted)`);
  }
  return { changes };
}
