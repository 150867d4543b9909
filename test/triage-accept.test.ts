/**
 * Accepted risks (PHI-MAP 1.1 section 4), end to end through the CLI on fixtures/accepted: accepted findings stay in
 * every report and leave the exit code; an expired acceptance stops accepting; a stale one is reported; rules marked
 * not acceptable, unknown rules and misplaced alternatives are input errors at the entry's position.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { globMatch } from '../src/triage/accept.js';
import { builtinRules } from './support/audit.js';
import { cli, STACK_TRACE } from './support/cli.js';

const MAP = 'fixtures/accepted/clinic.phi.yaml';
const RISKS = 'fixtures/accepted/risks.phi.yaml';

interface JsonFinding {
  id: string;
  severity: string;
  accepted?: { entry: string; reason: string; owner?: string; expires?: string; alternative?: string };
}
interface JsonAcceptance {
  finding: string;
  state: string;
  matches: string[];
  location: { file: string; line: number; column: number };
}

function scanJson(args: string[]) {
  const r = cli(['scan', ...args, '--format', 'json']);
  expect(r.stderr).not.toMatch(STACK_TRACE);
  return { status: r.status, json: JSON.parse(r.stdout) as { summary: Record<string, number>; findings: JsonFinding[]; accepted: JsonAcceptance[] } };
}

describe('glob matching of accepted targets', () => {
  it('matches * and ? and nothing else', () => {
    expect(globMatch('review-*', 'review-db')).toBe(true);
    expect(globMatch('review-*', 'review-')).toBe(true);
    expect(globMatch('review-*', 'areview-db')).toBe(false);
    expect(globMatch('*-db', 'review-db')).toBe(true);
    expect(globMatch('*-db', 'review-db-backup')).toBe(false);
    expect(globMatch('review-db*', 'review-db-backup')).toBe(true);
    expect(globMatch('r?view-*-backup', 'review-db-backup')).toBe(true);
    expect(globMatch('r?view', 'rview')).toBe(false);
    expect(globMatch('a*b*c', 'abc')).toBe(true);
    expect(globMatch('a*b*c', 'acb')).toBe(false);
    expect(globMatch('*', '')).toBe(true);
    expect(globMatch('[ab]', 'a')).toBe(false); // brackets are literal
    expect(globMatch('[ab]', '[ab]')).toBe(true);
  });

  it('takes time linear in the text for a pathological pattern (no backtracking)', () => {
    const text = 'a'.repeat(200_000);
    const started = performance.now();
    expect(globMatch(`${'*a'.repeat(20)}*b`, text)).toBe(false);
    expect(globMatch(`${'*a'.repeat(20)}*`, text)).toBe(true);
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});

describe('accepted risks from the CLI', () => {
  it('marks accepted findings, keeps them in the report, and takes them out of the exit code', () => {
    const without = scanJson([MAP, '--as-of', '2026-11-22']);
    expect(without.status).toBe(1);
    expect(without.json.summary.blocking).toBe(2);
    expect(without.json.accepted).toEqual([]);

    const { status, json } = scanJson([MAP, RISKS, '--as-of', '2026-11-22']);
    expect(status).toBe(0);
    expect(json.summary.blocking).toBe(0);
    // Still in the report: same findings, same counts, marked.
    expect(json.findings.map((f) => f.id).sort()).toEqual(without.json.findings.map((f) => f.id).sort());
    expect(json.summary.findings).toBe(without.json.summary.findings);
    const accepted = json.findings.filter((f) => f.accepted !== undefined).map((f) => f.id);
    expect(accepted.sort()).toEqual([
      'automatic-logoff@review-app',
      'breach-exposure@review-app->review-api',
      'customer-managed-key@review-db',
      'customer-managed-key@review-db-backup',
      'transmission-tls@review-app->review-api',
    ]);
    expect(json.summary.accepted).toBe(5);
    const logoff = json.findings.find((f) => f.id === 'automatic-logoff@review-app')!;
    expect(logoff.accepted).toMatchObject({
      entry: 'automatic-logoff@review-app',
      reason: expect.stringContaining('shared ward terminals'),
      owner: 'security@ward.example',
      expires: '2027-04-01',
      alternative: expect.stringContaining('OS screen lock'),
    });
    // The glob entry accepted both stores; the last entry matches nothing.
    const states = Object.fromEntries(json.accepted.map((a) => [a.finding, a.state]));
    expect(states).toEqual({
      'automatic-logoff@review-app': 'active',
      'customer-managed-key@review-db*': 'active',
      'transmission-tls@review-app->review-api': 'active',
      'breach-exposure@review-app->review-api': 'active',
      'mfa@review-*': 'stale',
    });
    const stale = json.accepted.find((a) => a.state === 'stale')!;
    expect(stale.matches).toEqual([]);
    expect(stale.location).toEqual({ file: RISKS, line: 26, column: 5 });
    expect(json.accepted.find((a) => a.finding === 'customer-managed-key@review-db*')!.matches.sort()).toEqual([
      'customer-managed-key@review-db',
      'customer-managed-key@review-db-backup',
    ]);
  }, 60_000);

  it('an acceptance holds through its expires day and stops accepting the day after', () => {
    const last = scanJson([MAP, RISKS, '--as-of', '2027-01-31']);
    expect(last.status).toBe(0);
    const after = scanJson([MAP, RISKS, '--as-of', '2027-02-01']);
    expect(after.status).toBe(1);
    expect(after.json.summary.blocking).toBe(2);
    const expired = after.json.accepted.filter((a) => a.state === 'expired').map((a) => a.finding);
    expect(expired.sort()).toEqual(['breach-exposure@review-app->review-api', 'transmission-tls@review-app->review-api']);
    // Expired entries still say which findings they named; those findings are no longer marked.
    expect(after.json.accepted.find((a) => a.finding === 'transmission-tls@review-app->review-api')!.matches).toEqual([
      'transmission-tls@review-app->review-api',
    ]);
    expect(after.json.findings.find((f) => f.id === 'transmission-tls@review-app->review-api')!.accepted).toBeUndefined();
    expect(after.json.summary.accepted).toBe(3);
  }, 60_000);

  it('the text report marks accepted findings, shows the documented alternative, and lists expired and stale entries', () => {
    const r = cli(['scan', MAP, RISKS, '--as-of', '2027-02-01']);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/MEDIUM {3}NOT DECLARED ACCEPTED automatic-logoff/);
    expect(r.stdout).toContain(
      'accepted: Clinicians review on shared ward terminals that lock after 5 minutes at the OS level (security@ward.example, until 2027-04-01, SEC-112)',
    );
    expect(r.stdout).toContain('documented alternative: OS screen lock after 5 minutes idle');
    expect(r.stdout).toContain(`EXPIRED transmission-tls@review-app->review-api  ${RISKS}:16:5`);
    expect(r.stdout).toContain(`STALE mfa@review-*  ${RISKS}:26:5`);
    expect(r.stdout).toContain('Accepted risks: 3 findings accepted by 5 entries (2 active, 2 expired, 1 stale).');
    // The accepted ones are not told how to fix; the rest are.
    expect(r.stdout).toContain('fix: Use TLS 1.2 or 1.3');
    expect(r.stdout).not.toContain('fix: Configure an idle session timeout');
  }, 60_000);

  it('accepting a rule marked not acceptable is an input error at the entry, whether or not it matches', () => {
    const r = cli(['scan', MAP, 'fixtures/accepted/bad/not-acceptable.phi.yaml', '--as-of', '2026-11-22']);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('fixtures/accepted/bad/not-acceptable.phi.yaml:5:5: accepted: rule public-access is not acceptable');
    expect(r.stderr).toContain('nothing was checked');
    expect(r.stderr).not.toMatch(STACK_TRACE);
  }, 60_000);

  it('marks the rules for PHI to a vendor with no BAA, PHI on an unmanaged device and public PHI not acceptable, and only those', () => {
    const notAcceptable = builtinRules()
      .filter((r) => r.acceptable === false)
      .map((r) => r.id)
      .sort();
    expect(notAcceptable).toEqual(['baa-signed', 'device-media-controls', 'public-access']);
  });

  it('an alternative on a rule citing no addressable specification is an input error', () => {
    const r = cli(['scan', MAP, 'fixtures/accepted/bad/misplaced-alternative.phi.yaml', '--as-of', '2026-11-22']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('fixtures/accepted/bad/misplaced-alternative.phi.yaml:3:5:');
    expect(r.stderr).toContain('cites no addressable implementation specification');
  }, 60_000);

  it('the same finding accepted twice, or an entry expiring before its approval, is an input error', () => {
    const r = cli(['scan', MAP, 'fixtures/accepted/bad/twice.phi.yaml', '--as-of', '2026-11-22']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(
      'fixtures/accepted/bad/twice.phi.yaml:5:5: accepted: "automatic-logoff@review-app" is accepted twice, also at fixtures/accepted/bad/twice.phi.yaml:3:5',
    );
    expect(r.stderr).toContain('twice.phi.yaml:5:5: accepted: "automatic-logoff@review-app" expires 2026-04-01, before it was approved (2026-10-02)');
  }, 60_000);

  it('an unknown rule is an error with a did-you-mean; a malformed entry is an error at its field', () => {
    const unknown = cli(['scan', MAP, 'fixtures/accepted/bad/unknown-rule.phi.yaml', '--as-of', '2026-11-22']);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('fixtures/accepted/bad/unknown-rule.phi.yaml:3:5:');
    expect(unknown.stderr).toContain('did you mean "automatic-logoff"?');
    const bad = cli(['scan', MAP, 'fixtures/accepted/bad/malformed-entry.phi.yaml', '--as-of', '2026-11-22']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('malformed-entry.phi.yaml:3:14: accepted[0].finding: write RULE@TARGET');
    expect(bad.stderr).toContain('malformed-entry.phi.yaml:5:14: accepted[0].expires: expected a real calendar date');
    expect(bad.stderr).toContain('malformed-entry.phi.yaml:7:13: accepted[1].reason');
    expect(bad.stderr).toMatch(/malformed-entry\.phi\.yaml:8:5: unknown key "approver".*did you mean "approved"/);
  }, 60_000);

  it('escapes what an acceptance says before it reaches a terminal', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'phi-accept-hostile-'));
    const file = path.join(dir, 'hostile.phi.yaml');
    writeFileSync(
      file,
      'version: 1\naccepted:\n  - finding: automatic-logoff@review-app\n    reason: "ok\\e[2J\\u202Egnp.exe"\n    owner: "\\e]8;;http://x\\e\\\\me"\n  - finding: "mfa@review-\\e[31m*"\n    reason: stale\n',
    );
    const r = cli(['scan', MAP, file, '--as-of', '2026-11-22']);
    expect(r.status).toBe(1);
    expect(r.stdout.includes('\u001b') || r.stdout.includes('\u202e')).toBe(false);
    expect(r.stdout).toContain('accepted: ok\\x1b[2J\\u202egnp.exe');
    expect(r.stdout).toContain('STALE mfa@review-\\x1b[31m*');
    const unknown = path.join(dir, 'unknown.phi.yaml');
    writeFileSync(unknown, 'version: 1\naccepted:\n  - finding: "x\\e[2J@review-app"\n    reason: r\n');
    const bad = cli(['scan', MAP, unknown, '--as-of', '2026-11-22']);
    expect(bad.status).toBe(2);
    expect(bad.stderr.includes('\u001b')).toBe(false);
    expect(bad.stderr).toContain('x\\x1b[2J');
  }, 60_000);
});
