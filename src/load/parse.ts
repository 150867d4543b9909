/** YAML → JS with positions kept, hardened against duplicate keys and alias bombs. Shared by maps, rules and catalogs. */
import { LineCounter, parseDocument } from 'yaml';
import type { Diagnostic } from './diagnostics.js';
import { locateOffset, type SourceFile } from './positions.js';

// An anchor used this many times (counting nested aliases) is an entity-expansion attack, not a map.
export const MAX_ALIAS_COUNT = 10_000;

export type ParseResult =
  | { ok: true; source: SourceFile; value: Record<string, unknown> }
  | { ok: false; diagnostics: Diagnostic[] };

const YAML_CODES: Partial<Record<string, string>> = {
  DUPLICATE_KEY: 'duplicate key: each key may appear once in a mapping',
  MULTIPLE_DOCS: 'more than one YAML document (---) in this file: put each map in a file of its own',
  TAB_AS_INDENT: 'tab used for indentation: YAML indents with spaces',
  BAD_ALIAS: 'alias (*name) refers to no anchor (&name) defined before it',
};

export function parseYaml(displayPath: string, text: string, what: string): ParseResult {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false, merge: true });
  const at = { path: displayPath, lines };
  if (doc.errors.length > 0) {
    return {
      ok: false,
      diagnostics: doc.errors.map((e) => {
        const fixed = YAML_CODES[e.code];
        const first = e.message.split('\n')[0] ?? e.message;
        return { ...locateOffset(at, e.pos[0]), message: `YAML: ${fixed ?? first}` };
      }),
    };
  }
  const contents = doc.contents;
  if (contents == null) {
    return {
      ok: false,
      diagnostics: [{ ...locateOffset(at, 0), message: `the file is empty: ${what} starts with \`version: 1\`` }],
    };
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (err) {
    const message =
      err instanceof ReferenceError && /alias/i.test(err.message)
        ? `YAML aliases expand past ${MAX_ALIAS_COUNT} nodes ("billion laughs"): write the values out or use fewer nested aliases`
        : `YAML: ${(err as Error).message}`;
    return { ok: false, diagnostics: [{ ...locateOffset(at, contents.range?.[0] ?? 0), message }] };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    const got = value === null ? 'null' : Array.isArray(value) ? 'a list' : `a ${typeof value}`;
    return {
      ok: false,
      diagnostics: [
        {
          ...locateOffset(at, contents.range?.[0] ?? 0),
          message: `${what} must be a YAML mapping (key: value lines) starting with \`version: 1\`, but this file is ${got}`,
        },
      ],
    };
  }
  return { ok: true, source: { path: displayPath, text, doc, lines }, value: value as Record<string, unknown> };
}
