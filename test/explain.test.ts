/** `phi-audit explain`: one finding taken apart, on the bundled example; the change it proposes really clears it. */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { cli, ROOT, STACK_TRACE } from './support/cli.js';

vi.setConfig({ testTimeout: 120_000 });

const EXAMPLE = 'fixtures/example';
const AS_OF = ['--as-of', '2026-11-22'];

interface Hop {
  node: string;
  type?: string;
  location?: string;
  via?: { kind: string; flow?: string; on?: string; location?: string; declared_data?: string[]; carries_phi?: string[] };
  origin_data?: string[];
}
interface Explanation {
  finding: { id: string; phiPath: string[]; location: { file: string; line: number; column: number } };
  rule: { id: string; rationale: string; cite: { text: string }[] };
  path: Hop[];
  facts: { subject: string; field: string; provenance: string; source?: string }[];
  changes: { change: string; location?: string }[];
}

const explainJson = (id: string, cwd = ROOT, paths = [EXAMPLE]): Explanation => {
  const r = cli(['explain', id, ...paths, ...AS_OF, '--format', 'json'], { cwd });
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
};

/** A copy of the example to change. */
function exampleCopy(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'phi-explain-'));
  cpSync(path.join(ROOT, EXAMPLE), dir, { recursive: true });
  return dir;
}

const findingIds = (cwd: string): string[] => {
  const r = cli(['scan', '.', ...AS_OF, '--format', 'json'], { cwd });
  return JSON.parse(r.stdout).findings.map((f: { id: string }) => f.id);
};

/** `file:line:col` → [file, line, col]. */
const parseLocation = (loc: string): [string, number, number] => {
  const m = /^(.*):(\d+):(\d+)$/.exec(loc)!;
  return [m[1]!, Number(m[2]), Number(m[3])];
};

describe('phi-audit explain', () => {
  it('gives the rule, its citations, the PHI path hop by hop, the facts read and the change, as text', () => {
    const r = cli(['explain', 'encryption-at-rest@debug-log', EXAMPLE, ...AS_OF]);
    expect(r.status, r.stderr).toBe(0);
    const out = r.stdout;
    expect(out).toMatch(/^encryption-at-rest@debug-log {2}HIGH \(not established\) {2}PHI at rest is encrypted/);
    expect(out).toContain('log debug-log at fixtures/example/services/summarizer.phi.yaml:141:3');
    expect(out).toMatch(/Why it matters\n {2}Encryption at rest is an addressable specification/);
    expect(out).toContain('45 CFR 164.312(a)(2)(iv)  Encryption and decryption (addressable)');
    expect(out).toContain('1. northbay-health (vendor)  fixtures/example/northbay.phi.yaml:');
    expect(out).toContain('PHI starts here: data [phi, clinical-notes]');
    expect(out).toMatch(/via flow northbay-health->notes-intake at fixtures\/example\/services\/summarizer\.phi\.yaml:\d+:5: declares data \[clinical-notes\]/);
    expect(out).toMatch(
      /4\. debug-log \(log\) {2}fixtures\/example\/services\/summarizer\.phi\.yaml:141:3\n\s+via flow summarizer->debug-log \(on: debug\) at .*: declares no data: carries everything its source holds; carries PHI \[clinical-notes\]/,
    );
    expect(out).toContain('debug-log encryption.at_rest: undeclared, from fixtures/example/services/summarizer.phi.yaml:141:3');
    expect(out).toContain('set `encryption: { at_rest: aes-256 }` (or aes-128, aes-192) on log debug-log (encryption.at_rest is not declared)');
    expect(out).toMatch(/or stop the PHI on flow summarizer->debug-log: .*\n\s+at fixtures\/example\/services\/summarizer\.phi\.yaml:\d+:5/);
  });

  it('locates each hop where the map declares it, and each flow with the data it declares', () => {
    const e = explainJson('encryption-at-rest@debug-log');
    expect(e.path.map((h) => h.node)).toEqual(e.finding.phiPath);
    expect(e.path.length).toBe(4);
    expect(e.path.at(-1)!.location).toBe('fixtures/example/services/summarizer.phi.yaml:141:3');
    for (const [i, hop] of e.path.entries()) {
      // Each location names the line where that node's key (or that flow's item) is written.
      const [file, line, col] = parseLocation(hop.location!);
      const text = readFileSync(path.join(ROOT, file), 'utf8').split('\n')[line - 1]!;
      expect(text.slice(col - 1), hop.node).toMatch(new RegExp(`^${hop.node}:`));
      if (i === 0) continue;
      expect(hop.via?.kind).toBe('flow');
      const [ffile, fline] = parseLocation(hop.via!.location!);
      const flowLines = readFileSync(path.join(ROOT, ffile), 'utf8')
        .split('\n')
        .slice(fline - 1, fline + 8)
        .join('\n');
      expect(flowLines).toContain(`from: ${e.path[i - 1]!.node}`);
      expect(flowLines).toContain(`to: ${hop.node}`);
    }
    expect(e.path[1]!.via!.declared_data).toEqual(['clinical-notes']);
    expect(e.path[3]!.via!.declared_data).toBeUndefined();
    expect(e.path[3]!.via!.on).toBe('debug');
    expect(e.rule.cite.map((c) => c.text)).toEqual(['45 CFR 164.312(a)(2)(iv)']);
    expect(e.facts).toEqual([expect.objectContaining({ subject: 'debug-log', field: 'encryption.at_rest', provenance: 'undeclared' })]);
  });

  it('proposes a change that clears the finding when applied to the map', () => {
    const dir = exampleCopy();
    expect(findingIds(dir)).toContain('encryption-at-rest@debug-log');
    const e = explainJson('encryption-at-rest@debug-log', dir, ['.']);
    const change = e.changes[0]!;
    expect(change.change).toMatch(/^set `encryption: \{ at_rest: aes-256 \}`/);
    // Applied as written, under the node at the location given.
    const [file, line, col] = parseLocation(change.location!);
    const lines = readFileSync(path.join(dir, file), 'utf8').split('\n');
    lines.splice(line, 0, `${' '.repeat(col + 1)}encryption: { at_rest: aes-256 }`);
    writeFileSync(path.join(dir, file), lines.join('\n'));
    const after = findingIds(dir);
    expect(after).not.toContain('encryption-at-rest@debug-log');
    expect(after).toContain('unique-user-ids@debug-log'); // nothing else changed
  });

  it('points at the field itself when the map declares it, for a flow finding', () => {
    const dir = exampleCopy();
    const e = explainJson('transmission-tls@adt-mercy-valley', dir, ['.']);
    expect(e.path.at(-1)!.node).toBe('ehr-ingest');
    const change = e.changes[0]!;
    expect(change.change).toBe('set `tls: "1.3"` (or "1.2") on flow adt-mercy-valley (it is "1.0" now)');
    const [file, line, col] = parseLocation(change.location!);
    const lines = readFileSync(path.join(dir, file), 'utf8').split('\n');
    expect(lines[line - 1]!.slice(col - 1)).toBe('tls: "1.0"');
    lines[line - 1] = `${lines[line - 1]!.slice(0, col - 1)}tls: "1.3"`;
    writeFileSync(path.join(dir, file), lines.join('\n'));
    const after = findingIds(dir);
    expect(after).not.toContain('transmission-tls@adt-mercy-valley');
    expect(after).not.toContain('breach-exposure@adt-mercy-valley');
  });

  it('for a missing BAA, says to sign and declare it, and shows how the PHI reaches the vendor', () => {
    const e = explainJson('baa-signed@sentry');
    expect(e.changes[0]!.change).toMatch(
      /set `baa: \{ status: signed, signed: YYYY-MM-DD \(on or before 2026-11-22\), document: PATH \}` on vendor sentry \(baa\.status is none now\)/,
    );
    expect(e.path.at(-1)!.via).toEqual(expect.objectContaining({ kind: 'hosting' }));
    expect(e.changes.some((c) => /stop the PHI reaching sentry through the hosting/.test(c.change))).toBe(true);
  });

  it('for PHI in telemetry, names the flow to scrub or remove', () => {
    const e = explainJson('telemetry-phi@apm-traces');
    expect(e.changes.map((c) => c.change).join('\n')).toMatch(
      /stop the PHI on flow readmission-api->apm-traces: give it `data:` without PHI classes plus `deidentify: safe-harbor`.*or remove the flow/,
    );
  });

  it('explains every finding of the example without failing, each with a change', () => {
    const ids = findingIds(path.join(ROOT, EXAMPLE));
    expect(ids.length).toBeGreaterThan(30);
    const byRule = new Map<string, string>();
    for (const id of ids) if (!byRule.has(id.split('@')[0]!)) byRule.set(id.split('@')[0]!, id);
    for (const id of byRule.values()) {
      const e = explainJson(id);
      expect(e.changes.length, id).toBeGreaterThan(0);
      expect(e.rule.rationale.length, id).toBeGreaterThan(20);
    }
  });

  it('refuses an unknown finding id with exit 2 and the closest id of this scan', () => {
    const r = cli(['explain', 'encryption-at-rest@debug-lg', EXAMPLE, ...AS_OF]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('encryption-at-rest@debug-lg: no finding with this id in this scan: did you mean "encryption-at-rest@debug-log"?\n');
    const far = cli(['explain', 'zzz', EXAMPLE, ...AS_OF]);
    expect(far.status).toBe(2);
    expect(far.stderr).toMatch(/no finding with this id in this scan: `phi-audit scan --format json` lists the finding ids/);
    expect(far.stderr).not.toMatch(STACK_TRACE);
  });

  it('finds the finding in whichever system of a repository holds it, as scan splits them', () => {
    const repo = 'fixtures/systems/repo';
    const r = cli(['explain', 'public-access@claims-db', repo]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('store claims-db at fixtures/systems/repo/billing/phi-map.yaml:');
    expect(r.stdout).toMatch(/via flow api->claims-db at fixtures\/systems\/repo\/billing\/team\/exports\.phi\.yaml:\d+:5/);
    // An id two systems share: which one is meant is not guessed.
    const both = cli(['explain', 'audit-log-declared@api', repo]);
    expect(both.status).toBe(2);
    expect(both.stderr).toMatch(
      /more than one finding has this id in this scan: each of the systems billing .*, intake .* has one: give that system's folder as the path/,
    );
    expect(cli(['explain', 'audit-log-declared@api', `${repo}/billing`]).status).toBe(0);
  });

  it('takes a rule id alone when the scan has one finding of that rule, and lists them when it has more', () => {
    const one = cli(['explain', 'model-artifact-phi', EXAMPLE, ...AS_OF]);
    expect(one.status, one.stderr).toBe(0);
    expect(one.stdout).toMatch(/^model-artifact-phi@readmission-model /);
    const many = cli(['explain', 'encryption-at-rest', EXAMPLE, ...AS_OF]);
    expect(many.status).toBe(2);
    expect(many.stderr).toMatch(/^encryption-at-rest: rule encryption-at-rest has \d+ findings in this scan: name one, e\.g\. encryption-at-rest@debug-log, /);
  });

  it('escapes user text for the terminal', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'phi-explain-esc-'));
    writeFileSync(
      path.join(dir, 'phi-map.yaml'),
      [
        'version: 1',
        'vendors:',
        '  clinic: { role: covered-entity, data: [phi], baa: { status: signed, signed: 2025-01-01 } }',
        '  aws: { role: business-associate, baa: { status: signed, signed: 2025-01-01 } }',
        'services:',
        '  api: { hosting: "aws/s3\\u001b[2Jx" }',
        'flows:',
        '  - { from: clinic, to: api, tls: "1.3" }',
        '',
      ].join('\n'),
    );
    const r = cli(['explain', 'hosting-hipaa-eligible@api'], { cwd: dir });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).not.toContain('\u001b');
    expect(r.stdout).toContain('s3\\x1b[2Jx');
  });

  it('reports a broken map as scan does: exit 2 with file:line:column', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'phi-explain-bad-'));
    writeFileSync(path.join(dir, 'phi-map.yaml'), 'version: 1\nstores:\n  db: { kind: databse }\n');
    const r = cli(['explain', 'x@db'], { cwd: dir });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('phi-map.yaml:3:');
    expect(r.stderr).not.toMatch(STACK_TRACE);
  });
});
