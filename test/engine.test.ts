/** Engine behaviour the rule fixtures do not show on their own. */
import { describe, expect, it } from 'vitest';
import { validateMapText } from '../src/map/load.js';
import { mergeFiles } from '../src/map/merge.js';
import { isBlocking, loadMap, loadRules, scanMap, type LoadedRule, type PhiMap } from '../src/index.js';
import { ROOT } from './support/cli.js';

function mapOf(text: string): PhiMap {
  const r = validateMapText('test.yaml', text);
  expect(r.diagnostics).toEqual([]);
  const merged = mergeFiles([r.file!]);
  expect(merged.diagnostics).toEqual([]);
  return merged.map;
}

const MAP = mapOf(
  [
    'version: 1',
    'vendors:',
    '  llm:',
    '    role: business-associate',
    '    baa: { status: signed, signed: 2025-03-01, expires: 2026-06-30 }',
    'services:',
    '  api: { data: [phi] }',
    'flows:',
    '  - { from: api, to: llm, tls: "1.3" }',
    '',
  ].join('\n'),
);

const builtin = loadRules();
const baaRule = builtin.find((r) => r.id === 'baa-signed')!;

describe('evaluate', () => {
  it('turns a check that throws into an unknown finding for that rule and target, not a crash', () => {
    const broken: LoadedRule = { ...baaRule, id: 'broken-check', check: { function: 'no-such-function' } };
    const result = scanMap(MAP, [broken, baaRule], { asOf: '2026-01-01' });
    const f = result.findings.find((x) => x.rule === 'broken-check');
    expect(f).toMatchObject({ id: 'broken-check@llm', status: 'unknown', severity: 'critical' });
    expect(f!.message).toContain('could not run');
    // The other rule still ran.
    expect(result.findings.some((x) => x.rule === 'baa-signed')).toBe(false);
    expect(result.summary.by_status.unknown).toBe(1);
  });

  it('checks BAA terms against --as-of: in force, then expired', () => {
    const before = scanMap(MAP, [baaRule], { asOf: '2026-06-29' }).findings;
    const after = scanMap(MAP, [baaRule], { asOf: '2026-06-30' }).findings;
    const early = scanMap(MAP, [baaRule], { asOf: '2025-02-28' }).findings;
    expect(before).toEqual([]);
    expect(after.map((f) => f.message)).toEqual(['Vendor llm handles PHI (phi) under a BAA that expired on 2026-06-30.']);
    expect(early.map((f) => f.message)).toEqual(['Vendor llm handles PHI (phi) under a BAA signed 2025-03-01, after 2025-02-28.']);
    expect(after[0]!.path).toEqual(['api', 'llm']);
  });

  it('counts unknown findings toward --fail-on like failures, and none never blocks', () => {
    const broken: LoadedRule = { ...baaRule, id: 'broken-check', severity: 'medium', check: { function: 'no-such-function' } };
    const f = scanMap(MAP, [broken], { asOf: '2026-01-01' }).findings[0]!;
    expect(isBlocking(f, 'medium')).toBe(true);
    expect(isBlocking(f, 'high')).toBe(false);
    expect(isBlocking(f, 'none')).toBe(false);
  });

  it('raises severity with escalate: breach exposure is critical from 500 records', () => {
    const rule = builtin.find((r) => r.id === 'breach-exposure')!;
    const small = mapOf('version: 1\nservices:\n  api: { data: [phi] }\nstores:\n  db: { kind: database, records: 499 }\nflows:\n  - { from: api, to: db, tls: "1.3" }\n');
    const large = mapOf('version: 1\nservices:\n  api: { data: [phi] }\nstores:\n  db: { kind: database, records: 500 }\nflows:\n  - { from: api, to: db, tls: "1.3" }\n');
    expect(scanMap(small, [rule]).findings[0]!.severity).toBe('high');
    expect(scanMap(large, [rule]).findings[0]!.severity).toBe('critical');
    expect(scanMap(large, [rule]).findings[0]!.records).toBe(500);
  });

  it('applies rules only where PHI reaches unless they say otherwise', () => {
    const rule = builtin.find((r) => r.id === 'encryption-at-rest')!;
    const clean = mapOf('version: 1\nservices:\n  api: { data: [deidentified] }\nstores:\n  db: { kind: database }\nflows:\n  - { from: api, to: db, tls: "1.3" }\n');
    expect(scanMap(clean, [rule]).findings).toEqual([]);
  });

  it('raises vendor retention to high for LLM APIs, by the vendor catalog', () => {
    const map = loadMap(['fixtures/rules/vendor-retention/fail.yaml'], { cwd: ROOT });
    const rule = builtin.find((r) => r.id === 'vendor-retention')!;
    const bySeverity = Object.fromEntries(scanMap(map, [rule], { asOf: '2026-11-22' }).findings.map((f) => [f.target, f.severity]));
    expect(bySeverity).toEqual({ openai: 'high', sentry: 'medium' });
  });
});
