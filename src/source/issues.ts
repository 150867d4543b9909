/** Zod issues → diagnostics with positions and "did you mean" hints, for maps, rules and catalogs alike. */
import { z } from 'zod';
import type { Diagnostic } from './diagnostics.js';
import { formatPath, locate, type SourceFile, type YamlPath } from './positions.js';
import { closest } from './suggest.js';

type Schema = z.ZodType;

/** The object keys allowed at `path` in `schema`, for "did you mean". */
function keysAt(schema: Schema, path: YamlPath): string[] {
  let s: Schema | undefined = schema;
  for (const seg of path) {
    s = s ? childOf(unwrap(s), seg) : undefined;
  }
  const obj = s ? unwrap(s) : undefined;
  return obj instanceof z.ZodObject ? Object.keys(obj.shape) : [];
}

function unwrap(s: Schema): Schema {
  let cur: Schema = s;
  for (let i = 0; i < 10; i++) {
    if (cur instanceof z.ZodOptional || cur instanceof z.ZodNullable || cur instanceof z.ZodDefault) cur = cur.unwrap() as Schema;
    else if (cur instanceof z.ZodPipe) cur = cur.in as Schema;
    else break;
  }
  return cur;
}

function childOf(s: Schema, seg: string | number): Schema | undefined {
  if (s instanceof z.ZodObject) return (s.shape as Record<string, Schema>)[String(seg)];
  if (s instanceof z.ZodRecord) return s.valueType as Schema;
  if (s instanceof z.ZodArray) return s.element as Schema;
  return undefined;
}

function describeValue(v: unknown): string {
  if (v === null || v === undefined) return 'nothing (an empty value)';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') return `the text "${v.length > 40 ? `${v.slice(0, 40)}…` : v}"`;
  return `${typeof v} ${String(v)}`;
}

function valueAt(root: unknown, path: YamlPath): unknown {
  let cur = root;
  for (const seg of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string | number, unknown>)[seg];
  }
  return cur;
}

const EXPECTED: Record<string, string> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  object: 'a mapping (key: value lines)',
  array: 'a list',
  record: 'a mapping of ids to entries',
};

export function issuesToDiagnostics(
  source: SourceFile,
  schema: Schema,
  value: unknown,
  issues: readonly z.core.$ZodIssue[],
  basePath: YamlPath = [],
): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const issue of issues) {
    // A union failing on every branch: report the most specific branch's problems instead.
    if (issue.code === 'invalid_union' && issue.errors.length > 0) {
      const best = issue.errors.find((errs) => errs.some((e) => e.code !== 'invalid_type')) ?? issue.errors[0] ?? [];
      const nested = best.map((e) => ({ ...e, path: [...issue.path, ...e.path] }));
      if (nested.length > 0 && !nested.every((e) => e.code === 'invalid_type')) {
        out.push(...issuesToDiagnostics(source, schema, value, nested as z.core.$ZodIssue[], basePath));
        continue;
      }
    }
    const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
    const full = [...basePath, ...path];
    // Labels name the whole path (check.options.min), positions come from it too.
    const where = formatPath(full);
    if (issue.code === 'unrecognized_keys') {
      const allowed = keysAt(schema, path);
      for (const key of issue.keys) {
        const hint = closest(key, allowed);
        const within = where ? ` in ${where}` : ' at the top level';
        out.push({
          ...locate({ source, path: [...full, key] }, 'key'),
          message: `unknown key ${JSON.stringify(key)}${within}${hint ? `: did you mean "${hint}"?` : ''} (allowed: ${allowed.join(', ')})`,
        });
      }
      continue;
    }
    const got = valueAt(value, path);
    const pos = locate({ source, path: full }, 'value');
    const label = where || 'the file';
    let message: string;
    switch (issue.code) {
      case 'invalid_type':
        if (got === undefined) message = `${label} is required`;
        else message = `${label} must be ${EXPECTED[issue.expected] ?? issue.expected}, not ${describeValue(got)}`;
        break;
      case 'invalid_value': {
        if (got === undefined) {
          message = `${label} is required: use one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
          break;
        }
        const options = issue.values.map((v) => JSON.stringify(v));
        if (path.length === 1 && path[0] === 'version') {
          message = `unsupported map version ${JSON.stringify(got)}: this build of phi-audit reads version ${issue.values.join(', ')}`;
          break;
        }
        const hint = typeof got === 'string' ? closest(got, issue.values.map(String)) : undefined;
        message = `${label} is ${describeValue(got)}; use one of ${options.join(', ')}${hint ? ` (did you mean "${hint}"?)` : ''}`;
        break;
      }
      case 'too_small':
        message =
          issue.origin === 'array' || issue.origin === 'string'
            ? `${label} must not be empty`
            : issue.inclusive
              ? `${label} must be at least ${String(issue.minimum)}, not ${String(got)}`
              : `${label} must be more than ${String(issue.minimum)}, not ${String(got)}`;
        break;
      case 'too_big':
        message = `${label} must be at most ${String(issue.maximum)}, not ${String(got)}`;
        break;
      case 'invalid_format':
        message = `${label}: ${issue.message ?? 'wrong format'}`;
        break;
      default:
        message = got === undefined ? `${label} is required` : `${label}: ${issue.message}`;
    }
    out.push({ ...pos, message });
  }
  return out;
}
