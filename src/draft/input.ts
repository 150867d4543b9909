/**
 * Reading infrastructure files: a Terraform plan (JSON) or a CloudFormation template (JSON, or YAML with its short-form
 * tags kept as inert data). A file that cannot be read or parsed is an InputError at its line and column.
 */
import { statSync } from 'node:fs';
import { type CollectionTag, isAlias, isMap, isPair, isScalar, isSeq, LineCounter, type Node, parseDocument, type ScalarTag, YAMLMap, YAMLSeq } from 'yaml';
import { type Diagnostic, InputError } from '../source/diagnostics.js';
import { readRegularFile } from '../source/files.js';
import type { InputLimits } from '../source/limits.js';
import { howToRaise, megabytes } from '../source/limits.js';
import { locateOffset } from '../source/positions.js';
import { shapeDiagnostic } from '../source/yaml.js';

export function readInput(file: string, shown: string, what: string, limits: InputLimits): string {
  let size = 0;
  try {
    size = statSync(file).size;
  } catch {
    // readRegularFile says why
  }
  if (size > limits.maxFileBytes) {
    throw new InputError([
      {
        file: shown,
        line: 0,
        column: 0,
        message: `is ${megabytes(size)}, more than the limit of ${megabytes(limits.maxFileBytes)} per file; ${howToRaise('maxFileBytes', limits)}`,
      },
    ]);
  }
  const read = readRegularFile(file, what);
  if (!read.ok) throw new InputError([{ file: shown, line: 0, column: 0, message: read.message }]);
  return read.text.charCodeAt(0) === 0xfeff ? read.text.slice(1) : read.text;
}

/** Offset of the first `[` or `{` nested deeper than `max`, outside quoted text and comments (YAML recurses per level). */
function deepBrackets(text: string, max: number): number | undefined {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '[' || c === '{') {
      if (++depth > max) return i;
    } else if ((c === ']' || c === '}') && depth > 0) depth--;
    else if (c === '"') {
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++;
    } else if (c === '#' && (i === 0 || /\s/.test(text[i - 1]!))) {
      const nl = text.indexOf('\n', i);
      i = nl < 0 ? text.length : nl;
    }
  }
  return undefined;
}

const MAX_DEPTH = 200;

function lineCounter(text: string): LineCounter {
  const lines = new LineCounter();
  lines.addNewLine(0);
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lines.addNewLine(i + 1);
  return lines;
}

function at(file: string, text: string, offset: number, message: string): Diagnostic {
  return { ...locateOffset({ path: file, lines: lineCounter(text) }, Math.max(0, Math.min(offset, text.length))), message };
}

/** JSON, with the position of a syntax error found by reading the text as YAML (Node 20's message has none). */
export function parseJson(text: string, file: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    const message = (err as Error).message.split('\n')[0] ?? 'not valid JSON';
    const deep = deepBrackets(text, MAX_DEPTH);
    if (deep !== undefined) throw new InputError([at(file, text, deep, `${what}: lists or objects nested more than ${MAX_DEPTH} deep`)]);
    const doc = parseDocument(text, { uniqueKeys: false, prettyErrors: false });
    const first = doc.errors[0];
    const offset = first?.pos[0] ?? 0;
    throw new InputError([
      at(file, text, offset, `${what} is not valid JSON: ${first ? first.message.split('\n')[0] : message.replace(/\s+/g, ' ').slice(0, 200)}`),
    ]);
  }
}

/** CloudFormation's short forms: `!Ref X` is `{ Ref: X }`, `!GetAtt` is `{ Fn::GetAtt: ... }`, and so on. */
const SHORT_FORMS = [
  'Ref',
  'Condition',
  'GetAtt',
  'Sub',
  'Join',
  'If',
  'Select',
  'Split',
  'FindInMap',
  'ImportValue',
  'Base64',
  'Cidr',
  'GetAZs',
  'Equals',
  'And',
  'Or',
  'Not',
  'Transform',
  'Length',
  'ToJsonString',
  'ForEach',
];

function cfnTags(): (ScalarTag | CollectionTag)[] {
  const tags: (ScalarTag | CollectionTag)[] = [];
  for (const name of SHORT_FORMS) {
    const tag = `!${name}`;
    // Kept as written: the tag stays on the node and toData() turns it into the long form. Nothing is evaluated.
    tags.push({ tag, resolve: (s: string) => s } as ScalarTag);
    tags.push({ tag, collection: 'seq', nodeClass: YAMLSeq, resolve: (s: unknown) => s } as unknown as CollectionTag);
    tags.push({ tag, collection: 'map', nodeClass: YAMLMap, resolve: (s: unknown) => s } as unknown as CollectionTag);
  }
  return tags;
}

/** A YAML node as plain data: mappings as objects without a prototype, short-form tags as their long form. */
function toData(node: unknown, depth: number, onAlias: () => never): unknown {
  if (depth > MAX_DEPTH) return null;
  if (isAlias(node)) onAlias();
  let value: unknown;
  if (isMap(node)) {
    const obj: Record<string, unknown> = Object.create(null);
    for (const pair of node.items) {
      if (!isPair(pair)) continue;
      const k = isScalar(pair.key) ? String(pair.key.value) : '';
      Object.defineProperty(obj, k, { value: toData(pair.value, depth + 1, onAlias), enumerable: true, writable: true, configurable: true });
    }
    value = obj;
  } else if (isSeq(node)) value = node.items.map((i) => toData(i, depth + 1, onAlias));
  else if (isScalar(node)) value = node.value;
  else value = null;
  const tag = (node as Node | null)?.tag;
  if (typeof tag === 'string' && tag.startsWith('!') && !tag.startsWith('!!')) {
    const name = tag.slice(1);
    const long = name === 'Ref' || name === 'Condition' ? name : `Fn::${name}`;
    if (name === 'GetAtt' && typeof value === 'string') value = value.split('.');
    return { [long]: value };
  }
  return value;
}

/** A CloudFormation template, JSON or YAML. */
export function parseTemplate(text: string, file: string, limits: InputLimits): unknown {
  if (/^\s*\{/.test(text)) {
    try {
      return JSON.parse(text);
    } catch {
      // Not JSON: read it as YAML below (a flow mapping is YAML too), whose errors have positions.
    }
  }
  const shape = shapeDiagnostic(file, text, 'a CloudFormation template', limits);
  if (shape) throw new InputError([shape]);
  const deep = deepBrackets(text, MAX_DEPTH);
  if (deep !== undefined) throw new InputError([at(file, text, deep, `the template: lists or mappings in [ ] or { } nested more than ${MAX_DEPTH} deep`)]);
  const lines = new LineCounter();
  const doc = parseDocument(text, { customTags: cfnTags(), lineCounter: lines, uniqueKeys: true, prettyErrors: false });
  if (doc.errors.length > 0) {
    throw new InputError(
      doc.errors.slice(0, 20).map((e) => ({ ...locateOffset({ path: file, lines }, e.pos[0]), message: `YAML: ${e.message.split('\n')[0]}` })),
    );
  }
  const aliasAt = (): never => {
    throw new InputError([
      { file, line: 1, column: 1, message: 'the template uses YAML aliases (*name): CloudFormation does not accept them; write the values out' },
    ]);
  };
  return toData(doc.contents, 0, aliasAt);
}
