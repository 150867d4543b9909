/**
 * The data-flow diagram as a Mermaid flowchart (GitHub renders it in Markdown). Mermaid ids are ours (`n0`, `n1`,
 * ...), never the map's; every label is user text written inside a double-quoted Mermaid string with every character
 * outside a small safe set written as a Mermaid entity code (`#35;`), so no label can close its string, open a link
 * or a click handler, or carry HTML.
 */
import type { Report } from '../../report/model.js';
import { escapeTerminal } from '../../source/escape.js';
import { COLORS } from './dot.js';
import { baaGapText, type DiagramNode, type DiagramOptions, type DiagramView, diagramView } from './view.js';

/** A label as Mermaid text: letters, digits, spaces and `. , : / ( ) -` as they are, anything else as `#code;`. */
export function mermaidText(s: string): string {
  let out = '';
  for (const c of escapeTerminal(s)) out += /^[\p{L}\p{N} .,:/()_-]$/u.test(c) ? c : `#${c.codePointAt(0)};`;
  return out;
}

const label = (lines: readonly string[]) => `"${lines.map(mermaidText).join('<br/>')}"`;

const OPEN: Readonly<Record<DiagramNode['type'], [string, string]>> = { service: ['(', ')'], store: ['[(', ')]'], log: ['[/', '/]'], vendor: ['{{', '}}'] };

export function mermaidOf(view: DiagramView): string {
  const ids = new Map<string, string>();
  for (const [i, n] of view.nodes.entries()) ids.set(n.id, `n${i}`);
  const out: string[] = ['flowchart LR'];
  const nodeLine = (n: DiagramNode, indent: string) => {
    const what = [n.type === 'vendor' ? 'vendor' : (n.kind ?? n.type), n.hosting !== undefined && n.hosting !== 'self' ? `on ${n.hosting}` : ''].filter(
      Boolean,
    );
    const lines = [n.id, what.join(' ')];
    if (n.phi.length > 0) lines.push(`PHI: ${n.phi.join(', ')}`);
    if (n.hosts !== undefined) lines.push(`hosts ${n.hosts} nodes`);
    if (n.baaGap !== undefined) lines.push(`! ${baaGapText(n.baaGap)}`);
    if (n.blocking > 0) lines.push(`! ${n.blocking} blocking`);
    const [open, close] = OPEN[n.type];
    out.push(`${indent}${ids.get(n.id)}${open}${label(lines)}${close}`);
  };
  view.environments.forEach((env, i) => {
    out.push(`  subgraph env${i}[${label([`environment: ${env}`])}]`);
    for (const n of view.nodes) if (n.type !== 'vendor' && n.environment === env) nodeLine(n, '    ');
    out.push('  end');
  });
  if (view.nodes.some((n) => n.type === 'vendor')) {
    out.push('  subgraph vendors["vendors"]');
    for (const n of view.nodes) if (n.type === 'vendor') nodeLine(n, '    ');
    out.push('  end');
  }
  for (const n of view.nodes) if (n.type !== 'vendor' && n.environment === undefined) nodeLine(n, '  ');
  const phiLinks: number[] = [];
  view.edges.forEach((e, i) => {
    const words = [e.on !== 'normal' ? `on ${e.on}` : '', e.via === 'subprocessor' ? 'subprocessor' : e.via === 'hosting' ? 'hosted on' : '']
      .filter(Boolean)
      .join(', ');
    const arrow = e.on !== 'normal' || e.via !== 'flow' ? '-.->' : e.phi.length > 0 ? '==>' : '-->';
    out.push(`  ${ids.get(e.from)} ${arrow}${words ? `|${label([words])}|` : ''} ${ids.get(e.to)}`);
    if (e.phi.length > 0) phiLinks.push(i);
  });
  out.push(`  classDef phi fill:${COLORS.phiFill},stroke:${COLORS.phi},color:#101828`);
  out.push(`  classDef baa fill:${COLORS.baaFill},stroke:${COLORS.baa},stroke-width:3px`);
  out.push(`  classDef blocking stroke-width:4px`);
  const cls = (pick: (n: DiagramNode) => boolean, name: string) => {
    const list = view.nodes.filter(pick).map((n) => ids.get(n.id)!);
    if (list.length > 0) out.push(`  class ${list.join(',')} ${name}`);
  };
  cls((n) => n.phi.length > 0, 'phi');
  cls((n) => n.baaGap !== undefined, 'baa');
  cls((n) => n.blocking > 0, 'blocking');
  if (phiLinks.length > 0) out.push(`  linkStyle ${phiLinks.join(',')} stroke:${COLORS.phi}`);
  return `${out.join('\n')}\n`;
}

/** `phi-audit graph --format mermaid`. */
export function formatMermaid(report: Report, options: DiagramOptions = {}): string {
  return mermaidOf(diagramView(report, options));
}
