/** CLI scenarios as real processes: command, exit status, stdout, stderr. */

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, cli, ROOT, STACK_TRACE } from './support/cli.js';

const AS_OF = ['--as-of', '2026-11-22'];
const EXAMPLE = 'fixtures/example';
// biome-ignore lint/suspicious/noControlCharactersInRegex: the escape character is what this test looks for
const ANSI = /\u001b\[/;

function tmp(): string {
  return mkdtempSync(path.join(tmpdir(), 'phi-audit-cli-'));
}

describe('phi-audit scan on the bundled example', () => {
  it('prints findings grouped by target with citations, PHI paths and positions, and exits 1', () => {
    const r = cli(['scan', EXAMPLE, ...AS_OF]);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/PHI path: \S+( → \S+)+/);
    expect(r.stdout).toMatch(/45 CFR 164\.312\(a\)\(2\)\(iv\)/);
    expect(r.stdout).toMatch(/fixtures\/example\/\S+\.ya?ml:\d+:\d+/);
    expect(r.stdout).toMatch(/fix: /);
    expect(r.stdout).toMatch(/^\d+ findings \(.*critical.*\) from \d+ rules\.$/m);
    expect(r.stdout).toMatch(/at or above --fail-on high: exit code 1\.$/m);
    expect(r.stdout).not.toMatch(ANSI);
  });

  it('writes the JSON contract: tool, as_of, summary, findings with every field', () => {
    const r = cli(['scan', EXAMPLE, ...AS_OF, '--format', 'json']);
    expect(r.status).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out.tool).toEqual({ name: 'phi-audit', version: expect.stringMatching(/^\d+\.\d+\.\d+/) });
    expect(out.as_of).toBe('2026-11-22');
    // Findings folded under a root cause are listed but not counted.
    expect(out.summary.findings + out.summary.folded).toBe(out.findings.length);
    expect(out.findings.filter((f: { folded_under?: string }) => f.folded_under !== undefined).length).toBe(out.summary.folded);
    expect(out.summary.nodes).toBeGreaterThanOrEqual(25);
    expect(out.summary.flows).toBeGreaterThanOrEqual(40);
    for (const f of out.findings) {
      expect(f.id).toBe(`${f.rule}@${f.target}`);
      expect(['critical', 'high', 'medium', 'low', 'info']).toContain(f.severity);
      expect(['fail', 'unknown']).toContain(f.status);
      expect(f.cite.length).toBeGreaterThan(0);
      expect(typeof f.message).toBe('string');
      expect(Array.isArray(f.path)).toBe(true);
      expect(f.location).toEqual({ file: expect.stringMatching(/^fixtures\/example\//), line: expect.any(Number), column: expect.any(Number) });
    }
    const ids = out.findings.map((f: { id: string }) => f.id);
    expect(new Set(ids).size).toBe(ids.length);
    // The example's deliberate gaps are found.
    const rulesFound = new Set(out.findings.map((f: { rule: string }) => f.rule));
    for (const rule of ['baa-signed', 'device-media-controls', 'environment-isolation', 'deidentification-method', 'transmission-tls', 'telemetry-phi']) {
      expect(rulesFound, rule).toContain(rule);
    }
  });

  it('is deterministic: two runs give byte-identical JSON', () => {
    const a = cli(['scan', EXAMPLE, ...AS_OF, '--format', 'json']);
    const b = cli(['scan', EXAMPLE, ...AS_OF, '--format', 'json']);
    expect(a.stdout).toBe(b.stdout);
  });

  it('--fail-on sets the threshold: none never fails, critical fails on the example', () => {
    expect(cli(['scan', EXAMPLE, ...AS_OF, '--fail-on', 'none']).status).toBe(0);
    expect(cli(['scan', EXAMPLE, ...AS_OF, '--fail-on', 'critical']).status).toBe(1);
  });

  it('--as-of moves BAA expiry: a later date expires more agreements', () => {
    const count = (date: string) =>
      JSON.parse(cli(['scan', EXAMPLE, '--as-of', date, '--format', 'json']).stdout).findings.filter((f: { rule: string }) => f.rule === 'baa-signed').length;
    expect(count('2040-01-01')).toBeGreaterThan(count('2026-11-22'));
  });

  it('writes SARIF 2.1.0 for code scanning', () => {
    const r = cli(['scan', EXAMPLE, ...AS_OF, '--format', 'sarif']);
    expect(r.status).toBe(1);
    const sarif = JSON.parse(r.stdout);
    expect(sarif.version).toBe('2.1.0');
    const run = sarif.runs[0];
    expect(run.tool.driver.name).toBe('phi-audit');
    expect(run.results.length).toBeGreaterThan(0);
    const ruleIds = run.tool.driver.rules.map((x: { id: string }) => x.id);
    for (const res of run.results) {
      expect(ruleIds[res.ruleIndex]).toBe(res.ruleId);
      expect(['error', 'warning', 'note']).toContain(res.level);
      expect(res.locations[0].physicalLocation.region.startLine).toBeGreaterThan(0);
      // Alerts follow the finding, not the line: the hash is of the finding id.
      expect(res.partialFingerprints.primaryLocationLineHash).toMatch(/^[0-9a-f]{16}:1$/);
    }
  });

  it('writes a markdown gap report: summary, safeguard matrix by citation, BAA register, inventory, findings', () => {
    const r = cli(['scan', EXAMPLE, ...AS_OF, '--format', 'markdown', '--fail-on', 'none']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^# PHI gap report/);
    const headings = r.stdout.split('\n').filter((l) => l.startsWith('## '));
    expect(headings.slice(0, 5)).toEqual(['## Summary', '## Safeguard matrix', '## BAA register', '## PHI inventory', '## Findings']);
    expect(r.stdout).toMatch(/^\| 164\.312\(a\)\(2\)\(iv\) \| Encryption and decryption \| addressable \| \*\*fail\*\* \| 7 /m);
    expect(r.stdout).toMatch(/^\| 164\.310\(d\)\(1\) \| Device and media controls \| standard \| \*\*fail\*\* \| 1 \|/m);
    expect(r.stdout).toMatch(/^\| Severity \| Status \| Rule \| Target \|/m);
  });

  it('--output writes the report to a file and says so on stderr', () => {
    const dir = tmp();
    const file = path.join(dir, 'report.json');
    const r = cli(['scan', EXAMPLE, ...AS_OF, '--format', 'json', '--output', file]);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/written to /);
    expect(JSON.parse(readFileSync(file, 'utf8')).findings.length).toBeGreaterThan(0);
  });

  it('never writes a report or the schema over a map file', () => {
    const dir = tmp();
    expect(cli(['init'], { cwd: dir }).status).toBe(0);
    const map = path.join(dir, 'phi-map.yaml');
    const before = readFileSync(map, 'utf8');
    const scan = cli(['scan', '--format', 'json', '--output', 'phi-map.yaml'], { cwd: dir });
    expect(scan.status).toBe(2);
    expect(scan.stderr).toContain('--output would overwrite the map file phi-map.yaml');
    const schema = cli(['schema', '--output', 'phi-map.yaml'], { cwd: dir });
    expect(schema.status).toBe(2);
    expect(readFileSync(map, 'utf8')).toBe(before);
  });

  it('colours only when asked: FORCE_COLOR on, NO_COLOR off', () => {
    expect(cli(['scan', EXAMPLE, ...AS_OF], { env: { FORCE_COLOR: '1' } }).stdout).toMatch(ANSI);
    expect(cli(['scan', EXAMPLE, ...AS_OF], { env: { FORCE_COLOR: '1', NO_COLOR: '1' } }).stdout).not.toMatch(ANSI);
    expect(cli(['scan', EXAMPLE, ...AS_OF, '--no-color'], { env: { FORCE_COLOR: '1' } }).stdout).not.toMatch(ANSI);
  });
});

describe('exit codes and clean errors', () => {
  it('0 on a map whose PHI paths all have their safeguards (the init starter)', () => {
    const dir = tmp();
    expect(cli(['init'], { cwd: dir }).status).toBe(0);
    const r = cli(['scan', ...AS_OF, '--fail-on', 'info'], { cwd: dir });
    expect(r.stdout).toMatch(/No findings/);
    expect(r.status).toBe(0);
  });

  it('2 with file:line:column on a broken map, every error at once, no stack trace', () => {
    const dir = tmp();
    writeFileSync(
      path.join(dir, 'phi-map.yaml'),
      ['version: 1', 'stores:', '  db:', '    kind: databse', '    encripton: {}', 'flows:', '  - { from: db, to: nowhere }', ''].join('\n'),
    );
    const r = cli(['scan', ...AS_OF], { cwd: dir });
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).not.toMatch(STACK_TRACE);
    expect(r.stderr).toContain('phi-map.yaml:4:11: stores.db.kind is the text "databse"');
    expect(r.stderr).toContain('phi-map.yaml:5:5: unknown key "encripton" in stores.db: did you mean "encryption"?');
    expect(r.stderr).toMatch(/2 problems to fix/);
  });

  it('2 when no map is found, pointing at init', () => {
    const r = cli(['scan'], { cwd: tmp() });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/no PHI map found.*phi-audit init/);
  });

  it('2 for a path that does not exist', () => {
    const r = cli(['scan', 'no/such/map.yaml']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('no/such/map.yaml: no such file or folder');
  });

  it('2 for bad command-line values', () => {
    const bad = [
      ['scan', EXAMPLE, '--format', 'xml'],
      ['scan', EXAMPLE, '--fail-on', 'severe'],
      ['scan', EXAMPLE, '--as-of', '2026-13-01'],
      ['scan', EXAMPLE, '--bogus'],
      ['frobnicate'],
    ];
    for (const args of bad) {
      const r = cli(args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr.length, args.join(' ')).toBeGreaterThan(0);
      expect(r.stderr).not.toMatch(STACK_TRACE);
    }
    expect(cli(['scan', EXAMPLE, '--as-of', '2026-13-01']).stderr).toContain('"2026-13-01" is not a date');
  });

  it('stops quietly when the reader closes the pipe early (`| head`; the SARIF report is larger than a pipe buffer)', () => {
    const r = spawnSync('sh', ['-c', `"${process.execPath}" "${CLI}" scan ${EXAMPLE} --format sarif --as-of 2026-11-22 | head -c 20`], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(r.stdout).toHaveLength(20);
    expect(r.stderr).toBe('');
  });

  it('0 for --help and --version', () => {
    expect(cli(['--help']).status).toBe(0);
    const v = cli(['--version']);
    expect(v.status).toBe(0);
    expect(v.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });
});

describe('phi-audit validate', () => {
  it('accepts the example and reports its size', () => {
    const r = cli(['validate', EXAMPLE]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^ok: \d+ files, \d+ nodes, \d+ flows; PHI reaches \d+ nodes$/m);
  });
});

describe('map discovery', () => {
  it('finds phi-map.yaml and *.phi.yaml below, skipping node_modules and git-ignored folders', () => {
    const dir = tmp();
    const write = (rel: string, text: string) => {
      mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
      writeFileSync(path.join(dir, rel), text);
    };
    write('phi-map.yaml', 'version: 1\nservices:\n  api: { data: [phi] }\n');
    write('teams/billing.phi.yaml', 'version: 1\nstores:\n  ledger: { kind: database }\nflows:\n  - { from: api, to: ledger, tls: "1.3" }\n');
    write('node_modules/pkg/x.phi.yaml', 'version: 2\n');
    write('scratch/y.phi.yml', 'this is: [not valid\n');
    write('.gitignore', 'scratch/\n');
    const r = cli(['validate'], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^ok: 2 files, 2 nodes, 1 flows; PHI reaches 2 nodes$/m);
  });

  it('accepts globs', () => {
    const r = cli(['validate', 'fixtures/example/**/*.yaml']);
    expect(r.status).toBe(0);
  });
});

describe('phi-audit rules', () => {
  it('lists every rule with severity and citation', () => {
    const r = cli(['rules']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^encryption-at-rest\s+high\s+45 CFR 164\.312\(a\)\(2\)\(iv\)/m);
  });

  it("shows one rule's documentation", () => {
    const r = cli(['rules', 'transmission-tls']);
    expect(r.status).toBe(0);
    for (const heading of ['Severity:', 'Citations:', 'Applies to:', 'Check:', 'Why:', 'Fix:']) expect(r.stdout).toContain(heading);
    expect(r.stdout).toMatch(/^Accepting: +a map's accepted: entry may accept/m);
  });

  it('says when a rule is not acceptable', () => {
    const r = cli(['rules', 'baa-signed']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^Accepting: +not acceptable: a map's accepted: entry may not accept its findings/m);
  });

  it('suggests the closest id for a typo, exit 2', () => {
    const r = cli(['rules', 'transmision-tls']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('did you mean "transmission-tls"?');
  });

  it('lists the check functions', () => {
    expect(cli(['rules', '--functions']).stdout).toMatch(/^baa-in-force\s+vendor/m);
  });
});

describe('--rules DIR: a team adds its own rules', () => {
  it('runs the team rule beside the built-in ones', () => {
    const dir = tmp();
    writeFileSync(
      path.join(dir, 'no-phi-in-metrics.yaml'),
      [
        'id: no-phi-in-metrics',
        'title: Metrics never carry PHI',
        'severity: high',
        'cite:',
        '  - { section: 164.502(b), standard: Minimum necessary, implementation: standard }',
        'rationale: Metrics are exported to dashboards that every engineer can read, and are kept for years.',
        'remediation: Aggregate before exporting, and label metrics only with de-identified dimensions.',
        'applies_to: { targets: [log], kinds: [metrics], phi: any }',
        'check: { function: phi-absent }',
        'message: "PHI ({classes}) reaches metrics log {target}."',
        '',
      ].join('\n'),
    );
    const map = path.join(tmp(), 'map.yaml');
    writeFileSync(
      map,
      [
        'version: 1',
        'services:',
        '  api: { data: [phi] }',
        'logs:',
        '  usage-metrics: { kind: metrics }',
        'flows:',
        '  - { from: api, to: usage-metrics, tls: "1.3" }',
        '',
      ].join('\n'),
    );
    const r = cli(['scan', map, '--rules', dir, ...AS_OF, '--format', 'json']);
    expect(r.stderr).toBe('');
    const found = JSON.parse(r.stdout).findings.filter((f: { rule: string }) => f.rule === 'no-phi-in-metrics');
    expect(found).toHaveLength(1);
    expect(found[0].id).toBe('no-phi-in-metrics@usage-metrics');
    expect(found[0].path).toEqual(['api', 'usage-metrics']);
    expect(found[0].message).toBe('PHI (phi) reaches metrics log usage-metrics.');
  });
});

describe('phi-audit init', () => {
  it('writes a starter map that validates, and never overwrites', () => {
    const dir = tmp();
    const r = cli(['init'], { cwd: dir });
    expect(r.status).toBe(0);
    const file = path.join(dir, 'phi-map.yaml');
    expect(existsSync(file)).toBe(true);
    // The schema the starter's yaml-language-server line names is written beside it.
    expect(readFileSync(file, 'utf8')).toContain('# yaml-language-server: $schema=./phi-map.schema.json');
    expect(JSON.parse(readFileSync(path.join(dir, 'phi-map.schema.json'), 'utf8')).properties.flows).toBeDefined();
    expect(cli(['validate'], { cwd: dir }).status).toBe(0);
    writeFileSync(file, 'version: 1\n# my own work\n');
    const again = cli(['init'], { cwd: dir });
    expect(again.status).toBe(2);
    expect(again.stderr).toMatch(/already exists/);
    expect(readFileSync(file, 'utf8')).toBe('version: 1\n# my own work\n');
  });
});

describe('phi-audit schema', () => {
  it('prints a JSON Schema generated from the map schema', () => {
    const r = cli(['schema']);
    expect(r.status).toBe(0);
    const schema = JSON.parse(r.stdout);
    expect(schema.$schema).toMatch(/json-schema\.org/);
    expect(Object.keys(schema.properties)).toEqual(
      expect.arrayContaining(['version', 'system', 'data_classes', 'environments', 'vendors', 'services', 'stores', 'logs', 'flows']),
    );
    expect(schema.additionalProperties).toBe(false);
    const store = schema.properties.stores.additionalProperties;
    expect(store.properties.kind.enum).toContain('dead-letter-queue');
  });
});

describe('library entry', () => {
  it('is importable from the package exports without the CLI', async () => {
    const lib = await import(path.join(ROOT, 'dist', 'index.js'));
    const result = await lib.audit({ paths: [EXAMPLE], cwd: ROOT, asOf: '2026-11-22' });
    expect(result.ok).toBe(true);
    expect(result.report.findings.length).toBeGreaterThan(0);
    const json = JSON.parse(await lib.formatToString('json', result.report, { color: false }));
    expect(json.findings).toHaveLength(result.report.findings.length);
    // The same pipeline as the CLI: the same report, byte for byte.
    expect(`${JSON.stringify(json, null, 2)}`).toBe(JSON.stringify(JSON.parse(cli(['scan', EXAMPLE, ...AS_OF, '--format', 'json']).stdout), null, 2));
  });
});
