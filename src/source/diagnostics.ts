/** A problem with user input (a map, a rule file, a flag), always tied to a place the user can open. */
import { escapeTerminal } from './escape.js';

export interface Diagnostic {
  file: string;
  line: number;
  column: number;
  message: string;
}

/** Thrown for input the user must fix; the CLI prints the diagnostics and exits 2. Never for our own bugs. */
export class InputError extends Error {
  readonly diagnostics: Diagnostic[];

  constructor(diagnostics: Diagnostic[]) {
    super(diagnostics.map(formatDiagnostic).join('\n'));
    this.name = 'InputError';
    this.diagnostics = diagnostics;
  }
}

/** The one place a position is written as `file:line:column` (just `file` when there is no line to point at). */
export function formatLocation(p: { file: string; line: number; column: number }): string {
  return p.line > 0 ? `${p.file}:${p.line}:${p.column}` : p.file;
}

/**
 * A diagnostic as one line for a terminal: file names and the values a message quotes are user text, so control and
 * bidi characters in them are shown as escapes (a file name with a line break cannot print a line of its own).
 */
export function formatDiagnostic(d: Diagnostic): string {
  return `${escapeTerminal(formatLocation(d))}: ${escapeTerminal(d.message)}`;
}

export function sortDiagnostics(list: Diagnostic[]): Diagnostic[] {
  return [...list].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column || a.message.localeCompare(b.message));
}

/** A problem with a command-line value or a path as such (not its contents): there is no line to point at. */
export function noPosition(subject: string, message: string): Diagnostic {
  return { file: subject, line: 0, column: 0, message };
}

/** A diagnostic about a file as a whole, or a command-line value, with no better position than its start. */
export function atStart(file: string, message: string): Diagnostic {
  return { file, line: 1, column: 1, message };
}
