/**
 * A map with an accepted risk: in SARIF a suppression GitHub can read (and the file stays valid), in JUnit a skipped
 * test case, in CSV a row marked accepted.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, ROOT } from './support/cli.js';
import { sarifErrors } from './support/sarif-multitool.js';

const AS_OF = ['--as-of', '2026-11-22'];
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

interface Result {
  message: { text: string };
  suppressions?: { kind: string; status: string; justification: string }[];
  properties: { id: string };
}

function scanSarif(args: string[], cwd: string): Result[] {
  const file = path.join(cwd, 'out.sarif');
  const r = cli(['scan', ...args, '--format', 'sarif', '--output', file], { cwd });
  expect(r.status, r.stderr).toBe(1);
  expect(sarifErrors(file)).toEqual([]);
  return (JSON.parse(readFileSync(file, 'utf8')) as { runs: { results: Result[] }[] }).runs[0]!.results;
}

describe('SARIF with accepted findings', () => {
  it('marks an accepted finding with an accepted external suppression and its justification', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'phi-audit-sarif-'));
    dirs.push(dir);
    mkdirSync(path.join(dir, 'map'));
    const src = path.join(ROOT, 'fixtures', 'example');
    const copy = (rel: string) => {
      mkdirSync(path.dirname(path.join(dir, 'map', rel)), { recursive: true });
      writeFileSync(path.join(dir, 'map', rel), readFileSync(path.join(src, rel)));
    };
    for (const rel of [
      'northbay.phi.yaml',
      'services/ingest.phi.yaml',
      'services/summarizer.phi.yaml',
      'services/readmission-model.phi.yaml',
      'services/analytics.phi.yaml',
    ])
      copy(rel);
    writeFileSync(
      path.join(dir, 'map', 'accepted.phi.yaml'),
      [
        'version: 1',
        'accepted:',
        '  - finding: automatic-logoff@review-app',
        '    reason: Clinicians review on shared ward terminals that lock after 5 minutes at the OS level.',
        '    alternative: OS screen lock, 5 minutes (documented in SEC-112)',
        '    owner: security@larkspur.ai',
        '    approved: 2026-10-02',
        '    expires: 2027-04-01',
        '    ticket: SEC-112',
        '',
      ].join('\n'),
    );
    const results = scanSarif(['map', ...AS_OF], dir);
    const accepted = results.filter((f) => f.suppressions !== undefined);
    expect(accepted.map((f) => f.properties.id)).toEqual(['automatic-logoff@review-app']);
    expect(accepted[0]!.suppressions).toEqual([
      expect.objectContaining({
        kind: 'external',
        status: 'accepted',
        justification: expect.stringMatching(
          /^Clinicians review .*; documented alternative: OS screen lock.*; owner: security@larkspur\.ai; ticket: SEC-112; approved 2026-10-02; expires 2027-04-01$/,
        ),
      }),
    ]);
    expect(accepted[0]!.message.text).toMatch(/^Accepted risk \(not blocking\)\. /);

    // JUnit: the accepted finding is skipped with its acceptance; CSV: marked accepted with its reason and expiry.
    const junit = cli(['scan', 'map', ...AS_OF, '--format', 'junit'], { cwd: dir });
    const skipped = /<testcase classname="automatic-logoff" name="review-app"[^>]*><skipped message="([^"]*)">/.exec(junit.stdout);
    expect(skipped?.[1]).toMatch(/^accepted risk: Clinicians review .*; expires 2027-04-01; ticket: SEC-112$/);
    const csv = parse(cli(['scan', 'map', ...AS_OF, '--format', 'csv'], { cwd: dir }).stdout, { columns: true }) as Record<string, string>[];
    const row = csv.find((r) => r.id === 'automatic-logoff@review-app')!;
    expect([row.accepted, row.accepted_expires, row.accepted_ticket]).toEqual(['yes', '2027-04-01', 'SEC-112']);
    expect(csv.filter((r) => r.accepted === 'yes')).toHaveLength(1);
  }, 300_000);
});
