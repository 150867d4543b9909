/** The JSON Schema an editor uses agrees with the loader: it accepts real maps and rejects what the loader rejects. */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { STARTER_MAP } from '../src/cli/starter.js';
import { mapJsonSchema } from '../src/index.js';
import { ROOT } from './support/cli.js';

const ajv = new Ajv({ allErrors: true, strict: false });
const validate = ajv.compile(mapJsonSchema());

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? files(path.join(dir, d.name)) : [path.join(dir, d.name)]));
}

describe('phi-audit schema', () => {
  it('accepts every file of the example, the starter map and every rule fixture', () => {
    const maps = [
      ...files(path.join(ROOT, 'fixtures', 'example')).filter((f) => f.endsWith('.yaml')),
      ...files(path.join(ROOT, 'fixtures', 'rules')).filter((f) => f.endsWith('.yaml')),
    ];
    expect(maps.length).toBeGreaterThan(60);
    for (const file of maps) {
      const ok = validate(parse(readFileSync(file, 'utf8')));
      expect(ok, `${path.relative(ROOT, file)}: ${ajv.errorsText(validate.errors)}`).toBe(true);
    }
    expect(validate(parse(STARTER_MAP)), ajv.errorsText(validate.errors)).toBe(true);
  });

  it('rejects unknown keys, wrong kinds and versions, as the loader does', () => {
    const base = { version: 1, stores: { db: { kind: 'database' } } };
    expect(validate(base)).toBe(true);
    expect(validate({ ...base, stores: { db: { kind: 'databse' } } })).toBe(false);
    expect(validate({ ...base, stores: { db: { kind: 'database', encripton: {} } } })).toBe(false);
    expect(validate({ ...base, version: 2 })).toBe(false);
    expect(validate({ ...base, flow: [] })).toBe(false);
    expect(validate({ ...base, flows: [{ from: 'a', to: 'b', tls: 1.2 }] })).toBe(true);
  });
});
