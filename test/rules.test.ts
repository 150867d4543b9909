/**
 * The rule-fixture table: every rule fires exactly where its fail fixture's `# expect: RULE@TARGET` markers say
 * (finding id and line), and not at all on its pass fixture.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Observation } from '../src/enrich/facts.js';
import { createEnricher } from '../src/enrich/static/index.js';
import { reportFor } from './support/audit.js';
import { ROOT } from './support/cli.js';

const AS_OF = '2026-11-22';
const FIXTURES = path.join(ROOT, 'fixtures', 'rules');
const ruleIds = readdirSync(FIXTURES, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();

// A rule about a fact only a live check can read (aws-*) has its evidence beside the map: fail.observations.json.
const observationsOf = (file: string) => file.replace(/\.yaml$/, '.observations.json');
const enrichersFor = (file: string) =>
  existsSync(observationsOf(file)) ? [createEnricher(JSON.parse(readFileSync(observationsOf(file), 'utf8')) as Observation[], 'fixture')] : [];

async function findingsOf(rule: string, file: string) {
  return (await reportFor([file], { asOf: AS_OF, enrichers: enrichersFor(file) })).findings.filter((f) => f.rule === rule);
}

function markers(file: string): { id: string; line: number }[] {
  const out: { id: string; line: number }[] = [];
  readFileSync(file, 'utf8')
    .split('\n')
    .forEach((text, i) => {
      for (const m of text.matchAll(/#\s*expect:\s*(\S+)/g)) out.push({ id: m[1]!, line: i + 1 });
    });
  return out;
}

const byId = (a: { id: string }, b: { id: string }) => a.id.localeCompare(b.id);

describe.each(ruleIds)('rule %s', (rule) => {
  const dir = path.join(FIXTURES, rule);

  it('fires exactly at the fail fixture markers', async () => {
    const file = path.join(dir, 'fail.yaml');
    const expected = markers(file).sort(byId);
    expect(expected.length, 'the fail fixture marks at least one finding').toBeGreaterThan(0);
    for (const e of expected) expect(e.id.startsWith(`${rule}@`), `marker ${e.id} names this rule`).toBe(true);
    const actual = (await findingsOf(rule, file)).map((f) => ({ id: f.id, line: f.location.line })).sort(byId);
    expect(actual).toEqual(expected);
  });

  it('every finding carries a citation, evidence, and a message', async () => {
    for (const f of await findingsOf(rule, path.join(dir, 'fail.yaml'))) {
      expect(f.cite.length).toBeGreaterThan(0);
      expect(f.cite.every((c) => /^45 CFR 16\d\.\d+/.test(c))).toBe(true);
      expect(f.message).not.toMatch(/\{[a-z_]+\}/);
      expect(f.message).not.toContain('unknown)');
      expect(f.location.file).toBe(`fixtures/rules/${rule}/fail.yaml`);
      // What the verdict rests on: the facts the rule read (each from the map or a catalog), or where PHI goes.
      expect(f.evidence.length + f.phiPath.length, f.id).toBeGreaterThan(0);
      const live = existsSync(observationsOf(path.join(dir, 'fail.yaml'))) ? ['verified', 'contradicted'] : [];
      for (const e of f.evidence) expect(['declared', 'undeclared', 'catalog', ...live]).toContain(e.provenance);
    }
  });

  it('stays silent on the pass fixture', async () => {
    expect(await findingsOf(rule, path.join(dir, 'pass.yaml'))).toEqual([]);
  });
});
