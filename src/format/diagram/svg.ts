/**
 * The data-flow diagram as SVG: the DOT laid out by Graphviz compiled to WebAssembly (`@viz-js/viz`, loaded only
 * when an SVG is asked for), then sanitised, because the HTML report inlines it. The sanitiser rebuilds the document
 * from an allow-list: only the drawing elements Graphviz writes, only presentation attributes, no comments, no
 * doctype, no links, scripts, styles, foreign objects or event handlers, and attribute values and text that must
 * already be plain escaped XML. Anything else is an error, never passed through.
 */
import type { Report } from '../../report/model.js';
import { dotOf } from './dot.js';
import { type DiagramOptions, diagramView } from './view.js';

const ELEMENTS = new Set(['svg', 'g', 'title', 'polygon', 'polyline', 'path', 'ellipse', 'text', 'rect', 'circle', 'line']);
const ATTRIBUTES = new Set([
  'id',
  'class',
  'width',
  'height',
  'viewBox',
  'transform',
  'fill',
  'fill-opacity',
  'stroke',
  'stroke-width',
  'stroke-dasharray',
  'stroke-opacity',
  'points',
  'd',
  'cx',
  'cy',
  'rx',
  'ry',
  'r',
  'x',
  'y',
  'x1',
  'y1',
  'x2',
  'y2',
  'text-anchor',
  'font-family',
  'font-size',
  'font-weight',
  'font-style',
]);
/** Character references allowed in text and values: the five XML entities and numeric ones. */
const VALUE = /^(?:[^<>&"]|&(?:amp|lt|gt|quot|apos|#\d{1,7}|#x[0-9a-fA-F]{1,6});)*$/;

export class SvgSanitizeError extends Error {}

/** The Graphviz SVG `svg`, rebuilt from the allow-list above; throws SvgSanitizeError on anything else. */
export function sanitizeSvg(svg: string): string {
  let s = svg.replace(/^<\?xml[^>]*\?>\s*/, '').replace(/<!DOCTYPE[^>[]*(?:\[[^\]]*\])?>\s*/, '');
  s = s.replace(/<!--[\s\S]*?-->/g, '');
  const out: string[] = [];
  const open: string[] = [];
  const tag = /<(\/?)([A-Za-z][\w:-]*)((?:\s+[\w:-]+\s*=\s*"[^"]*")*)\s*(\/?)>/y;
  let i = 0;
  while (i < s.length) {
    const lt = s.indexOf('<', i);
    const text = s.slice(i, lt < 0 ? s.length : lt);
    if (text.length > 0) {
      if (!VALUE.test(text)) throw new SvgSanitizeError('text with markup in the SVG');
      // Text only inside elements that hold it; white space between elements is kept as it is.
      if (text.trim() !== '' && !['text', 'title'].includes(open.at(-1) ?? '')) throw new SvgSanitizeError('text outside a text element in the SVG');
      out.push(text);
    }
    if (lt < 0) break;
    tag.lastIndex = lt;
    const m = tag.exec(s);
    if (!m) throw new SvgSanitizeError(`markup the sanitiser does not know at offset ${lt} of the SVG`);
    const [, closing, name, attrs, selfClosing] = m;
    if (!ELEMENTS.has(name!)) throw new SvgSanitizeError(`element <${name}> in the SVG`);
    if (closing) {
      if (open.pop() !== name) throw new SvgSanitizeError(`unbalanced </${name}> in the SVG`);
      out.push(`</${name}>`);
    } else {
      const kept: string[] = [];
      for (const a of attrs!.matchAll(/([\w:-]+)\s*=\s*"([^"]*)"/g)) {
        const [, attr, value] = a;
        if (name === 'svg' && (attr === 'xmlns' || attr === 'xmlns:xlink')) continue;
        if (!ATTRIBUTES.has(attr!)) continue;
        if (!VALUE.test(value!) || /url\s*\(|javascript:|expression\s*\(/i.test(value!)) throw new SvgSanitizeError(`attribute value of ${attr} in the SVG`);
        kept.push(` ${attr}="${value}"`);
      }
      if (name === 'svg') kept.push(' xmlns="http://www.w3.org/2000/svg"');
      out.push(`<${name}${kept.join('')}${selfClosing ? '/' : ''}>`);
      if (!selfClosing) open.push(name!);
    }
    i = tag.lastIndex;
  }
  if (open.length > 0) throw new SvgSanitizeError(`unclosed <${open.at(-1)}> in the SVG`);
  return out.join('').trim();
}

/** Renders DOT to sanitised SVG, synchronously once loaded. */
export type SvgRenderer = (dot: string) => string;

let loading: Promise<SvgRenderer> | undefined;

/** Loads Graphviz (WebAssembly) once. */
export function loadSvgRenderer(): Promise<SvgRenderer> {
  loading ??= import('@viz-js/viz').then(async ({ instance }) => {
    const viz = await instance();
    return (dot: string) => {
      const result = viz.render(dot, { format: 'svg' });
      if (result.status !== 'success') throw new Error(`Graphviz could not lay out the diagram: ${result.errors.map((e) => e.message).join('; ')}`);
      return sanitizeSvg(result.output);
    };
  });
  return loading;
}

/** `phi-audit graph --format svg`: a standalone SVG file. */
export async function formatSvg(report: Report, options: DiagramOptions = {}): Promise<string> {
  const render = await loadSvgRenderer();
  return `<?xml version="1.0" encoding="UTF-8"?>\n${render(dotOf(diagramView(report, options)))}\n`;
}
