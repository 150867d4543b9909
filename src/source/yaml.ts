/** YAML → JS with positions kept, hardened against duplicate keys and alias bombs. Shared by maps, rules and catalogs. */
import { type Document, isAlias, isMap, isPair, isScalar, isSeq, LineCounter, type Node, parseDocument, visit } from 'yaml';
import type { Diagnostic } from './diagnostics.js';
import { aliasGrowth, DEFAULT_LIMITS, howToRaise, type InputLimits, MAX_BLOCK_DEPTH, shapeProblem } from './limits.js';
import { lineTable, locateOffset, type SourceFile } from './positions.js';
import { duplicateKeyAdvice, valueStartHint, yamlHints } from './yaml-hints.js';

// An anchor used this many times (counting nested aliases) is an entity-expansion attack, not a map.
export const MAX_ALIAS_COUNT = 10_000;

export type ParseResult = { ok: true; source: SourceFile; value: Record<string, unknown> } | { ok: false; diagnostics: Diagnostic[] };

const YAML_CODES: Partial<Record<string, string>> = {
  MULTIPLE_DOCS: 'more than one YAML document (---) in this file: put each map in a file of its own',
  TAB_AS_INDENT: 'tab used for indentation: YAML indents with spaces',
  BAD_ALIAS: 'alias (*name) refers to no anchor (&name) defined before it',
};

interface KeyProblem {
  key: string;
  offset: number;
  first: number;
  kind: 'duplicate' | 'complex' | 'reserved';
}

/**
 * `__proto__` names no field, id or reason in any file phi-audit reads (ids start with a letter or digit), and a
 * plain object cannot hold it as an ordinary key: it is refused where it is written, never dropped on the way.
 */
export const RESERVED_KEY = '__proto__';

/**
 * Every key that repeats an earlier key of the same mapping, every key that is a list or mapping, and every
 * `__proto__` key, in one walk over the document.
 */
function keyProblems(doc: Document.Parsed): KeyProblem[] {
  const found: KeyProblem[] = [];
  const stack: unknown[] = [doc.contents];
  while (stack.length > 0) {
    const node = stack.pop();
    if (isMap(node)) {
      const seen = new Map<string, number>();
      for (const pair of node.items) {
        const k = pair.key as Node | null;
        // A tagged scalar can hold an object (`!!binary` gives bytes): as a key, JS objects cannot hold it either.
        const plain = isScalar(k) && (k.value === null || typeof k.value !== 'object');
        if (plain && k.value !== '<<') {
          const key = String(k.value);
          const offset = k.range?.[0] ?? 0;
          const first = seen.get(key);
          if (first !== undefined) found.push({ key, offset, first, kind: 'duplicate' });
          else {
            seen.set(key, offset);
            if (key === RESERVED_KEY) found.push({ key, offset, first: offset, kind: 'reserved' });
          }
        } else if (k != null && !plain) {
          // A list or mapping used as a key (`? [a]`): no map format key is one, and JS objects cannot hold it.
          const offset = (k as { range?: [number, number, number] }).range?.[0] ?? 0;
          found.push({ key: '', offset, first: offset, kind: 'complex' });
        }
        stack.push(pair.value);
      }
    } else if (isSeq(node)) {
      for (const item of node.items) stack.push(isPair(item) ? item.value : item);
    }
  }
  return found.sort((a, b) => a.offset - b.offset);
}

/** Offset of the first alias (or the first that names no anchor), to point an alias error at. */
function firstAlias(doc: Document.Parsed, unresolvedOnly: boolean): number | undefined {
  let found: number | undefined;
  visit(doc, {
    Alias(_, node) {
      if (!isAlias(node)) return undefined;
      if (unresolvedOnly && node.resolve(doc) !== undefined) return undefined;
      found = node.range?.[0];
      return visit.BREAK;
    },
  });
  return found;
}

/**
 * Where to point each parser error, worked out with one pass over the file at most: the parser reports an unclosed quote
 * or bracket where it gave up (often the end of the file), so those point at the opener before it; nothing points past
 * the last non-blank character. A thousand errors in a 10 MB file once ran a whole-file regex each (16 s), and an
 * unclosed `[` before 200,000 spaces made that regex quadratic (over a minute).
 */
function errorOffsets(text: string): (code: string, message: string, offset: number) => number {
  let end = -1;
  const openers = new Map<string, number[]>();
  /** Offsets of every `c` in the file, found once on first use. */
  const offsetsOf = (c: string): number[] => {
    let list = openers.get(c);
    if (!list) {
      list = [];
      for (let i = text.indexOf(c); i >= 0; i = text.indexOf(c, i + 1)) list.push(i);
      openers.set(c, list);
    }
    return list;
  };
  return (code, message, offset) => {
    if (code === 'MISSING_CHAR') {
      const opener = message.includes('closing "')
        ? '"'
        : message.includes("closing '")
          ? "'"
          : message.includes('closing ]')
            ? '['
            : message.includes('closing }')
              ? '{'
              : undefined;
      if (opener) {
        // The last opener at or before the offset (as text.lastIndexOf would find), by binary search.
        const list = offsetsOf(opener);
        const limit = Math.min(offset, text.length - 1);
        let low = 0;
        let high = list.length;
        while (low < high) {
          const mid = (low + high) >> 1;
          if (list[mid]! <= limit) low = mid + 1;
          else high = mid;
        }
        if (low > 0) return list[low - 1]!;
      }
    }
    if (end < 0) {
      end = text.length;
      while (end > 0 && /\s/.test(text[end - 1]!)) end--;
    }
    return Math.min(offset, Math.max(0, end - 1));
  };
}

/** One slip often breaks the grammar several times on a line: it is said once, and the parser's echoes on its line go. */
function withoutEchoes(list: readonly { d: Diagnostic; explained: boolean }[]): Diagnostic[] {
  const explainedLines = new Set(list.filter((x) => x.explained).map((x) => x.d.line));
  const said = new Set<string>();
  return list
    .filter(({ d, explained }) => {
      if (!explained) return !explainedLines.has(d.line);
      const key = JSON.stringify([d.line, d.column]);
      if (said.has(key)) return false;
      said.add(key);
      return true;
    })
    .map((x) => x.d);
}

/** Flow collections (`[` and `{`) nested deeper than this are refused before parsing (see deepFlow). */
export const MAX_FLOW_DEPTH = 256;

/**
 * Offset of the first `[` or `{` nested deeper than MAX_FLOW_DEPTH, outside quotes and comments; undefined when none
 * is. The yaml package recurses per level and runs out of stack near a thousand levels, at a point that depends on
 * how far the JIT has optimised it, so a bound checked first keeps the outcome (and its position) the same every run.
 */
function deepFlow(text: string): number | undefined {
  let depth = 0;
  // Where the last counted `[` or `{` stands: a bracket or quote right after it also begins something.
  let opened = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    // A bracket or quote opens a collection or a quoted scalar only where one can begin (after white space, `,` or
    // an opening bracket): inside a plain scalar (`purpose: VA["#LB{`) it is text, and taking it for a quote would
    // lose track of every bracket after it.
    const p = i === 0 ? 0x20 : text.charCodeAt(i - 1);
    const begins = p === 0x20 || p === 0x09 || p === 0x0a || p === 0x0d || p === 0x2c || opened === i - 1;
    if (c === 0x5b || c === 0x7b) {
      if (!begins) continue;
      opened = i;
      if (++depth > MAX_FLOW_DEPTH) return i;
    } else if (c === 0x5d || c === 0x7d) {
      if (depth > 0) depth--;
    } else if ((c === 0x22 || c === 0x27) && begins) {
      // A quoted scalar: skip to its end ('' escapes a single quote, \ escapes in double quotes).
      for (i++; i < text.length; i++) {
        const q = text.charCodeAt(i);
        if (c === 0x22 && q === 0x5c) i++;
        else if (q === c) {
          if (c === 0x27 && text.charCodeAt(i + 1) === 0x27) i++;
          else break;
        }
      }
    } else if (c === 0x23 && (i === 0 || /\s/.test(text[i - 1]!))) {
      const nl = text.indexOf('\n', i);
      i = nl < 0 ? text.length : nl;
    }
  }
  return undefined;
}

/**
 * A line past the limit or block nesting past MAX_BLOCK_DEPTH, as a diagnostic; checked before either reader runs
 * (both recurse per level, and a huge line costs many times its size).
 */
export function shapeDiagnostic(displayPath: string, text: string, what: string, limits: InputLimits = DEFAULT_LIMITS): Diagnostic | undefined {
  const problem = shapeProblem(text, limits.maxLineLength);
  if (!problem) return undefined;
  const at = locateOffset({ path: displayPath, lines: lineTable(text) }, problem.offset);
  if (problem.kind === 'line') {
    return {
      ...at,
      message: `this line is ${problem.length} characters long, more than the limit of ${limits.maxLineLength} per line: ${what} has short lines; ${howToRaise('maxLineLength', limits)}`,
    };
  }
  return {
    ...at,
    message: `mappings or lists nested more than ${MAX_BLOCK_DEPTH} levels deep (a fixed limit: the YAML parser recurses per level): ${what} needs a few levels; look for runaway indentation`,
  };
}

/** Aliases that add more than the limit's nodes once expanded, as a diagnostic at the first alias. */
function aliasDiagnostic(at: Pick<SourceFile, 'path' | 'lines'>, offset: number, growth: number, limits: InputLimits): Diagnostic {
  return {
    ...locateOffset(at, offset),
    message: `YAML aliases (*name) expand to more than ${limits.maxAliasNodes} extra values (${growth > limits.maxAliasNodes ? 'at least ' : ''}${growth}): write the values out or use fewer aliases; ${howToRaise('maxAliasNodes', limits)}`,
  };
}

export function parseYaml(displayPath: string, text: string, what: string, limits: InputLimits = DEFAULT_LIMITS): ParseResult {
  const shape = shapeDiagnostic(displayPath, text, what, limits);
  if (shape) return { ok: false, diagnostics: [shape] };
  const lines = new LineCounter();
  const tooDeep = deepFlow(text);
  if (tooDeep !== undefined) {
    lines.addNewLine(0);
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lines.addNewLine(i + 1);
    return {
      ok: false,
      diagnostics: [
        {
          ...locateOffset({ path: displayPath, lines }, tooDeep),
          message: `YAML: lists or mappings in [ ] or { } nested more than ${MAX_FLOW_DEPTH} levels deep: ${what} needs a few levels; look for unbalanced brackets`,
        },
      ],
    };
  }
  // The yaml package checks key uniqueness by scanning every earlier key (quadratic in a section of 20,000 ids);
  // keyProblems() does the same check in one pass.
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: false, prettyErrors: false, merge: true });
  const at = { path: displayPath, lines };
  // An unknown tag (`description: !important`) would silently read as empty text: it is an error, explained.
  const errors = [...doc.errors, ...doc.warnings.filter((w) => w.code === 'TAG_RESOLVE_FAILED')];
  if (errors.length === 0) {
    const problems = keyProblems(doc);
    if (problems.length > 0) {
      return {
        ok: false,
        diagnostics: problems.map((d) => ({
          ...locateOffset(at, d.offset),
          message:
            d.kind === 'complex'
              ? 'YAML: a key must be plain text, not a list, a mapping or a tagged value such as !!binary'
              : d.kind === 'reserved'
                ? `the key "${RESERVED_KEY}" is not allowed: no field or id in ${what} is called that (ids start with a lowercase letter or a digit)`
                : `YAML: duplicate key "${d.key}": each key may appear once in a mapping (first at line ${locateOffset(at, d.first).line}): ${duplicateKeyAdvice(d.key)}`,
        })),
      };
    }
  }
  if (errors.length > 0) {
    const errorOffset = errorOffsets(text);
    const hint = yamlHints(text);
    const diagnostics = errors.map((e) => {
      const first = e.message.split('\n')[0] ?? e.message;
      if (e.code === 'DUPLICATE_KEY') {
        const key = /^[^:\n]*/.exec(text.slice(e.pos[0], e.pos[0] + 1000))?.[0].trim();
        const d = { ...locateOffset(at, e.pos[0]), message: `YAML: duplicate key${key ? ` "${key}"` : ''}: each key may appear once in a mapping` };
        return { d, explained: false };
      }
      const explained = hint(e.code, first, e.pos[0]);
      if (explained) return { d: { ...locateOffset(at, explained.offset), message: `YAML: ${explained.message}` }, explained: true };
      return { d: { ...locateOffset(at, errorOffset(e.code, first, e.pos[0])), message: `YAML: ${YAML_CODES[e.code] ?? first}` }, explained: false };
    });
    return { ok: false, diagnostics: withoutEchoes(diagnostics) };
  }
  const contents = doc.contents;
  if (contents == null) {
    const onlyComments = text.trim().length > 0;
    return {
      ok: false,
      diagnostics: [
        {
          ...locateOffset(at, 0),
          message: `the file ${onlyComments ? 'holds only comments' : 'is empty'}: ${what} starts with \`version: 1\``,
        },
      ],
    };
  }
  let value: unknown;
  const anchored: unknown[] = [];
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT, onAnchor: (v) => anchored.push(v) });
  } catch (err) {
    const msg = (err as Error).message;
    const bomb = /excessive alias count/i.test(msg);
    const unresolved = /unresolved alias/i.test(msg);
    const alias = firstAlias(doc, unresolved);
    const message = bomb
      ? `YAML aliases expand past ${MAX_ALIAS_COUNT} nodes ("billion laughs"): write the values out or use fewer nested aliases`
      : unresolved
        ? `YAML: ${YAML_CODES.BAD_ALIAS}`
        : `YAML: ${msg}`;
    const explained = unresolved && alias !== undefined ? valueStartHint(text, alias) : undefined;
    if (explained) return { ok: false, diagnostics: [{ ...locateOffset(at, explained.offset), message: `YAML: ${explained.message}` }] };
    return { ok: false, diagnostics: [{ ...locateOffset(at, alias ?? contents.range?.[0] ?? 0), message }] };
  }
  const growth = aliasGrowth(value, anchored, limits.maxAliasNodes);
  if (growth > limits.maxAliasNodes) {
    return { ok: false, diagnostics: [aliasDiagnostic(at, firstAlias(doc, false) ?? 0, growth, limits)] };
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
  return { ok: true, source: { path: displayPath, doc, lines }, value: value as Record<string, unknown> };
}
