/** The output formats: one registry, which the CLI reads its choices from. A formatter's module loads only when used. */

import type { FormatOptions, Formatter, ProblemFormatter, Report } from '../report/model.js';
import { closest } from '../source/suggest.js';

interface FormatEntry {
  readonly description: string;
  load(): Promise<Formatter>;
  /** How this format writes a run stopped by input problems (exit 2); a format without one writes no file then. */
  loadProblems?(): Promise<ProblemFormatter>;
}

const REGISTRY = {
  text: {
    description: 'findings grouped by target, for a terminal',
    load: async () => (await import('./text.js')).formatText,
    loadProblems: async () => (await import('./text.js')).formatTextProblems,
  },
  json: {
    description: 'the JSON findings contract, one finding a line',
    load: async () => (await import('./json.js')).formatJson,
    loadProblems: async () => (await import('./json.js')).formatJsonProblems,
  },
  sarif: {
    description: 'SARIF 2.1.0, for GitHub code scanning',
    load: async () => (await import('./sarif.js')).formatSarif,
    loadProblems: async () => (await import('./sarif.js')).formatSarifProblems,
  },
  junit: {
    description: 'JUnit XML, a test case per rule and target, for CI test reports (GitLab, Jenkins)',
    load: async () => (await import('./junit.js')).formatJunit,
    loadProblems: async () => (await import('./junit.js')).formatJunitProblems,
  },
  csv: { description: 'the findings as CSV, one row each', load: async () => (await import('./csv.js')).formatCsv },
  'csv-matrix': { description: 'the safeguard matrix as CSV, one row per cited provision', load: async () => (await import('./csv.js')).formatCsvMatrix },
  github: {
    description: 'GitHub Actions annotations on the map lines (and a job summary to $GITHUB_STEP_SUMMARY)',
    load: async () => (await import('./github.js')).formatGithub,
    loadProblems: async () => (await import('./github.js')).formatGithubProblems,
  },
  markdown: {
    description: 'the gap report, compact, for a CI job summary',
    load: async () => (await import('./markdown.js')).formatMarkdown,
    loadProblems: async () => (await import('./markdown.js')).formatMarkdownProblems,
  },
  html: {
    description: 'the gap report as one self-contained HTML file, with the data-flow diagram',
    load: async () => (await import('./html.js')).loadHtmlFormatter(),
    loadProblems: async () => (await import('./html.js')).formatHtmlProblems,
  },
} satisfies Record<string, FormatEntry>;

export type Format = keyof typeof REGISTRY;
export const FORMATS = Object.keys(REGISTRY) as Format[];

/** The format name closest to a mistyped one, for "did you mean". */
export function closestFormat(name: string): string | undefined {
  return closest(name, FORMATS);
}

/** `text (findings grouped by target, for a terminal), json (...)`: the choices, for help texts. */
export function describeFormats(): string {
  return FORMATS.map((f) => `${f} (${REGISTRY[f].description})`).join(', ');
}

export function loadFormatter(format: Format): Promise<Formatter> {
  return REGISTRY[format].load();
}

/** The format's problem writer (exit 2), or undefined when it has none. */
export function loadProblemFormatter(format: Format): Promise<ProblemFormatter | undefined> {
  const entry: FormatEntry = REGISTRY[format];
  return entry.loadProblems ? entry.loadProblems() : Promise.resolve(undefined);
}

export async function formatToString(format: Format, report: Report, options: FormatOptions): Promise<string> {
  return [...(await loadFormatter(format))(report, options)].join('');
}
