/** The output formats: one registry, which the CLI reads its choices from. A formatter's module loads only when used. */
import type { FormatOptions, Formatter, Report } from '../report/model.js';

interface FormatEntry {
  readonly description: string;
  load(): Promise<Formatter>;
}

const REGISTRY = {
  text: { description: 'findings grouped by target, for a terminal', load: async () => (await import('./text.js')).formatText },
  json: { description: 'the JSON findings contract, one finding a line', load: async () => (await import('./json.js')).formatJson },
  sarif: { description: 'SARIF 2.1.0, for GitHub code scanning', load: async () => (await import('./sarif.js')).formatSarif },
  markdown: { description: 'a gap report by safeguard, for compliance leads', load: async () => (await import('./markdown.js')).formatMarkdown },
} satisfies Record<string, FormatEntry>;

export type Format = keyof typeof REGISTRY;
export const FORMATS = Object.keys(REGISTRY) as Format[];

/** `text (findings grouped by target, for a terminal), json (...)`: the choices, for help texts. */
export function describeFormats(): string {
  return FORMATS.map((f) => `${f} (${REGISTRY[f].description})`).join(', ');
}

export function loadFormatter(format: Format): Promise<Formatter> {
  return REGISTRY[format].load();
}

export async function formatToString(format: Format, report: Report, options: FormatOptions): Promise<string> {
  return [...(await loadFormatter(format))(report, options)].join('');
}
