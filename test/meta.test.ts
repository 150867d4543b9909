/** Meta-tests: the rule pack, its fixtures, its docs and the catalogs stay in step. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadCatalog } from '../src/enrich/catalog.js';
import { FUNCTIONS, loadRules } from '../src/index.js';
import { rulesTable } from '../src/rules/describe.js';
import { ROOT } from './support/cli.js';

const rules = loadRules();
const RULES_DIR = path.join(ROOT, 'rules');
/** Sections that hold definitions: cited as `definition`, and nothing else is. */
const DEFINITION_SECTIONS = ['160.103', '164.103', '164.304', '164.402', '164.501'];

describe('rule pack', () => {
  it('has one file per rule, named after its id, with no duplicate ids', () => {
    const files = readdirSync(RULES_DIR).filter((f) => f.endsWith('.yaml'));
    expect(files.length).toBe(rules.length);
    const ids = files.map((f) => (parse(readFileSync(path.join(RULES_DIR, f), 'utf8')) as { id: string }).id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const f of files) expect(ids).toContain(f.replace(/\.yaml$/, ''));
  });

  it.each(rules.map((r) => [r.id, r] as const))('%s has citations, a rationale, a remediation and fixtures', (id, rule) => {
    expect(rule.cite.length).toBeGreaterThan(0);
    for (const c of rule.cite) {
      expect(c.section).toMatch(/^16\d\.\d+/);
      expect(c.standard.length).toBeGreaterThan(3);
      const part = Number(/^164\.(\d+)/.exec(c.section)?.[1] ?? Number.NaN);
      // Required and addressable are the Security Rule's labels for its implementation specifications: nowhere else.
      if (c.implementation === 'required' || c.implementation === 'addressable') {
        expect(part >= 302 && part <= 318, `${c.section} is labelled ${c.implementation} outside 164.302-164.318`).toBe(true);
      }
      if (c.implementation === 'definition') expect(DEFINITION_SECTIONS, `${c.section} is not a definitions section`).toContain(c.section.replace(/\(.*$/, ''));
      if (DEFINITION_SECTIONS.includes(c.section)) expect(c.implementation, `${c.section} holds definitions`).toBe('definition');
    }
    expect(rule.rationale.trim().length).toBeGreaterThan(40);
    expect(rule.remediation.trim().length).toBeGreaterThan(40);
    expect(existsSync(path.join(ROOT, 'fixtures', 'rules', id, 'fail.yaml')), `fixtures/rules/${id}/fail.yaml`).toBe(true);
    expect(existsSync(path.join(ROOT, 'fixtures', 'rules', id, 'pass.yaml')), `fixtures/rules/${id}/pass.yaml`).toBe(true);
  });

  it('folds only rules that exist, and never a rule that folds others', () => {
    const ids = new Set(rules.map((r) => r.id));
    for (const r of rules) {
      for (const id of r.folds ?? []) {
        expect(ids, `${r.id} folds ${id}`).toContain(id);
        expect(rules.find((x) => x.id === id)?.folds, `${r.id} folds ${id}, which folds others`).toBeUndefined();
      }
    }
  });

  it('has no fixture folder without a rule', () => {
    const dirs = readdirSync(path.join(ROOT, 'fixtures', 'rules'), { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name);
    expect(dirs.filter((d) => !rules.some((r) => r.id === d))).toEqual([]);
  });

  it('covers every Security Rule safeguard the product promises', () => {
    const cited = new Set(rules.flatMap((r) => r.cite.map((c) => c.section)));
    for (const section of [
      '164.312(a)(1)',
      '164.312(a)(2)(i)',
      '164.312(a)(2)(ii)',
      '164.312(a)(2)(iii)',
      '164.312(a)(2)(iv)',
      '164.312(b)',
      '164.312(c)(1)',
      '164.312(d)',
      '164.312(e)(1)',
      '164.308(b)(1)',
      '164.314(a)(1)',
      '164.502(e)(1)',
      '164.308(a)(7)(ii)(A)',
      '164.310(d)(1)',
      '164.308(a)(4)(i)',
      '164.502(b)',
      '164.514(b)',
      '164.402',
    ]) {
      expect(cited, section).toContain(section);
    }
  });

  it('uses only the named check functions', () => {
    const used = new Set<string>();
    const visit = (c: { function: string; options?: Record<string, unknown> | undefined }) => {
      used.add(c.function);
      const o = c.options ?? {};
      if (Array.isArray(o.checks)) for (const n of o.checks) visit(n as never);
      if (o.check) visit(o.check as never);
    };
    for (const r of rules) {
      visit(r.check);
      if (r.applies_to.when) visit(r.applies_to.when);
      for (const e of r.escalate ?? []) visit(e.when);
    }
    for (const f of used) expect(FUNCTIONS.has(f), f).toBe(true);
  });
});

describe('precompiled rule pack', () => {
  it('holds the same rules as the YAML it was built from', () => {
    const fromYaml = loadRules([], { usePack: false });
    const strip = (r: (typeof rules)[number]) => ({
      id: r.id,
      title: r.title,
      severity: r.severity,
      cite: r.cite,
      message: r.message,
      remediation: r.remediation,
    });
    expect(rules.map(strip)).toEqual(fromYaml.map(strip));
    expect(rules.map((r) => r.check.function)).toEqual(fromYaml.map((r) => r.check.function));
  });
});

describe('README', () => {
  it('has the generated rules table, and it is current (regenerate: phi-audit rules --format markdown)', () => {
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const m = /<!-- rules:start -->\n([\s\S]*?)<!-- rules:end -->/.exec(readme);
    expect(m, 'README.md has <!-- rules:start --> ... <!-- rules:end -->').not.toBeNull();
    expect(m![1]).toBe(rulesTable(rules));
  });
});

describe('catalogs', () => {
  const catalogDir = path.join(RULES_DIR, 'catalog');
  const cloud = parse(readFileSync(path.join(catalogDir, 'cloud-services.yaml'), 'utf8')) as {
    providers: Record<string, { source: string; as_of: string; reviewed: string; eligible: Record<string, unknown> }>;
  };
  const vendors = parse(readFileSync(path.join(catalogDir, 'vendors.yaml'), 'utf8')) as {
    vendors: Record<string, { source: string; as_of: string; reviewed: string; baa: string }>;
  };

  it('load through the strict catalog schema', () => {
    const catalog = loadCatalog(catalogDir);
    expect(catalog.serviceEligibility('aws', 's3')?.eligible).toBe(true);
    // A service the catalog does not know is unknown, never "not eligible".
    expect(catalog.serviceEligibility('aws', 'no-such-service')?.eligible).toBeUndefined();
    expect(catalog.serviceEligibility('aws', 'app-runner')?.eligible).toBe(false);
    expect(catalog.serviceEligibility('not-a-provider', 's3')).toBeUndefined();
  });

  it('name a public source, the date it was as of and the date reviewed for every provider and vendor', () => {
    for (const [id, p] of Object.entries(cloud.providers)) {
      expect(p.source, id).toMatch(/^https:\/\//);
      expect(String(p.as_of), id).toMatch(/^(\d{4}-\d{2}(-\d{2})?|undated)$/);
      expect(String(p.reviewed), id).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
    for (const [id, v] of Object.entries(vendors.vendors)) {
      expect(v.source, id).toMatch(/^https:\/\//);
      expect(String(v.as_of), id).toMatch(/^(\d{4}-\d{2}(-\d{2})?|undated)$/);
      expect(String(v.reviewed), id).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
    expect(Object.keys(cloud.providers)).toEqual(expect.arrayContaining(['aws', 'gcp', 'azure']));
    expect(Object.values(vendors.vendors).some((v) => v.baa === 'not-offered')).toBe(true);
  });
});
