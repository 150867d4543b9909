/**
 * The cases the rule pack v2 review found (fixtures/cases/, one map per problem), each run as the CLI runs: the
 * verdicts a user sees, not the engine's internals.
 */
import { describe, expect, it } from 'vitest';
import { cli } from './support/cli.js';

interface JsonFinding {
  id: string;
  severity: string;
  status: string;
  message: string;
  folded_under?: string;
}

function scan(file: string, ...extra: string[]): { status: number | null; findings: Map<string, JsonFinding>; summary: Record<string, unknown> } {
  const r = cli(['scan', `fixtures/cases/${file}`, '--as-of', '2026-11-22', '--format', 'json', ...extra]);
  expect(r.stderr).toBe('');
  const out = JSON.parse(r.stdout) as { findings: JsonFinding[]; summary: Record<string, unknown> };
  return { status: r.status, findings: new Map(out.findings.map((f) => [f.id, f])), summary: out.summary };
}

describe('rule pack v2 cases, from the CLI', { timeout: 60_000 }, () => {
  it('1. a map with every real gap fixed exits 0; narrowed and operational flows are no finding', () => {
    const r = scan('remediated.yaml');
    expect(r.status).toBe(0);
    expect([...r.findings.keys()].filter((id) => id.startsWith('deidentification-method'))).toEqual([]);
    expect([...r.findings.values()].every((f) => f.severity === 'info')).toBe(true);
  });

  it('2. services known by another name pass; an unknown one is unknown with a did-you-mean, never "not eligible"', () => {
    const r = scan('catalog-gaps.yaml', '--fail-on', 'none');
    const eligibility = [...r.findings.values()].filter((f) => f.id.startsWith('hosting-hipaa-eligible@'));
    expect(eligibility.map((f) => [f.id, f.status])).toEqual([['hosting-hipaa-eligible@typo', 'unknown']]);
    expect(eligibility[0]!.message).toContain('did you mean "aws/dms"');
    expect(r.findings.has('vendor-baa-availability@slack')).toBe(false);
    expect(r.findings.has('baa-scope@summarizer->slack')).toBe(false);
  });

  it('3. the less a map says, the more it is asked', () => {
    const r = scan('says-less.yaml', '--fail-on', 'none');
    // No records: treated as 500 or more.
    expect(r.findings.get('breach-exposure@notes-db')).toMatchObject({ severity: 'critical', status: 'fail' });
    expect(r.findings.get('breach-exposure@notes-db')!.message).toContain('treated as 500 or more');
    expect(r.findings.get('hosting-hipaa-eligible@api')).toMatchObject({ status: 'unknown' });
    expect(r.findings.get('public-access@notes-db')).toMatchObject({ severity: 'critical', status: 'unknown' });
    // An application log named as the audit log is as serious as none.
    expect(r.findings.get('audit-log-kind@api')?.severity).toBe('high');
    expect(r.findings.get('access-control@notes-db')).toMatchObject({ status: 'unknown' });
  });

  it('4. breach exposure counts a public encrypted bucket and weak TLS, and names the presumption and the notices', () => {
    const r = scan('breach.yaml', '--fail-on', 'none');
    const bucket = r.findings.get('breach-exposure@share-bucket')!;
    expect(bucket).toMatchObject({ severity: 'critical', status: 'fail' });
    expect(bucket.message).toContain('four factors');
    expect(bucket.message).toContain('to HHS within 60 days (164.408(b))');
    expect(bucket.message).toContain('more than 500 residents of one State');
    expect(r.findings.get('breach-exposure@api->fax-relay')).toMatchObject({ status: 'fail' });
  });

  it('5. wording says common practice and open question where the law is silent', () => {
    const r = scan('wording.yaml', '--fail-on', 'none');
    expect(r.findings.get('audit-log-retention@audit-trail')).toMatchObject({ severity: 'low' });
    expect(r.findings.get('audit-log-retention@audit-trail')!.message).toContain('the Security Rule sets no period');
    expect(r.findings.get('mfa@review-app')!.message).toContain('common practice');
    expect(r.findings.get('automatic-logoff@review-app')!.message).toContain('common practice');
    expect(r.findings.get('model-artifact-phi@model')!.message).toContain('not established');
    const rules = cli(['rules', 'audit-log-retention', '--format', 'json']);
    expect(rules.stdout).not.toContain('164.316(b)(2)(i)"');
  });

  it('6. treatment providers, subprocessors, narrower BAAs and root causes', () => {
    const r = scan('agreements.yaml', '--fail-on', 'none');
    expect([...r.findings.keys()].some((id) => id.endsWith('@cardiology-group'))).toBe(false);
    expect(r.findings.has('baa-signed@gcp')).toBe(false);
    expect(r.findings.get('subcontractor-baa@gcp')!.message).toContain('datadog must have one with gcp');
    expect(r.findings.get('baa-scope@api->slack')).toMatchObject({ status: 'fail' });
    expect(r.findings.get('environment-isolation@staging-db')?.folded_under).toBeUndefined();
    for (const id of ['encryption-at-rest', 'backup-exists', 'access-review']) {
      expect(r.findings.get(`${id}@staging-db`)?.folded_under).toBe('environment-isolation@staging-db');
    }
    expect(r.summary.folded).toBeGreaterThanOrEqual(3);
  });
});
