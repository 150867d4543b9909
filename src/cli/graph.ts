/** `phi-audit graph`: the data-flow diagram of the map, as SVG (laid out by Graphviz), DOT or Mermaid. */
import { formatDot } from '../format/diagram/dot.js';
import { formatMermaid } from '../format/diagram/mermaid.js';
import { type DiagramOptions, diagramNodeIds, diagramView } from '../format/diagram/view.js';
import { noPosition } from '../source/diagnostics.js';
import { escapeTerminal } from '../source/escape.js';
import { closest } from '../source/suggest.js';
import { EXIT, type ExitCode } from './exit.js';
import { emit } from './output.js';
import { type AuditFlags, auditForCommand } from './report.js';
import { reportProblems } from './run.js';

export const GRAPH_FORMATS = ['svg', 'dot', 'mermaid'] as const;

export interface GraphFlags extends AuditFlags {
  format: (typeof GRAPH_FORMATS)[number];
  output?: string;
  onlyPhi?: boolean;
  to?: string;
}

export async function graphCommand(paths: string[], flags: GraphFlags): Promise<ExitCode> {
  // The diagram marks blocking findings; the run's exit code is the diagram's, not the findings'.
  const report = await auditForCommand(paths, flags);
  if (typeof report === 'number') return report;
  if (flags.to !== undefined) {
    const ids = diagramNodeIds(report);
    if (!ids.includes(flags.to)) {
      const near = closest(flags.to, ids);
      return reportProblems([
        noPosition('--to', `"${flags.to}" is no node of the map${near !== undefined ? `: did you mean "${near}"?` : ''} (a vendor, service, store or log id)`),
      ]);
    }
  }
  const options: DiagramOptions = { onlyPhi: flags.onlyPhi === true, to: flags.to };
  const view = diagramView(report, options);
  if (view.nodes.length === 0 || (flags.to !== undefined && view.nodes.length === 1 && view.edges.length === 0)) {
    const why = flags.to !== undefined ? `no ${flags.onlyPhi ? 'PHI-carrying ' : ''}flow leads into ${flags.to}` : 'no node holds PHI';
    process.stderr.write(`phi-audit: note: ${escapeTerminal(why)}; the diagram is ${view.nodes.length === 0 ? 'empty' : 'that node alone'}.\n`);
  }
  let text: string;
  if (flags.format === 'svg') text = await (await import('../format/diagram/svg.js')).formatSvg(report, options);
  else text = flags.format === 'dot' ? formatDot(report, options) : formatMermaid(report, options);
  emit([text], flags.output, { what: 'report', inputs: report.files });
  if (flags.output !== undefined) {
    process.stderr.write(
      `phi-audit: diagram (${flags.format}, ${view.nodes.length} nodes, ${view.edges.length} flows) written to ${escapeTerminal(flags.output)}\n`,
    );
  }
  return EXIT.clean;
}
