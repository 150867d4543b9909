/**
 * The data-flow diagram as Graphviz DOT. Nodes are grouped by environment (one cluster each, vendors in their own),
 * PHI holders and the flows that carry PHI are drawn in red, failure paths (`on: error | retry | debug`) dashed, a
 * vendor PHI reaches without a BAA in force orange with a double border, and a node with blocking findings with a
 * heavy border and their count.
 *
 * Every id and label is user text: it is written only inside a DOT double-quoted string, with control and bidi
 * characters shown as escapes and `\` and `"` escaped, so nothing a map says can end the string, add an attribute or
 * use one of Graphviz's label escapes (`\N`, `\G`, `\l`). Graphs and clusters get ids of our own.
 */
import type { Report } from '../../report/model.js';
import { escapeTerminal } from '../../source/escape.js';
import { baaGapText, type DiagramEdge, type DiagramNode, type DiagramOptions, type DiagramView, diagramView } from './view.js';

/** A DOT double-quoted string holding `s` as plain text. */
export function dotString(s: string): string {
  return `"${escapeTerminal(s).replace(/["\\]/g, (c) => `\\${c}`)}"`;
}

/** A multi-line label: each line escaped, joined by DOT's centred line break. */
function dotLabel(lines: readonly string[]): string {
  return `"${lines.map((l) => escapeTerminal(l).replace(/["\\]/g, (c) => `\\${c}`)).join('\\n')}"`;
}

export const COLORS = {
  phi: '#b42318',
  phiFill: '#fdecea',
  plain: '#667085',
  plainFill: '#f9fafb',
  baa: '#b54708',
  baaFill: '#fff4e5',
  cluster: '#d0d5dd',
  vendorCluster: '#eaecf0',
} as const;

const SHAPE: Readonly<Record<DiagramNode['type'], string>> = { service: 'box', store: 'cylinder', log: 'note', vendor: 'component' };

function nodeLabel(n: DiagramNode): string[] {
  const what = [n.type === 'vendor' ? 'vendor' : (n.kind ?? n.type), n.hosting !== undefined && n.hosting !== 'self' ? `on ${n.hosting}` : ''].filter(Boolean);
  const lines = [n.id, what.join(' ')];
  if (n.phi.length > 0) lines.push(`PHI: ${n.phi.join(', ')}`);
  if (n.hosts !== undefined) lines.push(`hosts ${n.hosts} nodes`);
  if (n.baaGap !== undefined) lines.push(`! ${baaGapText(n.baaGap)}`);
  if (n.blocking > 0) lines.push(`! ${n.blocking} blocking finding${n.blocking === 1 ? '' : 's'}`);
  return lines;
}

function nodeLine(n: DiagramNode, selected: boolean): string {
  const phi = n.phi.length > 0;
  const gap = n.baaGap !== undefined;
  const color = gap ? COLORS.baa : phi ? COLORS.phi : COLORS.plain;
  const fill = gap ? COLORS.baaFill : phi ? COLORS.phiFill : COLORS.plainFill;
  const attrs = [
    `label=${dotLabel(nodeLabel(n))}`,
    `shape=${SHAPE[n.type]}`,
    `style="${n.type === 'service' ? 'rounded,filled' : 'filled'}"`,
    `color="${color}"`,
    `fillcolor="${fill}"`,
    `fontcolor="${phi || gap ? '#101828' : '#475467'}"`,
    `penwidth=${n.blocking > 0 ? 3 : phi ? 1.5 : 1}`,
    `class="${[`node-${n.type}`, phi ? 'phi' : 'no-phi', gap ? 'baa-gap' : '', n.blocking > 0 ? 'blocking' : '', selected ? 'selected' : ''].filter(Boolean).join(' ')}"`,
  ];
  if (gap || selected) attrs.push('peripheries=2');
  return `    ${dotString(n.id)} [${attrs.join(', ')}];`;
}

function edgeLine(e: DiagramEdge): string {
  const phi = e.phi.length > 0;
  const failure = e.on !== 'normal';
  const labels: string[] = [];
  if (failure) labels.push(`on ${e.on}`);
  if (e.via === 'subprocessor') labels.push('subprocessor');
  if (e.via === 'hosting') labels.push('hosted on');
  if (e.blocking > 0) labels.push(`! ${e.id}: ${e.blocking} blocking`);
  const attrs = [
    `color="${phi ? COLORS.phi : COLORS.plain}"`,
    `penwidth=${phi ? (e.blocking > 0 ? 2.6 : 1.6) : 1}`,
    `style=${e.via !== 'flow' ? 'dotted' : failure ? 'dashed' : 'solid'}`,
    `class="${[e.via === 'flow' ? 'flow' : e.via, phi ? 'phi' : 'no-phi', failure ? 'failure' : ''].filter(Boolean).join(' ')}"`,
  ];
  if (labels.length > 0) attrs.push(`label=${dotLabel(labels)}`, `fontcolor="${phi ? COLORS.phi : COLORS.plain}"`);
  return `  ${dotString(e.from)} -> ${dotString(e.to)} [${attrs.join(', ')}];`;
}

/** The DOT text of a diagram view. */
export function dotOf(view: DiagramView, title?: string): string {
  const out: string[] = [];
  out.push('digraph "phi_data_flows" {');
  out.push(
    `  graph [rankdir=TB, fontname="Helvetica,Arial,sans-serif", fontsize=11, nodesep=0.3, ranksep=0.5, newrank=true, pad=0.2${title !== undefined ? `, label=${dotString(title)}, labelloc=t` : ''}];`,
  );
  out.push('  node [fontname="Helvetica,Arial,sans-serif", fontsize=10, margin="0.12,0.05"];');
  out.push('  edge [fontname="Helvetica,Arial,sans-serif", fontsize=8, arrowsize=0.7];');
  const groups = new Map<string, DiagramNode[]>();
  const loose: DiagramNode[] = [];
  const vendors: DiagramNode[] = [];
  for (const env of view.environments) groups.set(env, []);
  for (const n of view.nodes) {
    if (n.type === 'vendor') vendors.push(n);
    else if (n.environment !== undefined) groups.get(n.environment)!.push(n);
    else loose.push(n);
  }
  let i = 0;
  for (const [env, list] of groups) {
    out.push(`  subgraph "cluster_env_${i++}" {`);
    out.push(`    label=${dotString(`environment: ${env}`)}; style="rounded,dashed"; color="${COLORS.cluster}"; fontcolor="#344054";`);
    for (const n of list) out.push(nodeLine(n, n.id === view.to));
    out.push('  }');
  }
  if (vendors.length > 0) {
    out.push('  subgraph "cluster_vendors" {');
    out.push(`    label="vendors"; style="rounded,filled"; color="${COLORS.vendorCluster}"; fillcolor="#fcfcfd"; fontcolor="#344054";`);
    for (const n of vendors) out.push(nodeLine(n, n.id === view.to));
    out.push('  }');
  }
  for (const n of loose) out.push(nodeLine(n, n.id === view.to).slice(2));
  for (const e of view.edges) out.push(edgeLine(e));
  out.push('}');
  return `${out.join('\n')}\n`;
}

/** `phi-audit graph --format dot`. */
export function formatDot(report: Report, options: DiagramOptions = {}): string {
  return dotOf(diagramView(report, options));
}
