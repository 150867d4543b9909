/**
 * Format 1.1 semantics, end to end through the pipeline: three states, flows and de-identification claims listed as
 * assertions, breach exposure counted from what is really exposed, and root causes with the findings they fold.
 */
import { describe, expect, it } from 'vitest';
import { isBlocking } from '../src/index.js';
import { builtinRules, mapOf, reportOfMap } from './support/audit.js';

const rules = (...ids: string[]) => builtinRules().filter((r) => ids.includes(r.id));

describe('three states', () => {
  const map = mapOf(
    [
      'version: 1',
      'services:',
      '  declared-false: { data: [phi], interactive: true, access: { mfa: false } }',
      '  silent: { data: [phi], interactive: true }',
      'vendors:',
      '  no-baa: { role: business-associate }',
      'flows:',
      '  - { from: silent, to: no-baa }',
      '',
    ].join('\n'),
  );

  it('fails a safeguard declared wrong, and calls an undeclared one unknown: not declared, never a pass', async () => {
    const report = await reportOfMap(map, { loadedRules: rules('mfa') });
    const byTarget = Object.fromEntries(report.findings.map((f) => [f.target, f]));
    expect(byTarget['declared-false']).toMatchObject({ status: 'fail', reason: 'value' });
    expect(byTarget.silent).toMatchObject({ status: 'unknown', reason: 'missing' });
    expect(byTarget.silent!.evidence.find((e) => e.field === 'access.mfa')).toMatchObject({ provenance: 'undeclared' });
    // Unknown counts toward --fail-on at its severity.
    expect(isBlocking(byTarget.silent!.severity, byTarget.silent!.severity)).toBe(true);
  });

  it('keeps fail for a value the map must record about itself (undeclared: fail), such as a BAA or a flow TLS', async () => {
    const report = await reportOfMap(map, { loadedRules: rules('baa-signed', 'transmission-tls') });
    const statuses = Object.fromEntries(report.findings.map((f) => [f.id, f.status]));
    expect(statuses).toMatchObject({ 'baa-signed@no-baa': 'fail', 'transmission-tls@silent->no-baa': 'fail' });
  });

  it('says "NOT DECLARED" in the text report and names the status in JSON', async () => {
    const { formatToString } = await import('../src/index.js');
    const report = await reportOfMap(map, { loadedRules: rules('mfa') });
    const text = await formatToString('text', report, { color: false });
    expect(text).toMatch(/NOT DECLARED mfa/);
    const json = JSON.parse(await formatToString('json', report, { color: false }));
    expect(json.format_version).toBe('1.1');
    expect(json.findings.map((f: { status: string }) => f.status).sort()).toEqual(['fail', 'unknown']);
    for (const f of json.findings) expect(f.evidence.length).toBeGreaterThan(0);
  });
});

describe('flows: narrowing, stripping and their claims', () => {
  const map = mapOf(
    [
      'version: 1',
      'data_classes:',
      '  notes: { phi: true }',
      '  counters: { phi: false }',
      'vendors:',
      '  research: { baa: { status: not-required } }',
      'services:',
      '  ehr: { data: [phi, notes] }',
      '  llm: {}',
      'logs:',
      '  metrics: { kind: metrics }',
      '  stats: { kind: metrics }',
      '  plain: { kind: metrics }',
      'flows:',
      '  - { from: ehr, to: llm, data: [notes], tls: "1.3" }',
      '  - { from: ehr, to: metrics, data: [counters], basis: "request counters only", tls: "1.2" }',
      '  - { from: ehr, to: stats, data: [counters], deidentify: { method: expert-determination, evidence: docs/ed.pdf }, tls: "1.2" }',
      '  - { from: ehr, to: plain, data: [counters], tls: "1.2" }',
      '  - { from: ehr, to: research, deidentify: limited-data-set, tls: "1.2" }',
      '',
    ].join('\n'),
  );

  it('finds nothing in a minimum-necessary selection, and asks a bare stripping claim for a method or a basis', async () => {
    const report = await reportOfMap(map, { loadedRules: rules('deidentification-method') });
    expect(report.findings.map((f) => f.id)).toEqual(['deidentification-method@ehr->plain']);
  });

  it('keeps a limited data set PHI and asks its vendor for a data use agreement', async () => {
    const report = await reportOfMap(map, { loadedRules: rules('limited-data-set-dua', 'telemetry-phi') });
    expect(report.findings.map((f) => f.id)).toEqual(['limited-data-set-dua@ehr->research']);
    expect(report.findings[0]!.phi).toEqual(['notes', 'phi']);
  });

  it('lists every claim the result rests on as an assertion', async () => {
    const report = await reportOfMap(map, { loadedRules: [] });
    expect(report.assertions.map((a) => [a.kind, a.subject, a.evidence])).toEqual([
      ['basis', 'ehr->metrics', undefined],
      ['deidentification', 'ehr->stats', 'docs/ed.pdf'],
      ['deidentification', 'ehr->research', undefined],
    ]);
    expect(report.assertions[0]!.claim).toContain('request counters only');
    expect(report.assertions[2]!.claim).toContain('limited data set');
  });
});

describe('breach exposure', () => {
  const map = mapOf(
    [
      'version: 1',
      'services:',
      '  api: { data: [phi] }',
      'stores:',
      '  public-sealed: { kind: object-store, records: 100, public_access: allowed, encryption: { at_rest: aes-256 } }',
      '  uncounted: { kind: database, encryption: { at_rest: none } }',
      'vendors:',
      '  fax: { baa: { status: signed } }',
      'flows:',
      '  - { from: api, to: public-sealed, tls: "1.3" }',
      '  - { from: api, to: uncounted, tls: "1.3" }',
      '  - { from: api, to: fax, tls: "1.0" }',
      '',
    ].join('\n'),
  );

  it('counts a public encrypted store, an uncounted store as 500 or more, and a weak-TLS flow', async () => {
    const report = await reportOfMap(map, { loadedRules: rules('breach-exposure') });
    const severity = Object.fromEntries(report.findings.map((f) => [f.id, f.severity]));
    expect(severity).toEqual({
      'breach-exposure@public-sealed': 'high',
      'breach-exposure@uncounted': 'critical',
      'breach-exposure@api->fax': 'critical',
    });
    const uncounted = report.findings.find((f) => f.target === 'uncounted')!;
    expect(uncounted.message).toContain('treated as 500 or more');
    expect(uncounted.message).toContain('four factors');
    expect(report.findings.find((f) => f.target === 'public-sealed')!.message).toContain('annual log');
  });
});

describe('root causes', () => {
  const map = mapOf(
    [
      'version: 1',
      'environments:',
      '  dev: { phi_allowed: false }',
      'services:',
      '  api: { data: [phi] }',
      'stores:',
      '  dev-db: { kind: database, environment: dev, records: 20, encryption: { at_rest: none } }',
      'flows:',
      '  - { from: api, to: dev-db, tls: "1.3" }',
      '',
    ].join('\n'),
  );

  it('folds the safeguard findings under the finding that removes the PHI: shown, not counted, never blocking', async () => {
    const report = await reportOfMap(map, { loadedRules: rules('environment-isolation', 'encryption-at-rest', 'backup-exists', 'breach-exposure') });
    const folded = Object.fromEntries(report.findings.map((f) => [f.id, f.folded_under]));
    expect(folded).toEqual({
      'environment-isolation@dev-db': undefined,
      'encryption-at-rest@dev-db': 'environment-isolation@dev-db',
      'backup-exists@dev-db': 'environment-isolation@dev-db',
      // While the PHI is there, the exposure is real: breach exposure is never folded.
      'breach-exposure@dev-db': undefined,
    });
    expect(report.summary.findings).toBe(2);
    expect(report.summary.folded).toBe(2);
    expect(report.summary.by_severity.high + report.summary.by_severity.critical).toBe(2);
  });

  it('folds nothing where the root rule passes', async () => {
    const prod = mapOf(
      'version: 1\nservices:\n  api: { data: [phi] }\nstores:\n  db: { kind: database, encryption: { at_rest: none } }\nflows:\n  - { from: api, to: db, tls: "1.3" }\n',
    );
    const report = await reportOfMap(prod, { loadedRules: rules('environment-isolation', 'encryption-at-rest') });
    expect(report.findings.map((f) => [f.id, f.folded_under])).toEqual([['encryption-at-rest@db', undefined]]);
    expect(report.summary.folded).toBe(0);
  });
});
