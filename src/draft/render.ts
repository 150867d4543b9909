/**
 * A draft as YAML with comments: where each node and flow came from, what the code says that the map has no field
 * for, and QUESTION lines for what only a person knows. Built with the yaml package's Document API so the same nodes
 * can be merged into a map the person has edited (update.ts).
 */
import { Document, isMap, YAMLMap, YAMLSeq } from 'yaml';
import { commentText, type Draft, type DraftFlow, type DraftNode, type Section, type Tool, visible } from './model.js';

export const SECTIONS: readonly Section[] = ['services', 'stores', 'logs'];

/** The first comment line of a drafted node or flow: `from terraform: ADDRESS`. update.ts finds nodes by it. */
export const provenance = (tool: Tool, key: string) => `from ${tool}: ${commentText(key, 300)}`;
export const PROVENANCE = /^ ?from (terraform|cloudformation): (.+?)(?: \(.*)?$/m;
export const REMOVED = 'REMOVED:';

/** A field's value as the map writes it: a node named by a field is written as its id. */
function fieldValue(v: unknown): unknown {
  if (typeof v === 'object' && v !== null && 'id' in v && 'key' in v) return (v as DraftNode).id;
  return typeof v === 'string' ? visible(v) : v;
}

/** The infrastructure's fields of a node, as map data. */
const FIELD_ORDER = [
  'kind',
  'hosting',
  'resource',
  'encryption',
  'public_access',
  'versioning',
  'object_lock',
  'point_in_time_recovery',
  'retention_days',
  'tamper_evident',
  'backup',
  'audit_log',
];
const rank = (k: string) => (FIELD_ORDER.includes(k) ? FIELD_ORDER.indexOf(k) : FIELD_ORDER.length);

export function nodeFields(node: DraftNode): [string, unknown][] {
  return [...node.fields].sort((a, b) => rank(a[0]) - rank(b[0])).map(([k, v]) => [k, fieldValue(v)]);
}

export function comment(lines: readonly string[]): string | undefined {
  return lines.length === 0 ? undefined : lines.map((l) => ` ${commentText(l, 400)}`).join('\n');
}

export function nodeHeader(tool: Tool, node: DraftNode): string[] {
  return [`${provenance(tool, node.key)} (${node.type})`, ...node.joined.map((j) => `  + ${j}`)];
}

export function nodeTrailer(node: DraftNode): string[] {
  return [...node.notes.map((n) => `note: ${n}`), ...node.questions];
}

/** A node's mapping, with its comments. */
export function nodeMap(doc: Document, tool: Tool, node: DraftNode): YAMLMap {
  const map = new YAMLMap();
  if (node.description) map.add(doc.createPair('description', visible(node.description)));
  for (const [k, v] of nodeFields(node)) {
    const value = doc.createNode(v);
    if (isMap(value)) value.flow = true;
    map.add(doc.createPair(k, value));
  }
  map.commentBefore = comment(nodeHeader(tool, node));
  map.comment = comment(nodeTrailer(node));
  return map;
}

export function flowMap(doc: Document, tool: Tool, flow: DraftFlow): YAMLMap {
  const map = doc.createNode(flow.on ? { from: flow.from.id, to: flow.to.id, on: flow.on } : { from: flow.from.id, to: flow.to.id }) as YAMLMap;
  map.flow = true;
  map.comment = ` ${provenance(tool, flow.source)}`;
  return map;
}

export const VENDOR_QUESTION =
  'QUESTION: is a BAA with AWS in force (accepted in AWS Artifact for this account)? If so: baa: { status: signed, signed: YYYY-MM-DD }';
const ENVIRONMENT_QUESTION =
  'QUESTION: which environment is this, and may PHI be there? Declare it (environments: { prod: { phi_allowed: true } }) and write environment: prod on each node';

export function awsVendor(doc: Document): YAMLMap {
  const map = new YAMLMap();
  map.add(doc.createPair('description', 'Amazon Web Services: hosts every node drafted from the infrastructure code'));
  map.comment = ` ${VENDOR_QUESTION}`;
  return map;
}

export function draftDocument(draft: Draft, command: string): Document {
  const doc = new Document({ version: 1 });
  const header = [
    `PHI map draft: \`${commentText(command, 300)}\``,
    'The fields below come from the infrastructure code; each node and flow says which resource it came from.',
    'Re-run with --update THIS-FILE after the infrastructure changes: what you add here is kept.',
    'What only a person knows is asked in QUESTION comments: answer by writing the field it shows.',
    'Nothing here says which nodes hold PHI until you answer: `phi-audit scan` reports PHI only from `data:`.',
    ENVIRONMENT_QUESTION,
    ...draft.notes,
  ];
  doc.commentBefore = comment(header) ?? null;
  const vendors = new YAMLMap();
  vendors.add(doc.createPair('aws', awsVendor(doc)));
  doc.add(doc.createPair('vendors', vendors));
  for (const section of SECTIONS) {
    const nodes = draft.nodes.filter((n) => n.section === section).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    if (nodes.length === 0) continue;
    const map = new YAMLMap();
    // Ids are unique (model.ts): push, where add() would search every earlier key (quadratic in 20,000 nodes).
    for (const node of nodes) map.items.push(doc.createPair(node.id, nodeMap(doc, draft.tool, node)));
    doc.add(doc.createPair(section, map));
  }
  if (draft.flows.length > 0) {
    const seq = new YAMLSeq();
    for (const flow of draft.flows) seq.items.push(flowMap(doc, draft.tool, flow));
    doc.add(doc.createPair('flows', seq));
  }
  return doc;
}

export const TO_STRING = { lineWidth: 0, flowCollectionPadding: true } as const;
