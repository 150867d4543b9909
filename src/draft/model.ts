/**
 * A map draft before it is written: nodes found in infrastructure code, each with the map fields its attributes state,
 * where it came from, and what only a person can answer. The Terraform and CloudFormation readers both build one.
 */
import { ID_PATTERN } from '../source/names.js';

export type Section = 'services' | 'stores' | 'logs';
export type Tool = 'terraform' | 'cloudformation';

export interface DraftNode {
  /** The resource this node is: a Terraform address or a CloudFormation logical id; unique in a draft. */
  readonly key: string;
  /** The resource type (aws_s3_bucket, AWS::S3::Bucket). */
  readonly type: string;
  readonly section: Section;
  /** What to call it when no better name is known, before ids are made unique. */
  readonly name: string;
  /** Node id in the map (set by assignIds). */
  id: string;
  /** Map fields stated by the infrastructure, in the order they are written. Updated on re-runs. */
  readonly fields: Map<string, unknown>;
  /** Written only when the node is first drafted (the person may rewrite it). */
  description?: string;
  /** Other resources whose attributes were joined into this node, as "address (what)". */
  readonly joined: string[];
  /** Facts read from the code that have no map field, and why a field was left out. */
  readonly notes: string[];
  /** What only a person knows. */
  readonly questions: string[];
}

export interface DraftFlow {
  readonly from: DraftNode;
  readonly to: DraftNode;
  readonly on?: 'error';
  /** The resource (and attribute) that states this flow. */
  readonly source: string;
}

export interface Draft {
  readonly tool: Tool;
  /** The input file, as shown. */
  readonly input: string;
  readonly nodes: DraftNode[];
  readonly flows: DraftFlow[];
  /** Lines for the file's header: keys found, references that could not be followed. */
  readonly notes: string[];
}

export class DraftBuilder {
  readonly nodes = new Map<string, DraftNode>();
  readonly flows: DraftFlow[] = [];
  readonly notes: string[] = [];
  private readonly flowKeys = new Set<string>();

  constructor(
    readonly tool: Tool,
    readonly input: string,
  ) {}

  add(key: string, type: string, section: Section, name: string): DraftNode {
    const existing = this.nodes.get(key);
    if (existing) return existing;
    const node: DraftNode = { key, type, section, name, id: '', fields: new Map(), joined: [], notes: [], questions: [] };
    this.nodes.set(key, node);
    return node;
  }

  get(key: string | undefined): DraftNode | undefined {
    return key === undefined ? undefined : this.nodes.get(key);
  }

  flow(from: DraftNode | undefined, to: DraftNode | undefined, source: string, on?: 'error'): void {
    if (!from || !to || from === to) return;
    const k = `${from.key}\u0000${to.key}\u0000${on ?? ''}`;
    if (this.flowKeys.has(k)) return;
    this.flowKeys.add(k);
    this.flows.push({ from, to, on, source });
  }

  finish(): Draft {
    const nodes = [...this.nodes.values()];
    assignIds(nodes);
    return { tool: this.tool, input: this.input, nodes, flows: this.flows, notes: this.notes };
  }
}

const SUFFIX: Readonly<Record<Section, string>> = { services: 'service', stores: 'store', logs: 'log' };

/** A map id from any text: lowercase letters, digits and '-', at most 60 characters; '' when nothing is left. */
export function toId(text: string): string {
  const id = text
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^[._-]+|[._-]+$/g, '')
    .slice(0, 60)
    .replace(/[._-]+$/, '');
  return ID_PATTERN.test(id) ? id : '';
}

/** Ids unique across the map: the node's name, then with its section's suffix, then numbered. */
function assignIds(nodes: DraftNode[]): void {
  const taken = new Set<string>();
  const sorted = [...nodes].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  for (const node of sorted) {
    const base = toId(node.name) || toId(node.key) || SUFFIX[node.section];
    let id = base;
    if (taken.has(id)) id = `${base}-${SUFFIX[node.section]}`;
    for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
    taken.add(id);
    node.id = id;
  }
}

/** Text safe to put in a YAML comment on one line: no control or bidi characters, bounded length. */
export function commentText(s: string, max = 200): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is removed
  const clean = s.replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]+/g, ' ').trim();
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is found
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]/g;

/**
 * A value from the input as map text: a control or bidi character (no AWS name has one) is written as a visible
 * `\u{...}` escape, so a draft shown in a terminal cannot rewrite or reorder its lines.
 */
export function visible(s: string): string {
  return s.replace(UNSAFE, (c) => `\\u{${c.codePointAt(0)!.toString(16)}}`);
}
