/** Engine behaviour the rule fixtures do not show on their own: the pipeline, facts, evidence and outcomes. */
import { describe, expect, it } from 'vitest';
import { audit, createStaticEnricher, isBlocking, type LoadedRule, loadCatalog } from '../src/index.js';
import { builtinRules, mapOf, reportFor, reportOfMap } from './support/audit.js';
import { ROOT } from './support/cli.js';

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

const rule = (id: string): LoadedRule => builtinRules().find((r) => r.id === id)!;
const baaRule = rule('baa-signed');

describe('evaluate', () => {
  it('turns a check that throws into an unknown finding for that rule and target, not a crash', async () => {
    const broken: LoadedRule = { ...baaRule, id: 'broken-check', check: { function: 'no-such-function' } };
    const report = await reportOfMap(MAP, { loadedRules: [broken, baaRule], asOf: '2026-01-01' });
    const f = report.findings.find((x) => x.rule === 'broken-check');
    expect(f).toMatchObject({ id: 'broken-check@llm', status: 'unknown', severity: 'critical', reason: 'error' });
    expect(f!.message).toContain('could not run');
    // The other rule still ran, and passed.
    expect(report.findings.some((x) => x.rule === 'baa-signed')).toBe(false);
    expect(report.outcomes['baa-signed']).toEqual({ pass: 1, fail: 0, unknown: 0, not_applicable: 0 });
    expect(report.summary.by_status.unknown).toBe(1);
  });

  it('checks BAA terms against --as-of: in force, then expired, with the reason and arguments kept', async () => {
    const at = async (asOf: string) => (await reportOfMap(MAP, { loadedRules: [baaRule], asOf })).findings;
    const before = await at('2026-06-29');
    const after = await at('2026-06-30');
    const early = await at('2025-02-28');
    expect(before).toEqual([]);
    expect(after.map((f) => f.message)).toEqual(['Vendor llm handles PHI (phi) under a BAA that expired on 2026-06-30.']);
    expect(after[0]).toMatchObject({ reason: 'expired', args: { status: 'signed', expires: '2026-06-30', as_of: '2026-06-30' } });
    expect(early.map((f) => f.message)).toEqual(['Vendor llm handles PHI (phi) under a BAA signed 2025-03-01, after 2025-02-28.']);
    expect(after[0]!.phiPath).toEqual(['api', 'llm']);
  });

  it('records the facts each rule read as the finding’s evidence, with provenance and the map position', async () => {
    const f = (await reportOfMap(MAP, { loadedRules: [baaRule], asOf: '2026-06-30' })).findings[0]!;
    const fields = f.evidence.map((e) => `${e.subject}.${e.field}:${e.provenance}`);
    // A failure is also checked against the treatment-provider exception (role).
    expect(fields).toEqual([
      'llm.baa.status:declared',
      'llm.baa.terminated:undeclared',
      'llm.baa.signed:declared',
      'llm.baa.expires:declared',
      'llm.role:declared',
    ]);
    expect(f.evidence[3]).toMatchObject({ declared: '2026-06-30', value: '2026-06-30', source: 'test.yaml:3:3' });
  });

  it('tells "not declared" from "declared false" in the evidence', async () => {
    const map = mapOf('version: 1\nservices:\n  api: { data: [phi], interactive: true, access: { mfa: false } }\n  web: { data: [phi], interactive: true }\n');
    const report = await reportOfMap(map, { loadedRules: [rule('mfa')] });
    const byTarget = Object.fromEntries(report.findings.map((f) => [f.target, f.evidence.find((e) => e.field === 'access.mfa')]));
    expect(byTarget.api).toMatchObject({ provenance: 'declared', declared: false, value: false });
    expect(byTarget.web).toMatchObject({ provenance: 'undeclared' });
    expect(byTarget.web).not.toHaveProperty('declared');
  });

  it('counts unknown findings toward --fail-on like failures, and none never blocks', async () => {
    const broken: LoadedRule = { ...baaRule, id: 'broken-check', severity: 'medium', check: { function: 'no-such-function' } };
    const f = (await reportOfMap(MAP, { loadedRules: [broken], asOf: '2026-01-01' })).findings[0]!;
    expect(isBlocking(f.severity, 'medium')).toBe(true);
    expect(isBlocking(f.severity, 'high')).toBe(false);
    expect(isBlocking(f.severity, 'none')).toBe(false);
  });

  it('raises severity with escalate: breach exposure is critical from 500 records', async () => {
    const r = rule('breach-exposure');
    const map = (records: number) =>
      mapOf(
        `version: 1\nservices:\n  api: { data: [phi] }\nstores:\n  db: { kind: database, records: ${records} }\nflows:\n  - { from: api, to: db, tls: "1.3" }\n`,
      );
    const small = (await reportOfMap(map(499), { loadedRules: [r] })).findings[0]!;
    const large = (await reportOfMap(map(500), { loadedRules: [r] })).findings[0]!;
    expect(small.severity).toBe('high');
    expect(large.severity).toBe('critical');
    expect(large.records).toBe(500);
  });

  it('applies rules only where PHI reaches unless they say otherwise, and counts the rest as not applicable', async () => {
    const clean = mapOf(
      'version: 1\nservices:\n  api: { data: [deidentified] }\nstores:\n  db: { kind: database }\nflows:\n  - { from: api, to: db, tls: "1.3" }\n',
    );
    const report = await reportOfMap(clean, { loadedRules: [rule('encryption-at-rest')] });
    expect(report.findings).toEqual([]);
    expect(report.outcomes['encryption-at-rest']).toEqual({ pass: 0, fail: 0, unknown: 0, not_applicable: 1 });
  });

  it('raises vendor retention to high for LLM APIs, by the vendor catalog, and cites the catalog as evidence', async () => {
    const report = await reportFor(['fixtures/rules/vendor-retention/fail.yaml'], { loadedRules: [rule('vendor-retention')], asOf: '2026-11-22' });
    expect(Object.fromEntries(report.findings.map((f) => [f.target, f.severity]))).toEqual({ openai: 'high', sentry: 'medium' });
    const catalog = report.findings.find((f) => f.target === 'openai')!.evidence.find((e) => e.provenance === 'catalog');
    expect(catalog).toMatchObject({
      subject: 'openai',
      field: 'vendor-catalog',
      source: expect.stringMatching(/^https:\/\/.+ \(as of (\d{4}-\d{2}(-\d{2})?|undated), reviewed \d{4}-\d{2}-\d{2}\)$/),
    });
  });
});

describe('the pipeline', () => {
  it('collects every input problem of every kind at once: a bad date, a broken map and a missing rules folder', async () => {
    const result = await audit({ cwd: ROOT, paths: ['fixtures/malformed/bad-tls-string.yaml'], asOf: '2026-02-30', rules: ['no-such-folder'] });
    expect(result.ok).toBe(false);
    const lines = result.ok ? [] : result.diagnostics.map((d) => `${d.file}: ${d.message.slice(0, 30)}`);
    expect(lines).toEqual([
      expect.stringMatching(/^--as-of: "2026-02-30" is not a date/),
      expect.stringMatching(/^fixtures\/malformed\/bad-tls-string\.yaml: /),
      expect.stringMatching(/^no-such-folder: --rules: no such folder/),
    ]);
  });

  it('uses the catalog it is handed, not one it loads behind the caller’s back', async () => {
    const empty = loadCatalog(`${ROOT}/rules/catalog`);
    const none = { serviceEligibility: () => undefined, canonicalService: () => undefined, vendor: () => undefined };
    const paths = ['fixtures/rules/hosting-hipaa-eligible/fail.yaml'];
    const withBundled = await reportFor(paths, { catalog: empty, asOf: '2026-11-22' });
    const withNone = await reportFor(paths, { catalog: none, asOf: '2026-11-22' });
    // Only a catalog that lists a service as not eligible can fail it; one that knows nothing leaves it unknown.
    expect(withBundled.findings.some((f) => f.rule === 'hosting-hipaa-eligible' && f.status === 'fail')).toBe(true);
    expect(withNone.findings.some((f) => f.rule === 'hosting-hipaa-eligible' && f.status === 'fail')).toBe(false);
  });

  it('judges observed facts with the same rules: verified passes, contradicted fails naming both, unavailable is unknown', async () => {
    const map = mapOf(
      [
        'version: 1',
        'services:',
        '  api: { data: [phi] }',
        'stores:',
        '  a: { kind: database, encryption: { at_rest: aes-256 } }',
        '  b: { kind: database, encryption: { at_rest: aes-256 } }',
        '  c: { kind: database, encryption: { at_rest: aes-256 } }',
        'flows:',
        '  - { from: api, to: a, tls: "1.3" }',
        '  - { from: api, to: b, tls: "1.3" }',
        '  - { from: api, to: c, tls: "1.3" }',
        '',
      ].join('\n'),
    );
    const enricher = createStaticEnricher([
      { subject: 'a', field: 'encryption.at_rest', observed: 'aes-256', source: 'test:GetEncryption a' },
      { subject: 'b', field: 'encryption.at_rest', observed: 'none', source: 'test:GetEncryption b' },
      { subject: 'c', field: 'encryption.at_rest', error: 'AccessDenied', source: 'test:GetEncryption c' },
    ]);
    const report = await reportOfMap(map, { loadedRules: [rule('encryption-at-rest')], enrichers: [enricher] });
    const byTarget = Object.fromEntries(report.findings.map((f) => [f.target, f]));
    expect(Object.keys(byTarget).sort()).toEqual(['b', 'c']);
    expect(byTarget.b).toMatchObject({ status: 'fail' });
    expect(byTarget.b!.evidence[0]).toMatchObject({ provenance: 'contradicted', declared: 'aes-256', observed: 'none', source: 'test:GetEncryption b' });
    expect(byTarget.c).toMatchObject({ status: 'unknown', reason: 'unavailable' });
    expect(byTarget.c!.evidence[0]).toMatchObject({ provenance: 'unavailable', error: 'AccessDenied' });
    expect(report.outcomes['encryption-at-rest']).toMatchObject({ pass: 1, fail: 1, unknown: 1 });
  });

  it('fails closed when whether a rule applies cannot be established: an unreadable `when` fact is unknown', async () => {
    const map = mapOf('version: 1\nservices:\n  api: { data: [phi], interactive: true, access: { mfa: true } }\n');
    const enricher = createStaticEnricher([{ subject: 'api', field: 'interactive', error: 'AccessDenied', source: 'test:DescribeApp api' }]);
    const report = await reportOfMap(map, { loadedRules: [rule('mfa')], enrichers: [enricher] });
    expect(report.findings.map((f) => [f.id, f.status, f.reason])).toEqual([['mfa@api', 'unknown', 'unavailable']]);
    expect(report.findings[0]!.args).toMatchObject({ field: 'interactive', error: 'AccessDenied' });
  });

  it('gives a graph view of every node and flow with its position, kind, environment and PHI', async () => {
    const report = await reportFor(['fixtures/example'], { asOf: '2026-11-22' });
    expect(report.graph.nodes.length).toBe(report.summary.nodes);
    expect(report.graph.flows.length).toBe(report.summary.flows);
    expect(report.graph.nodes.filter((n) => n.phi.length > 0).length).toBe(report.summary.phi_holders);
    for (const n of report.graph.nodes) expect(n.location.file).toMatch(/^fixtures\/example\//);
    expect(report.graph.nodes.some((n) => n.kind === 'database' && n.environment === 'prod')).toBe(true);
    // Every rule's metadata once, and an outcome for every rule that ran.
    expect(report.rules.map((r) => r.id)).toEqual(builtinRules().map((r) => r.id));
    expect(Object.keys(report.outcomes).sort()).toEqual(
      builtinRules()
        .map((r) => r.id)
        .sort(),
    );
    const fired = report.outcomes['baa-signed']!;
    expect(fired.fail + fired.unknown).toBe(report.findings.filter((f) => f.rule === 'baa-signed').length);
  });
});
