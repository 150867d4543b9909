/**
 * JSON Schema of the map, generated from the zod schema, for editors (yaml-language-server): the shape comes from
 * schema.ts; descriptions, citations, examples and snippets from field-docs.ts; and the checks zod makes in code
 * (calendar dates, ids, TLS versions written as numbers) are written as patterns and enums an editor can apply.
 */
import { z } from 'zod';
import { toolVersion } from '../package.js';
import { ID_PATTERN } from '../source/names.js';
import { describeField, fieldDoc, SNIPPETS } from './field-docs.js';
import { isCalendarDate, MapFile, SystemInfo, TLS_VERSIONS } from './schema.js';

type Json = Record<string, unknown>;

/** A date as the loader reads it (isCalendarDate): the editor can check the shape, the loader also checks the day exists. */
const DATE_PATTERN = '^\\d{4}-\\d{2}-\\d{2}$';
/** Sections keyed by id: their keys must be ids. */
const ID_KEYED = new Set(['data_classes', 'environments', 'vendors', 'services', 'stores', 'logs']);

const generate = (schema: z.ZodType): Json =>
  z.toJSONSchema(schema, {
    io: 'input',
    target: 'draft-7',
    override: (ctx) => {
      const checks = (ctx.zodSchema._zod.def as { checks?: { _zod: { def: { fn?: unknown } } }[] }).checks ?? [];
      if (checks.some((c) => c._zod.def.fn === isCalendarDate)) {
        ctx.jsonSchema.pattern = DATE_PATTERN;
        ctx.jsonSchema.patternErrorMessage = 'a date is written YYYY-MM-DD, e.g. 2026-01-15';
      }
    },
  }) as Json;

/**
 * `tls:` as YAML reads it: the version as text, or unquoted (a number: `tls: 1.2`), as the loader accepts it. One enum
 * of both, so an editor says "not accepted, valid values: ..." for `tls: 1.4` rather than "expected a string".
 */
function tlsSchema(description: unknown): Json {
  const numbers = TLS_VERSIONS.filter((v) => v !== 'none').map(Number);
  return { description, enum: [...TLS_VERSIONS, ...numbers] };
}

/**
 * Apply field-docs.ts to the schema at `path` and everything under it. A list's items share the list's path (the
 * fields of a flow are `flows.FIELD`); their snippets are keyed `flows[]`.
 */
function decorate(node: Json, path: string, snippetPath = path): void {
  const doc = snippetPath ? fieldDoc(snippetPath) : undefined;
  if (doc) {
    node.description = describeField(doc);
    if (doc.examples) node.examples = [...doc.examples];
  }
  const snippets = SNIPPETS.get(snippetPath);
  if (snippets) node.defaultSnippets = snippets.map((s) => ({ ...s }));
  const at = (key: string) => (path ? `${path}.${key}` : key);
  const properties = node.properties as Record<string, Json> | undefined;
  if (properties) {
    for (const [key, original] of Object.entries(properties)) {
      const child = at(key) === 'flows.tls' ? tlsSchema(original.description) : original;
      properties[key] = child;
      if (at(key) === 'flows.id') child.pattern = ID_PATTERN.source;
      decorate(child, at(key));
      if (!path && ID_KEYED.has(key)) {
        child.propertyNames = {
          pattern: ID_PATTERN.source,
          patternErrorMessage: "an id is lowercase letters, digits, '.', '_' or '-', starting with a letter or digit",
        };
      }
    }
  }
  const each = node.additionalProperties;
  if (each && typeof each === 'object') decorate(each as Json, path, `${path}.*`);
  const items = node.items;
  if (items && typeof items === 'object' && !Array.isArray(items)) decorate(items as Json, path, `${path}[]`);
  for (const alt of (node.anyOf as Json[] | undefined) ?? []) decorate(alt, path, `${snippetPath}|`);
}

export function mapJsonSchema(): Record<string, unknown> {
  const schema = generate(MapFile);
  // The loader checks `system:` written as a mapping when it merges the files (schema.ts); editors get its shape here.
  const properties = schema.properties as Record<string, Json>;
  const { $schema: _, ...mapping } = generate(SystemInfo);
  properties.system = { description: properties.system?.description, anyOf: [{ type: 'string' }, mapping] };
  decorate(schema, '');
  return {
    ...schema,
    title: `phi-audit PHI map, format v1 (phi-audit ${toolVersion()})`,
    description: 'A declarative map of services, stores, logs, vendors and the flows between them. See the phi-audit README.',
  };
}
