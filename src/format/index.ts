/** Formatters are pure: (result, context) → text. Only the CLI writes. */
import type { ScanResult } from '../evaluate/finding.js';
import type { LoadedRule } from '../rules/schema.js';
import { formatJson } from './json.js';
import { formatMarkdown } from './markdown.js';
import { formatSarif } from './sarif.js';
import { formatText } from './text.js';

export interface FormatContext {
  color: boolean;
  rules: readonly LoadedRule[];
}

/** Output as a sequence of pieces, so a report of 300,000 findings is written without building one huge string. */
export type Formatter = (result: ScanResult, ctx: FormatContext) => Iterable<string>;

export const FORMATS = ['text', 'json', 'sarif', 'markdown'] as const;
export type Format = (typeof FORMATS)[number];

export const FORMATTERS: Record<Format, Formatter> = {
  text: formatText,
  json: formatJson,
  sarif: formatSarif,
  markdown: formatMarkdown,
};

export function formatToString(format: Format, result: ScanResult, ctx: FormatContext): string {
  return [...FORMATTERS[format](result, ctx)].join('');
}
