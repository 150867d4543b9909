/** The safeguard matrix (report/matrix.ts): row statuses, counts, order, and the rows of the bundled example. */
import { describe, expect, it, vi } from 'vitest';
import { compareSections, type MatrixInput, rulePart, safeguardMatrix } from '../src/report/matrix.js';
import { reportFor } from './support/audit.js';

// Each case runs the CLI once or more, as a process: slow on a busy machine.
vi.setConfig({ testTimeout: 60_000 });

const cite = (section: string, implementation = 'standard', standard = `std ${section}`) => ({
  text: `45 CFR ${section}`,
  section,
  standard,
  implementation,
});

function input(over: Partial<MatrixInput>): MatrixInput {
  return { rules: [], findings: [], outcomes: {}, ...over };
}

describe('safeguardMatrix', () => {
  it('gives each cited provision one row, with the rules that cite it', () => {
    const rows = safeguardMatrix(
      input({
        rules: [
          { id: 'r1', cite: [cite('164.312(a)(1)'), cite('164.312(b)')] },
          { id: 'r2', cite: [cite('164.312(b)')] },
        ],
        outcomes: { r1: { pass: 2, fail: 0, unknown: 0 }, r2: { pass: 1, fail: 0, unknown: 0 } },
      }),
    );
    expect(rows.map((r) => [r.section, r.rules, r.status, r.checked, r.passed])).toEqual([
      ['164.312(a)(1)', ['r1'], 'pass', 2, 2],
      ['164.312(b)', ['r1', 'r2'], 'pass', 3, 3],
    ]);
    expect(rows[0]!.family).toBe('technical');
    expect(rows[0]!.part).toBe('security');
  });

  it('fails a row with an open failing finding, over unknown and accepted ones', () => {
    const rows = safeguardMatrix(
      input({
        rules: [{ id: 'r', cite: [cite('164.312(a)(2)(iv)', 'addressable')] }],
        findings: [
          { id: 'r@a', rule: 'r', status: 'unknown' },
          { id: 'r@b', rule: 'r', status: 'fail' },
          { id: 'r@c', rule: 'r', status: 'fail', accepted: { alternative: 'OS lock' } },
        ],
        outcomes: { r: { pass: 1, fail: 2, unknown: 1 } },
      }),
    );
    expect(rows[0]).toMatchObject({
      status: 'fail',
      failed: 1,
      unknown: 1,
      accepted: 1,
      findings: ['r@a', 'r@b'],
      acceptedFindings: ['r@c'],
      alternatives: [{ finding: 'r@c', alternative: 'OS lock' }],
    });
  });

  it('is unknown when nothing fails and a fact could not be established', () => {
    const rows = safeguardMatrix(
      input({
        rules: [{ id: 'r', cite: [cite('164.312(d)')] }],
        findings: [{ id: 'r@a', rule: 'r', status: 'unknown' }],
        outcomes: { r: { pass: 0, fail: 0, unknown: 1 } },
      }),
    );
    expect(rows[0]!.status).toBe('unknown');
  });

  it('is accepted when every finding is accepted, including one folded under an accepted root cause', () => {
    const rows = safeguardMatrix(
      input({
        rules: [
          { id: 'root', cite: [cite('164.310(d)(1)')] },
          { id: 'leaf', cite: [cite('164.312(a)(2)(iv)', 'addressable')] },
        ],
        findings: [
          { id: 'root@x', rule: 'root', status: 'fail', accepted: {} },
          { id: 'leaf@x', rule: 'leaf', status: 'fail', folded_under: 'root@x' },
        ],
        outcomes: { root: { pass: 0, fail: 1, unknown: 0 }, leaf: { pass: 0, fail: 1, unknown: 0 } },
      }),
    );
    expect(rows.map((r) => [r.section, r.status, r.accepted, r.folded])).toEqual([
      ['164.310(d)(1)', 'accepted', 1, 0],
      ['164.312(a)(2)(iv)', 'accepted', 0, 0],
    ]);
  });

  it('keeps a row with only a folded finding from passing, and does not count the folded finding', () => {
    const rows = safeguardMatrix(
      input({
        rules: [{ id: 'leaf', cite: [cite('164.312(a)(2)(iv)', 'addressable')] }],
        findings: [{ id: 'leaf@x', rule: 'leaf', status: 'fail', folded_under: 'root@x' }],
        outcomes: { leaf: { pass: 5, fail: 1, unknown: 0 } },
      }),
    );
    expect(rows[0]).toMatchObject({ status: 'fail', failed: 0, folded: 1, findings: [] });
  });

  it('says not-applicable, never pass, where no rule judged anything', () => {
    const rows = safeguardMatrix(
      input({
        rules: [
          { id: 'r', cite: [cite('164.514(e)(4)', 'implementation-specification')] },
          { id: 'q', cite: [cite('164.312(e)(1)')] },
        ],
      }),
    );
    expect(rows.map((r) => [r.section, r.status, r.part])).toEqual([
      ['164.312(e)(1)', 'not-applicable', 'security'],
      ['164.514(e)(4)', 'not-applicable', 'privacy'],
    ]);
  });

  it('orders Security Rule rows by section (roman numerals by value), then breach, privacy, general', () => {
    const sections = [
      '164.502(b)',
      '160.103',
      '164.404',
      '164.308(a)(1)(ii)(D)',
      '164.308(a)(1)(ii)(A)',
      '164.312(a)(2)(ix)',
      '164.312(a)(2)(iv)',
      '164.308(b)(1)',
    ];
    const rows = safeguardMatrix(input({ rules: sections.map((s, i) => ({ id: `r${i}`, cite: [cite(s)] })) }));
    expect(rows.map((r) => r.section)).toEqual([
      '164.308(a)(1)(ii)(A)',
      '164.308(a)(1)(ii)(D)',
      '164.308(b)(1)',
      '164.312(a)(2)(iv)',
      '164.312(a)(2)(ix)',
      '164.404',
      '164.502(b)',
      '160.103',
    ]);
    expect(compareSections('164.312(a)(2)(iii)', '164.312(a)(2)(iv)')).toBeLessThan(0);
    expect(rulePart('164.316(b)(2)(iii)')).toBe('security');
    expect(rulePart('164.410(b)(1)')).toBe('breach');
    expect(rulePart('160.103')).toBe('general');
  });

  it('gives the bundled example a row per provision the pack cites, with its findings', async () => {
    const report = await reportFor(['fixtures/example'], { asOf: '2026-11-22' });
    const rows = report.matrix;
    const cited = new Set(report.rules.flatMap((r) => r.cite.map((c) => c.text)));
    expect(rows.map((r) => r.citation).sort()).toEqual([...cited].sort());
    const security = rows.filter((r) => r.part === 'security');
    expect(security.length).toBeGreaterThanOrEqual(25);
    for (const r of security) expect(['standard', 'required', 'addressable']).toContain(r.implementation);
    // Every open finding is counted under each provision its rule cites.
    for (const f of report.findings) {
      if (f.folded_under !== undefined || f.accepted !== undefined) continue;
      for (const c of f.cite) expect(rows.find((r) => r.citation === c)!.findings).toContain(f.id);
    }
    const byCite = new Map(rows.map((r) => [r.section, r]));
    // ds-laptop has no encryption (a fail); the limited-data-set rule applies to nothing in the example.
    expect(byCite.get('164.312(a)(2)(iv)')!.status).toBe('fail');
    expect(byCite.get('164.514(e)(4)')!.status).toBe('not-applicable');
    for (const r of rows) if (r.status === 'pass') expect(r.failed + r.unknown + r.folded).toBe(0);
  });
});
