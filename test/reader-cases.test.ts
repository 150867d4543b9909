/**
 * Cases where js-yaml and the yaml package part ways, each found by fuzzing the two readers against each other:
 * the fast reader must decline them (so the exact path reports them) or read them exactly as the exact path does.
 */
import { describe, expect, it } from 'vitest';
import { validateMapText } from '../src/map/load.js';
import { readMapSource } from '../src/source/read-map.js';

const MAP = 'version: 1\nservices:\n  api: { data: [phi] }\n  db: {}\nflows:\n  - { from: api, to: db }\n';

/** Diagnostics, or the validated spec, of one file read with or without the fast path (and in pieces of `pieceSize`). */
function outcome(text: string, fast: boolean, pieceSize?: number): unknown {
  const r = validateMapText('case.yaml', text, { fast, ...(pieceSize ? { pieceSize } : {}) });
  return r.file ? { spec: r.file.spec } : { diagnostics: r.diagnostics };
}

const cases: { name: string; text: string; fast: boolean }[] = [
  // js-yaml reads these; the yaml package rejects them.
  { name: 'a compact mapping after an anchor', text: 'version: &v vendors: { aws: {} }\n', fast: false },
  { name: 'an indented document marker', text: `  ---\n${MAP}`, fast: false },
  { name: 'two document end markers', text: `${MAP}...\n...\n`, fast: false },
  { name: 'content after a document end marker', text: `${MAP}...\nsystem: x\n`, fast: false },
  { name: 'a second document', text: `${MAP}---\nversion: 1\n`, fast: false },
  { name: 'a mapping as a key', text: `? version: 1\n${MAP}`, fast: false },
  { name: 'two merge keys in one mapping', text: `${MAP}vendors:\n  a: &a { role: covered-entity }\n  b:\n    <<: *a\n    <<: *a\n`, fast: false },
  { name: 'a quoted merge key', text: `${MAP}vendors:\n  a: &a { role: covered-entity }\n  b:\n    "<<": *a\n`, fast: false },
  { name: 'a merge of a scalar', text: `${MAP}vendors:\n  a: &a x\n  b:\n    <<: *a\n`, fast: false },
  { name: 'an alias to an anchor not yet defined', text: `${MAP}vendors:\n  b: *a\n  a: &a {}\n`, fast: false },
  { name: 'a null key', text: `${MAP}vendors:\n  ~: {}\n`, fast: false },
  { name: 'a tab', text: `${MAP}vendors:\n  aws:\t{}\n`, fast: false },
  { name: 'a lone carriage return', text: `${MAP}vendors:\r  aws: {}\n`, fast: false },
  { name: 'a tag', text: `${MAP}system: !!str x\n`, fast: false },
  { name: 'a directive', text: `%YAML 1.2\n---\n${MAP}`, fast: false },
  { name: 'a duplicate key', text: `${MAP}services:\n  x: {}\n`, fast: false },
  { name: 'a root indented, then a key at column 0', text: `  version: 1\n  vendors: {}\nservices:\n  a: {}\n`, fast: false },
  // Refused where it is written (source/yaml.ts): a plain object cannot hold it, and zod would drop it.
  { name: 'a key named __proto__', text: `${MAP}environments:\n  __proto__: { phi_allowed: false }\n`, fast: false },
  { name: 'a quoted __proto__ key in a node', text: `${MAP}stores:\n  "__proto__": { kind: cache }\n`, fast: false },
  // Read by both alike.
  { name: 'a byte order mark and a document start', text: `\ufeff--- # map\n${MAP}`, fast: true },
  { name: 'CRLF line ends and a document end', text: `${MAP}...\n# done\n`.replace(/\n/g, '\r\n'), fast: true },
  { name: 'a 400-digit number (Infinity in both)', text: `${MAP}stores:\n  big: { records: ${'9'.repeat(400)} }\n`, fast: true },
  {
    name: 'numbers, booleans and nulls of the core schema',
    text: `${MAP}stores:\n  s: { records: 0x10, versioning: True, kind: ~, description: 2015-01-01 }\n`,
    fast: true,
  },
  { name: 'numeric and boolean keys', text: `${MAP}environments:\n  1: { phi_allowed: false }\n  true: { phi_allowed: true }\n`, fast: true },
  {
    name: 'merge keys, later keys overriding',
    text: `${MAP}vendors:\n  a: &a { role: covered-entity, retains_data: true }\n  b:\n    role: business-associate\n    <<: [*a]\n    retains_data: false\n`,
    fast: true,
  },
  { name: 'explicit keys', text: `${MAP}system:\n? description\n: a map\n`.replace('system:\n', ''), fast: true },
];

describe('cases the two YAML readers part ways on', () => {
  for (const c of cases) {
    it(c.name, () => {
      expect(readMapSource('case.yaml', c.text).fast !== undefined).toBe(c.fast);
      const exact = outcome(c.text, false);
      expect(outcome(c.text, true)).toEqual(exact);
      // Cut into small pieces too, as a large file is.
      expect(outcome(c.text, true, 24)).toEqual(exact);
    });
  }
});
