/** JUnit XML: read back by a standard XML parser, a test case per rule and target, failures, skips and escaping. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { afterAll, describe, expect, it } from 'vitest';
import { escapeXml } from '../src/format/junit.js';
import { cli } from './support/cli.js';

const AS_OF = ['--as-of', '2026-11-22'];
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

interface TestCase {
  '@_classname': string;
  '@_name': string;
  '@_file'?: string;
  '@_line'?: string;
  failure?: { '@_message': string; '@_type': string; '#text': string };
  skipped?: { '@_message': string };
  error?: { '@_message': string };
}
interface Suite {
  '@_name': string;
  '@_tests': string;
  '@_failures': string;
  '@_skipped': string;
  properties: { property: { '@_name': string; '@_value': string }[] };
  testcase?: TestCase[];
}
const parser = new XMLParser({ ignoreAttributes: false, isArray: (name) => name === 'testsuite' || name === 'testcase' || name === 'property' });

function junit(args: string[], options: { cwd?: string; status?: number } = {}): { testsuites: { testsuite: Suite[] } & Record<string, string> } {
  const r = cli(['scan', ...args, '--format', 'junit'], options);
  expect(r.status, r.stderr).toBe(options.status ?? 1);
  expect(XMLValidator.validate(r.stdout)).toBe(true);
  return parser.parse(r.stdout);
}

describe('JUnit XML', () => {
  it('has a suite per rule, a failing test case per finding and the passes counted', () => {
    const json = JSON.parse(cli(['scan', 'fixtures/example', ...AS_OF, '--format', 'json']).stdout) as {
      rules: Record<string, unknown>;
      findings: {
        id: string;
        rule: string;
        target: string;
        severity: string;
        status: string;
        folded_under?: string;
        location: { file: string; line: number };
      }[];
    };
    const doc = junit(['fixtures/example', ...AS_OF]);
    const suites = doc.testsuites.testsuite;
    expect(suites.length).toBeGreaterThan(30);
    const cases = suites.flatMap((s) => s.testcase ?? []);
    const findings = cases.filter((c) => c.failure !== undefined || c.skipped !== undefined);
    expect(findings).toHaveLength(json.findings.length);
    for (const f of json.findings) {
      const c = cases.find((x) => x['@_classname'] === f.rule && x['@_name'] === f.target)!;
      expect(c['@_file']).toBe(f.location.file);
      expect(Number(c['@_line'])).toBe(f.location.line);
      if (f.folded_under !== undefined) expect(c.skipped!['@_message']).toContain(f.folded_under);
      else expect(c.failure!['@_type']).toBe(`${f.severity}${f.status === 'unknown' ? '/unknown' : ''}`);
    }
    const access = suites.find((s) => s['@_name'] === 'access-control')!;
    const passed = Number(access.properties.property.find((p) => p['@_name'] === 'passed')!['@_value']);
    expect(passed).toBeGreaterThan(0);
    expect(access.testcase!.some((c) => c['@_name'] === `${passed} targets pass` && c.failure === undefined && c.skipped === undefined)).toBe(true);
    const total = suites.reduce((n, s) => n + Number(s['@_failures']), 0);
    expect(Number(doc.testsuites['@_failures'])).toBe(total);
    expect(total).toBe(json.findings.filter((f) => f.folded_under === undefined).length);
  }, 120_000);

  it('keeps hostile text well-formed: markup escaped, control characters shown, no illegal XML character', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'phi-audit-junit-'));
    dirs.push(dir);
    writeFileSync(path.join(dir, 'phi-map.yaml'), 'version: 1\nsystem: "a<b>&\\"c\\u0001\\u001b[31m"\nstores:\n  db: { data: [phi] }\n');
    const doc = junit(['phi-map.yaml', ...AS_OF], { cwd: dir });
    expect(doc.testsuites['@_name']).toBe('phi-audit: a<b>&"c\\x01\\x1b[31m');
    expect(escapeXml('x\u0000y\ufffe\ud800z')).toBe('x\\x00y\\ufffe\\ud800z');
    expect(escapeXml('<a href="x">&\'')).toBe('&lt;a href=&quot;x&quot;&gt;&amp;&apos;');
  }, 120_000);

  it('on exit 2, a JUnit file with each problem as an error at its place', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'phi-audit-junit-'));
    dirs.push(dir);
    writeFileSync(path.join(dir, 'phi-map.yaml'), 'version: 1\nsystem: s\nstores:\n  db: { data: [phi] }\nflows:\n  - { from: db, to: nowhere }\n');
    const r = cli(['scan', '--format', 'junit=out.xml'], { cwd: dir });
    expect(r.status).toBe(2);
    const text = readFileSync(path.join(dir, 'out.xml'), 'utf8');
    expect(XMLValidator.validate(text)).toBe(true);
    const doc = parser.parse(text) as { testsuites: { testsuite: Suite[] } & Record<string, string> };
    expect(doc.testsuites['@_errors']).toBe('1');
    const c = doc.testsuites.testsuite[0]!.testcase![0]!;
    expect(c['@_name']).toMatch(/^phi-map\.yaml:6:\d+$/);
    expect(c.error!['@_message']).toMatch(/nowhere/);
  }, 120_000);
});
