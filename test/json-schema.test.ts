/** The JSON Schema editors read: every field documented, citations from the rules, and the loader's checks as patterns. */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { documentedPaths, SNIPPETS } from '../src/map/field-docs.js';
import { mapJsonSchema } from '../src/map/json-schema.js';
import { validateMapText } from '../src/map/load.js';
import { cli, ROOT } from './support/cli.js';

type Json = Record<string, unknown>;
const schema = mapJsonSchema() as Json;
const ajv = new Ajv({ allErrors: true, strict: false });
const validate = ajv.compile(schema);

/** Every field of the schema, by documented path (`stores.encryption.at_rest`), with its schema. */
function fields(): Map<string, Json> {
  const out = new Map<string, Json>();
  const walk = (node: Json, at: string) => {
    for (const [key, child] of Object.entries((node.properties as Record<string, Json>) ?? {})) {
      const p = at ? `${at}.${key}` : key;
      out.set(p, child);
      walk(child, p);
    }
    if (node.additionalProperties && typeof node.additionalProperties === 'object') walk(node.additionalProperties as Json, at);
    if (node.items && typeof node.items === 'object') walk(node.items as Json, at);
    for (const alt of (node.anyOf as Json[]) ?? []) walk(alt, at);
  };
  walk(schema, '');
  return out;
}

const SECTION: Record<string, string> = { service: 'services', store: 'stores', log: 'logs', vendor: 'vendors', flow: 'flows' };

/** The fields a check reads (`options.field`), anywhere in its tree. */
function fieldsRead(check: unknown): string[] {
  if (!check || typeof check !== 'object') return [];
  if (Array.isArray(check)) return check.flatMap(fieldsRead);
  const c = check as Json;
  // A live fact (aws.tls_required) is read from an account, not written in the map: no map field to document.
  if (c.function === 'live-fact') return [];
  const own = typeof (c.options as Json | undefined)?.field === 'string' ? [(c.options as Json).field as string] : [];
  return [...own, ...Object.values(c).flatMap(fieldsRead)];
}

/** A snippet body with each placeholder replaced by its default (`${1:api}` → api, `${2|a,b|}` → a). */
function expand(body: unknown): unknown {
  const text = JSON.stringify(body)
    .replace(/\$\{\d+:([^}]*)\}/g, '$1')
    .replace(/\$\{\d+\|([^,|]*)[^}]*\}/g, '$1');
  return JSON.parse(text);
}

describe('JSON Schema for editors', () => {
  it('describes every field, and every documented path is a field', () => {
    const all = fields();
    expect(all.size).toBeGreaterThan(100);
    const undocumented = [...all].filter(([, s]) => typeof s.description !== 'string' || s.description.length < 10).map(([p]) => p);
    expect(undocumented).toEqual([]);
    const known = new Set([...all.keys(), ...['data_classes', 'environments', 'vendors', 'services', 'stores', 'logs'].map((s) => `${s}.*`), 'flows[]']);
    expect(documentedPaths().filter((p) => !known.has(p))).toEqual([]);
  });

  it("cites, on each field a rule reads, at least one of that rule's sections", () => {
    const all = fields();
    let checked = 0;
    for (const file of readdirSync(path.join(ROOT, 'rules')).filter((f) => f.endsWith('.yaml'))) {
      const rule = parse(readFileSync(path.join(ROOT, 'rules', file), 'utf8'));
      const sections: string[] = rule.cite.map((c: { section: string }) => String(c.section));
      const read = fieldsRead(rule.check);
      for (const target of rule.applies_to.targets as string[]) {
        for (const field of read) {
          if (field === 'kind' || field === 'interactive' || field === 'role') continue; // read to select, not the safeguard checked
          const description = String(all.get(`${SECTION[target]}.${field}`)?.description);
          expect(
            sections.some((s) => description.includes(s)),
            `${file}: ${target} ${field} "${description}" cites none of ${sections.join(', ')}`,
          ).toBe(true);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(20);
  });

  it('gives dates a pattern, ids a pattern, and TLS its versions, as the loader checks them', () => {
    const all = fields();
    const dates = [...all].filter(([, s]) => s.pattern === '^\\d{4}-\\d{2}-\\d{2}$').map(([p]) => p);
    expect(dates.sort()).toEqual(
      [
        'accepted.approved',
        'accepted.expires',
        'system.incident_response.tested',
        'system.risk_analysis.date',
        'vendors.baa.expires',
        'vendors.baa.signed',
        'vendors.baa.terminated',
        'vendors.dua.signed',
      ].sort(),
    );
    const base = {
      version: 1,
      vendors: { aws: { role: 'business-associate', baa: { status: 'signed', signed: '2025-01-01' } } },
      flows: [{ from: 'a', to: 'aws', tls: 1.2 }],
    };
    expect(validate(base), ajv.errorsText(validate.errors)).toBe(true);
    expect(validate({ ...base, flows: [{ from: 'a', to: 'aws', tls: '1.3' }] })).toBe(true);
    expect(validate({ ...base, flows: [{ from: 'a', to: 'aws', tls: 1.0 }] })).toBe(true);
    expect(validate({ ...base, flows: [{ from: 'a', to: 'aws', tls: 1.4 }] })).toBe(false);
    expect(validate({ ...base, flows: [{ from: 'a', to: 'aws', tls: '1.4' }] })).toBe(false);
    expect(validate({ ...base, flows: [{ id: 'Bad_ID', from: 'a', to: 'aws' }] })).toBe(false);
    expect(validate({ ...base, vendors: { aws: { role: 'business-associate', baa: { status: 'signed', signed: '2025/01/01' } } } })).toBe(false);
    for (const section of ['vendors', 'services', 'stores', 'logs', 'data_classes', 'environments']) {
      expect(validate({ version: 1, [section]: { Bad_ID: {} } }), section).toBe(false);
    }
    expect(validate({ version: 1, services: { 'api-2.v1_x': {} } })).toBe(true);
  });

  it('rejects in the CLI what it flags in the editor', () => {
    const text = [
      'version: 1',
      'vendors:',
      '  aws:',
      '    role: business-associate',
      '    baa: { status: signed, signed: 2025/01/01 }',
      'services:',
      '  api: { hosting: self }',
      'flows:',
      '  - { from: api, to: aws, tls: 1.4 }',
      '',
    ].join('\n');
    const r = validateMapText('m.yaml', text);
    const found = r.diagnostics.map((d) => `${d.line}:${d.column} ${d.message}`);
    expect(found).toEqual([expect.stringMatching(/^5:36 .*YYYY-MM-DD/), expect.stringMatching(/^9:32 flows\[0\]\.tls: unknown TLS version 1.4/)]);
  });

  it('rejects an id like Bad_ID from the CLI, at its line', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'phi-ids-'));
    writeFileSync(path.join(dir, 'phi-map.yaml'), 'version: 1\nservices:\n  api: { hosting: self }\n  Bad_ID: { hosting: self }\n');
    const r = cli(['validate'], { cwd: dir });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/phi-map\.yaml:4:3: node id "Bad_ID" must be lowercase/);
  });

  it('offers a snippet for a new service, store, log, vendor and flow, each valid as written', () => {
    for (const section of ['services', 'stores', 'logs', 'vendors']) {
      const snippets = (schema.properties as Record<string, Json>)[section]?.defaultSnippets as { label: string; body: unknown }[];
      expect(snippets.length, section).toBeGreaterThan(0);
      for (const s of snippets) {
        const map = { version: 1, [section]: expand(s.body) };
        expect(validate(map), `${s.label}: ${ajv.errorsText(validate.errors)}`).toBe(true);
        expect(validateMapText('m.yaml', JSON.stringify(map)).diagnostics, s.label).toEqual([]);
      }
    }
    const flows = (schema.properties as Record<string, Json>).flows as Json;
    for (const s of [...(flows.defaultSnippets as { body: unknown }[]), ...((flows.items as Json).defaultSnippets as { body: unknown }[])]) {
      const body = expand(s.body);
      const map = { version: 1, flows: Array.isArray(body) ? body : [body] };
      expect(validate(map), ajv.errorsText(validate.errors)).toBe(true);
      expect(validateMapText('m.yaml', JSON.stringify(map)).diagnostics).toEqual([]);
    }
    expect([...SNIPPETS.keys()]).toEqual(expect.arrayContaining(['services', 'stores', 'logs', 'vendors', 'flows']));
  });
});
