/**
 * The fields a rule can name (`encryption.at_rest`, `baa.status`), per target type, read from the map's schema: the
 * rule loader checks a rule's field and the values it compares against what a map can declare, as strictly as the
 * loader checks a map.
 */
import { z } from 'zod';
import { Flow, Log, Service, Store, Vendor } from './schema.js';

type RecordType = 'service' | 'store' | 'log' | 'vendor' | 'flow';

const RECORDS: ReadonlyMap<RecordType, z.ZodType> = new Map<RecordType, z.ZodType>([
  ['service', Service],
  ['store', Store],
  ['log', Log],
  ['vendor', Vendor],
  ['flow', Flow],
]);

/** The schema under optional, default and transform wrappers (a pipe's input: what a map writes). */
function unwrap(s: z.ZodType): z.ZodType {
  let cur = s;
  for (let i = 0; i < 10; i++) {
    if (cur instanceof z.ZodOptional || cur instanceof z.ZodNullable || cur instanceof z.ZodDefault) cur = cur.unwrap() as z.ZodType;
    else if (cur instanceof z.ZodPipe) cur = cur.in as z.ZodType;
    else break;
  }
  return cur;
}

const shapeOf = (s: z.ZodType): Readonly<Record<string, z.ZodType>> | undefined => {
  const obj = unwrap(s);
  return obj instanceof z.ZodObject ? (obj.shape as Record<string, z.ZodType>) : undefined;
};

/** Whether the map's schema describes records of this target type (a target of another kind is not checked here). */
export const isRecordType = (type: string): type is RecordType => RECORDS.has(type as RecordType);

/** The schema of the field at `path` in a record of `type`; undefined when that record has no such field. */
export function fieldSchema(type: RecordType, path: string): z.ZodType | undefined {
  let s = RECORDS.get(type);
  for (const part of path.split('.')) {
    const shape = s ? shapeOf(s) : undefined;
    if (!shape || !Object.hasOwn(shape, part)) return undefined;
    s = shape[part];
  }
  return s;
}

/** Every field path of a record of `type`, mappings (`encryption`) and their fields (`encryption.at_rest`) alike. */
export function fieldPaths(type: RecordType): string[] {
  const out: string[] = [];
  const walk = (s: z.ZodType, prefix: string) => {
    const shape = shapeOf(s);
    if (!shape) return;
    for (const [key, child] of Object.entries(shape)) {
      out.push(prefix + key);
      walk(child, `${prefix}${key}.`);
    }
  };
  const root = RECORDS.get(type);
  if (root) walk(root, '');
  return out;
}

/** Whether a field holds `value` exactly as a rule wrote it: the schema accepts it and reads it unchanged (`tls: 1.2` is read as "1.2"). */
export function fieldHolds(schema: z.ZodType, value: unknown): boolean {
  const r = schema.safeParse(value);
  return r.success && r.data === value;
}

/** The values a field can hold when they are a closed set (an enum, true or false); undefined otherwise. */
export function fieldChoices(schema: z.ZodType): readonly (string | number | boolean)[] | undefined {
  const s = unwrap(schema);
  if (s instanceof z.ZodEnum) return s.options as (string | number)[];
  if (s instanceof z.ZodBoolean) return [true, false];
  if (s instanceof z.ZodLiteral) return [...s.values] as (string | number | boolean)[];
  if (s instanceof z.ZodUnion) {
    const all = (s.options as z.ZodType[]).map(fieldChoices);
    return all.some((c) => c !== undefined) ? all.flatMap((c) => c ?? []) : undefined;
  }
  return undefined;
}

/** Whether a field holds a number. */
export const isNumberField = (schema: z.ZodType): boolean => unwrap(schema) instanceof z.ZodNumber;
