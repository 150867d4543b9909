/**
 * Hostile input, part one: prototype pollution and lookups by user keys, rule files that would fail open, and text
 * that would forge the output (issue 10, causes 4 to 6). Every case runs the built CLI as a process on files in a
 * temporary folder, the way CI runs it on a pull request, and checks its exit code and what it printed.
 *
 * Every run goes through a guard (`--import`, see GUARD) that snapshots Object.prototype and Array.prototype before
 * phi-audit loads and compares them when the process exits: a property added or replaced makes the run exit 99 and
 * the guard's report say what changed. A report file written at exit proves the guard ran at all.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateMapText } from '../../src/map/load.js';
import { readMapSource } from '../../src/source/read-map.js';
import { type CliResult, cli } from '../support/cli.js';

const GUARD = `
import { writeFileSync } from 'node:fs';
const watched = { 'Object.prototype': Object.prototype, 'Array.prototype': Array.prototype };
const snapshot = (o) => new Map(Reflect.ownKeys(o).map((k) => [k, Object.getOwnPropertyDescriptor(o, k)]));
const before = Object.fromEntries(Object.entries(watched).map(([name, o]) => [name, snapshot(o)]));
const same = (a, b) => a.value === b.value && a.get === b.get && a.set === b.set && a.enumerable === b.enumerable;
process.on('exit', () => {
  const changes = [];
  for (const [name, o] of Object.entries(watched)) {
    const was = before[name];
    for (const k of Reflect.ownKeys(o)) {
      const d = Object.getOwnPropertyDescriptor(o, k);
      if (!was.has(k)) changes.push(name + ': added ' + String(k));
      else if (!same(was.get(k), d)) changes.push(name + ': replaced ' + String(k));
    }
  }
  if (Object.keys(Object.prototype).length !== 0) changes.push('Object.prototype has enumerable keys');
  if (({}).polluted !== undefined) changes.push('({}).polluted is defined');
  if (Object.getPrototypeOf({}) !== Object.prototype) changes.push('{} has another prototype');
  if (process.env.PROTO_GUARD_REPORT) writeFileSync(process.env.PROTO_GUARD_REPORT, changes.length ? 'polluted: ' + changes.join('; ') : 'clean');
  if (changes.length) {
    process.stderr.write('PROTOTYPE POLLUTED: ' + changes.join('; ') + '\\n');
    process.exitCode = 99;
  }
});
`;

/** Characters that must never reach a terminal or a report raw: C0 (line breaks aside), DEL, C1, bidi controls. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are the characters the corpus hunts for.
const RAW = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/;
const ESC = '\u001b';
const RLO = '\u202e';

let tmp: string;
let guardUrl: string;
let runs = 0;

beforeAll(() => {
  tmp = mkdtempSync(path.join(tmpdir(), 'phi-audit-injection-'));
  const guard = path.join(tmp, 'prototype-guard.mjs');
  writeFileSync(guard, GUARD);
  guardUrl = pathToFileURL(guard).href;
});
afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
});

/** A fresh folder holding `files` (names relative to it). */
function folder(files: Record<string, string>): string {
  const dir = path.join(tmp, `case-${++runs}`);
  mkdirSync(dir);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

/** The CLI in `dir`, under the prototype guard; fails the test when the guard did not run or saw a change. */
function guarded(dir: string, args: string[]): CliResult {
  const report = path.join(tmp, `guard-${++runs}.txt`);
  const r = cli(args, {
    cwd: dir,
    env: { NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import ${guardUrl}`.trim(), PROTO_GUARD_REPORT: report },
  });
  let seen = 'the guard did not run';
  try {
    seen = readFileSync(report, 'utf8');
  } catch {}
  expect(seen, `prototype guard: ${r.stderr}`).toBe('clean');
  return r;
}

/** No raw control or bidi character in what the run printed. */
function printable(r: CliResult): void {
  expect(r.stdout).not.toMatch(RAW);
  expect(r.stderr).not.toMatch(RAW);
}

const AWS = `vendors:
  aws:
    role: business-associate
    retains_data: false
    baa: { status: signed, signed: 2025-01-15 }
`;

describe('the prototype guard', { timeout: 60_000 }, () => {
  it('fails a run that adds to or replaces anything on Object.prototype, and passes a clean one', () => {
    const report = path.join(tmp, 'guard-self-test.txt');
    const direct = (code: string) => {
      const r = spawnSync(process.execPath, ['--import', guardUrl, '-e', code], {
        env: { ...process.env, PROTO_GUARD_REPORT: report },
        encoding: 'utf8',
        timeout: 20_000,
      });
      return { status: r.status, stderr: r.stderr, report: readFileSync(report, 'utf8') };
    };
    const bad = direct('({}).__proto__.polluted = "yes";');
    expect(bad.status).toBe(99);
    expect(bad.report).toContain('Object.prototype: added polluted');
    expect(bad.stderr).toContain('PROTOTYPE POLLUTED');
    const merged = direct('const o = JSON.parse(\'{"__proto__": {"polluted": 1}}\'); const t = {}; for (const k in o) Object.assign(t[k], o[k]);');
    expect(merged.status).toBe(99);
    const hidden = direct('Object.defineProperty(Object.prototype, "hidden", { value: 1, enumerable: false });');
    expect(hidden.status).toBe(99);
    expect(hidden.report).toContain('added hidden');
    const replaced = direct('Object.prototype.toString = () => "x";');
    expect(replaced.status).toBe(99);
    expect(replaced.report).toContain('replaced toString');
    const array = direct('Array.prototype.includes = () => true;');
    expect(array.status).toBe(99);
    expect(array.report).toContain('Array.prototype: replaced includes');
    // Setting a plain object's own prototype is no pollution.
    const clean = direct('const o = {}; o["__proto__"] = { polluted: 1 }; process.exitCode = 0;');
    expect(clean.status).toBe(0);
    expect(clean.report).toBe('clean');
  });
});

describe('cause 4: prototype pollution and lookups by user keys', { timeout: 60_000 }, () => {
  it('refuses a top-level __proto__ section at its position, in a small map', () => {
    const dir = folder({ 'phi-map.yaml': `version: 1\n__proto__:\n  polluted: yes\nservices:\n  api: { data: [phi] }\n` });
    for (const command of ['validate', 'scan']) {
      const r = guarded(dir, [command]);
      expect(r.status).toBe(2);
      expect(r.stderr).toContain('phi-map.yaml:2:1: the key "__proto__" is not allowed');
    }
  });

  it('refuses a top-level __proto__ section in a map over 1 MB (the fast reader, in pieces)', () => {
    const stores = Array.from({ length: 36_000 }, (_, i) => `  store-${i}: { kind: database }\n`).join('');
    const text = `version: 1\nstores:\n${stores}__proto__:\n  polluted: yes\n  toString: 1\nservices:\n  api: { data: [phi] }\n`;
    expect(text.length).toBeGreaterThan(1 << 20);
    const dir = folder({ 'phi-map.yaml': text });
    const r = guarded(dir, ['validate']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`phi-map.yaml:${36_000 + 3}:1: the key "__proto__" is not allowed`);
    // In process too: the fast reader, forced into small pieces, declines; the exact path reports it.
    for (const pieceSize of [undefined, 4096]) {
      const read = readMapSource('big.yaml', text, pieceSize ? { pieceSize } : {});
      expect(read.ok).toBe(false);
      expect(Object.keys(Object.prototype)).toEqual([]);
      expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
    }
  });

  it('reads a valid map over 1 MB in pieces without touching Object.prototype', () => {
    const stores = Array.from({ length: 36_000 }, (_, i) => `  store-${i}: { kind: database }\n`).join('');
    const text = `version: 1\nstores:\n  constructor: { kind: cache }\n${stores}services:\n  api: { data: [phi] }\n`;
    const read = readMapSource('big.yaml', text, { pieceSize: 64 << 10 });
    expect(read.ok && read.fast !== undefined && read.fast.pieces > 1).toBe(true);
    const r = guarded(folder({ 'phi-map.yaml': text }), ['validate']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('36002 nodes');
  });

  it('never drops a __proto__ entry in a node section: an error at its position, in every section and nesting', () => {
    const cases: [string, string][] = [
      [`stores:\n  db: { kind: database }\n  __proto__:\n    kind: cache\n`, 'phi-map.yaml:4:3'],
      [`services:\n  "__proto__": { data: [phi] }\n`, 'phi-map.yaml:3:3'],
      [`data_classes:\n  __proto__: { phi: true }\n`, 'phi-map.yaml:3:3'],
      [`environments:\n  __proto__: { phi_allowed: true }\n`, 'phi-map.yaml:3:3'],
      [`stores:\n  db:\n    access: { __proto__: { polluted: true } }\n`, 'phi-map.yaml:4:15'],
      [`stores:\n  base: &b { __proto__: { polluted: true } }\n  db:\n    <<: *b\n`, 'phi-map.yaml:3:14'],
    ];
    for (const [body, at] of cases) {
      const r = guarded(folder({ 'phi-map.yaml': `version: 1\n${body}` }), ['validate']);
      expect(r.status, body).toBe(2);
      expect(r.stderr, body).toContain(`${at}: the key "__proto__" is not allowed`);
      // Both readers agree (the fast one declines).
      const text = `version: 1\n${body}`;
      expect(validateMapText('m.yaml', text, { fast: true })).toEqual(validateMapText('m.yaml', text, { fast: false }));
    }
  });

  it('takes constructor and friends as ordinary ids everywhere', () => {
    const map = `version: 1
data_classes:
  constructor: { phi: true }
environments:
  constructor: { phi_allowed: true }
vendors:
  constructor:
    role: business-associate
    baa: { status: signed, signed: 2025-02-01 }
    subprocessors: [tostring]
  tostring: { role: business-associate }
services:
  valueof: { hosting: constructor/constructor, data: [constructor], environment: constructor, audit_log: hasownproperty, backup: isprototypeof }
logs:
  hasownproperty: { kind: audit }
stores:
  isprototypeof: { kind: backup }
flows:
  - { from: valueof, to: constructor, data: [constructor] }
`;
    const dir = folder({ 'phi-map.yaml': map });
    const v = guarded(dir, ['validate']);
    expect(v.status, v.stderr).toBe(0);
    expect(v.stdout).toContain('5 nodes, 1 flows');
    const r = guarded(dir, ['scan', '--format', 'json', '--fail-on', 'none']);
    expect(r.status, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as { findings: { target: string; phi: string[] }[] };
    expect(report.findings.some((f) => f.target === 'constructor' && f.phi.includes('constructor'))).toBe(true);
    expect(report.findings.some((f) => f.target === 'tostring')).toBe(true);
  });

  it('does not take aws/constructor (or any inherited name) as a HIPAA-eligible service', () => {
    for (const service of ['constructor', 'tostring', '__proto__', 'hasOwnProperty']) {
      const map = `version: 1\n${AWS}services:\n  api: { hosting: "aws/${service}", data: [phi] }\n`;
      const r = guarded(folder({ 'phi-map.yaml': map }), ['scan', '--format', 'json', '--fail-on', 'none']);
      expect(r.status, r.stderr).toBe(0);
      const findings = (JSON.parse(r.stdout) as { findings: { id: string; status: string }[] }).findings;
      // A finding (fail, or unknown: the catalog does not list it), never a pass.
      expect(['fail', 'unknown'], service).toContain(findings.find((f) => f.id === 'hosting-hipaa-eligible@api')?.status);
    }
  });

  it('does not take plan: constructor as a plan that offers a BAA', () => {
    for (const plan of ['constructor', '__proto__', 'valueOf']) {
      const map = `version: 1
vendors:
  openai:
    role: business-associate
    plan: "${plan}"
    baa: { status: signed, signed: 2025-02-01 }
    retains_data: false
services:
  api: { data: [phi] }
flows:
  - { from: api, to: openai, tls: "1.3" }
`;
      const r = guarded(folder({ 'phi-map.yaml': map }), ['scan', '--format', 'json', '--fail-on', 'none']);
      expect(r.status, r.stderr).toBe(0);
      const findings = (JSON.parse(r.stdout) as { findings: { id: string; status: string; message: string }[] }).findings;
      const f = findings.find((x) => x.id === 'vendor-baa-availability@openai');
      expect(f?.status, plan).toBe('unknown');
      expect(f?.message).toContain(`no catalog entry for plan ${plan}`);
    }
  });

  it('renders {constructor} in a message as an unknown value, never a function', () => {
    const dir = folder({
      'phi-map.yaml': `version: 1\nstores:\n  db: { kind: database }\n`,
      'team/team-proto.yaml': rule('team-proto', {
        message: '"x {constructor} {__proto__} {to_string} {has_own_property} {value}"',
        check: '{ function: field-present, options: { field: encryption.at_rest } }',
      }),
    });
    const r = guarded(dir, ['scan', '--rules', 'team', '--format', 'json']);
    expect(r.status, r.stderr).toBe(1);
    const findings = (JSON.parse(r.stdout) as { findings: { rule: string; message: string }[] }).findings;
    expect(findings.find((f) => f.rule === 'team-proto')?.message).toBe(
      'x (constructor unknown) (__proto__ unknown) (to_string unknown) (has_own_property unknown) (value unknown)',
    );
    expect(r.stdout).not.toMatch(/native code|function Object|\[object/);
  });

  it('refuses a rule that checks field constructor (it would pass everywhere with missing: pass)', () => {
    for (const field of ['constructor', '__proto__', 'toString', 'encryption.constructor', 'data.length']) {
      const dir = folder({
        'phi-map.yaml': `version: 1\nstores:\n  db: { kind: database }\n`,
        'team/team-field.yaml': rule('team-field', { check: `{ function: field-equals, options: { field: "${field}", value: x, missing: pass } }` }),
      });
      const r = guarded(dir, ['scan', '--rules', 'team']);
      expect(r.status, field).toBe(2);
      expect(r.stderr).toMatch(
        new RegExp(`team/team-field\\.yaml:\\d+:\\d+: check\\.options\\.field "${field.replace(/\./g, '\\.')}" is not a field of a store`),
      );
    }
  });

  it('refuses __proto__ keys in a rule file, where zod would drop them', () => {
    const dir = folder({
      'phi-map.yaml': `version: 1\nstores:\n  db: { kind: database }\n`,
      'team/team-opts.yaml': rule('team-opts', {
        check: '{ function: field-equals, options: { field: kind, value: database, __proto__: { missing: pass } } }',
      }),
    });
    const r = guarded(dir, ['scan', '--rules', 'team']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/team\/team-opts\.yaml:\d+:\d+: the key "__proto__" is not allowed: no field or id in a rule file/);
  });
});

/** A team rule file: a critical rule on database stores, with parts replaced. */
function rule(
  id: string,
  parts: { targets?: string; kinds?: string; exclude?: string; check?: string; when?: string; severity?: string; message?: string; extra?: string } = {},
): string {
  return `id: ${id}
title: Team databases are encrypted
severity: ${parts.severity ?? 'critical'}
cite:
  - section: 164.312(a)(2)(iv)
    standard: Encryption and decryption
    implementation: addressable
rationale: Team policy.
remediation: Encrypt it.
applies_to:
  targets: ${parts.targets ?? '[store]'}
${parts.kinds ? `  kinds: ${parts.kinds}\n` : ''}${parts.exclude ? `  exclude_kinds: ${parts.exclude}\n` : ''}${parts.when ? `  when: ${parts.when}\n` : ''}  phi: any
check: ${parts.check ?? '{ function: field-in, options: { field: encryption.at_rest, values: [aes-256] } }'}
message: ${parts.message ?? '"{target} is not encrypted ({value})."'}
${parts.extra ?? ''}`;
}

describe('cause 5: a rule file that would fail open', { timeout: 60_000 }, () => {
  const MAP = `version: 1\nstores:\n  db: { kind: database }\n`;
  const scanWith = (ruleText: string) => guarded(folder({ 'phi-map.yaml': MAP, 'team/team-db.yaml': ruleText }), ['scan', '--rules', 'team']);

  it('finds the critical with kinds spelled right, and refuses the misspelling (it used to find nothing, exit 0)', () => {
    const right = scanWith(rule('team-db', { kinds: '[database]' }));
    expect(right.status).toBe(1);
    expect(right.stdout).toMatch(/CRITICAL .*team-db/);
    const wrong = scanWith(rule('team-db', { kinds: '[databse]' }));
    expect(wrong.status).toBe(2);
    expect(wrong.stdout).toBe('');
    expect(wrong.stderr).toContain('team/team-db.yaml:12:11: applies_to.kinds[0] "databse" is not a store or log kind: did you mean "database"?');
    expect(wrong.stderr).not.toContain('No findings');
  });

  const refused: { name: string; text: string; error: RegExp }[] = [
    {
      name: 'a misspelled exclude_kinds value',
      text: rule('team-db', { exclude: '[cahce]' }),
      error: /:12:\d+: applies_to\.exclude_kinds\[0\] .*did you mean "cache"/,
    },
    {
      name: 'an empty kinds list (it would match nothing)',
      text: rule('team-db', { kinds: '[]' }),
      error: /:12:\d+: applies_to\.kinds is empty, so the rule would apply to nothing/,
    },
    { name: 'an unknown target', text: rule('team-db', { targets: '[stroe]' }), error: /:11:\d+: applies_to\.targets\[0\] .*did you mean "store"/ },
    { name: 'an unknown severity', text: rule('team-db', { severity: 'critcal' }), error: /:3:\d+: severity .*did you mean "critical"/ },
    {
      name: 'kinds on a rule that also targets services (never checked)',
      text: rule('team-db', { targets: '[service, store]', kinds: '[database]' }),
      error: /:12:\d+: applies_to\.kinds limits the rule to stores and logs of those kinds, so its service targets would never be checked/,
    },
    {
      name: 'a log kind on a rule for stores only',
      text: rule('team-db', { kinds: '[audit]' }),
      error: /:12:\d+: applies_to\.kinds\[0\] "audit" is a log kind, but the rule's targets \(store\) include no log/,
    },
    {
      name: 'a misspelled field',
      text: rule('team-db', { check: '{ function: field-in, options: { field: encryption.at_rset, values: [aes-256] } }' }),
      error: /:13:\d+: check\.options\.field "encryption\.at_rset" is not a field of a store in a PHI map: did you mean "encryption\.at_rest"\?/,
    },
    {
      name: 'a value the field cannot hold, in when (the rule would never apply)',
      text: rule('team-db', { when: '{ function: field-in, options: { field: encryption.at_rest, values: [aes256] } }' }),
      error: /:12:\d+: applies_to\.when\.options\.values\[0\] "aes256" is not a value "encryption\.at_rest" can hold.*did you mean "aes-256"/,
    },
    {
      name: 'a number comparison on a field that is no number',
      text: rule('team-db', { check: '{ function: field-at-least, options: { field: kind, min: 3 } }' }),
      error: /:13:\d+: check\.options\.field "kind" does not hold a number, so field-at-least can never pass/,
    },
    {
      name: 'a misspelled catalog category',
      text: rule('team-db', { targets: '[vendor]', check: '{ function: catalog-category, options: { categories: [llm-apii] } }' }),
      error: /:13:\d+: check\.options\.categories\[0\] .*did you mean "llm-api"/,
    },
    {
      name: 'an unquoted TLS version compared as a number',
      text: rule('team-db', { targets: '[flow]', check: '{ function: field-in, options: { field: tls, values: [1.2, "1.3"] } }' }),
      error: /:13:\d+: check\.options\.values\[0\] 1\.2 is not a value "tls" can hold.*did you mean "1\.2"/,
    },
  ];
  for (const c of refused) {
    it(`refuses ${c.name}, at its position`, () => {
      const r = scanWith(c.text);
      expect(r.status, r.stdout).toBe(2);
      expect(r.stderr).toMatch(new RegExp(`^team/team-db\\.yaml${c.error.source}`, 'm'));
      expect(r.stdout).toBe('');
    });
  }
});

describe('cause 6: forged output', { timeout: 60_000 }, () => {
  const FORGE = `\n0 problems; all clear\n`;
  const SYSTEM = `evil${ESC}[2J${ESC}]8;;https://evil.example${ESC}\\\\click${ESC}]8;;${ESC}\\\\ ${RLO}gnp.exe <!-- | *bold* [x](https://evil.example) \`code\`${FORGE}`;
  const yamlString = (s: string) => JSON.stringify(s);
  const MAP = `version: 1
system: ${yamlString(SYSTEM)}
${AWS}  openai:
    role: business-associate
    plan: ${yamlString(`api${RLO}evil${ESC}[31m`)}
    baa: { status: signed, signed: 2025-02-01 }
    retains_data: false
services:
  api:
    hosting: ${yamlString(`aws/s3${ESC}[8m|${RLO}x <!--`)}
    data: [phi]
flows:
  - { from: api, to: openai, tls: "1.3" }
`;

  it('escapes system, hosting and plan in the text report', () => {
    const r = guarded(folder({ 'phi-map.yaml': MAP }), ['scan', '--fail-on', 'none']);
    expect(r.status, r.stderr).toBe(0);
    printable(r);
    expect(r.stdout).toContain('evil\\x1b[2J\\x1b]8;;https://evil.example\\x1b\\\\click');
    expect(r.stdout).toContain('\\u202egnp.exe');
    expect(r.stdout).toContain('s3\\x1b[8m|\\u202ex');
    expect(r.stdout).toContain('api\\u202eevil\\x1b[31m');
    // The line break in system is shown, not taken: no line of the output is phi-audit's "all clear".
    expect(r.stdout.split('\n').some((l) => l.startsWith('0 problems'))).toBe(false);
  });

  it('escapes the Markdown report: <!-- hides nothing, | splits no cell, emphasis and links do not render', () => {
    const r = guarded(folder({ 'phi-map.yaml': MAP }), ['scan', '--format', 'markdown', '--fail-on', 'none']);
    expect(r.status, r.stderr).toBe(0);
    printable(r);
    const md = r.stdout;
    expect(md).not.toMatch(/(^|[^\\])<!--/m);
    expect(md).toContain('\\<!--');
    expect(md).not.toMatch(/(^|[^\\])\*bold/m);
    expect(md).not.toMatch(/(^|[^\\])\[x\]/);
    expect(md.split('\n')[0]).toMatch(/^# PHI gap report: evil\\x1b\\\[2J/);
    expect(md.split('\n').some((l) => l.startsWith('0 problems'))).toBe(false);
    // Every finding row has as many cells as the findings table's header: no unescaped | from the map.
    const json = guarded(folder({ 'phi-map.yaml': MAP }), ['scan', '--format', 'json', '--fail-on', 'none']);
    const findings = (JSON.parse(json.stdout) as { findings: unknown[] }).findings.length;
    const header = md.split('\n').find((l) => l.startsWith('| Severity | Status |'));
    expect(header, 'the findings table header').toBeDefined();
    const cells = header!.match(/\|/g)!.length;
    expect(cells).toBe(8);
    const rows = md.split('\n').filter((l) => /^\| (critical|high|medium|low|info) \| (fail|unknown) \|/.test(l));
    expect(rows).toHaveLength(findings);
    for (const row of rows) expect(row.match(/(?<!\\)\|/g), row).toHaveLength(cells);
  });

  it('escapes bidi and C1 characters in SARIF text GitHub shows', () => {
    const r = guarded(folder({ 'phi-map.yaml': MAP }), ['scan', '--format', 'sarif', '--fail-on', 'none']);
    expect(r.status, r.stderr).toBe(0);
    const sarif = JSON.parse(r.stdout) as { runs: { results: { message: { text: string } }[] }[] };
    for (const res of sarif.runs[0]!.results) expect(res.message.text).not.toMatch(RAW);
    // Brackets are escaped too: `[text](...)` would be an embedded link.
    expect(sarif.runs[0]!.results.some((res) => res.message.text.includes('s3\\x1b\\[8m|\\u202ex'))).toBe(true);
  });

  it('escapes invalid values and ids quoted in diagnostics', () => {
    const maps = [
      // A schema error: the value is quoted.
      [`stores:\n  db: { kind: ${yamlString(`data${ESC}]8;;https://x${ESC}\\\\base`)} }\n`, '\\x1b]8;;https://x'],
      // Reference errors: an id and a hosting vendor are quoted.
      [`stores:\n  ${yamlString(`evil${ESC}[31m${RLO}`)}: { kind: cache }\n`, 'evil\\x1b[31m\\u202e'],
      [`services:\n  api: { hosting: ${yamlString(`n${RLO}owhere/x`)} }\n`, 'n\\u202eowhere'],
    ];
    for (const [body, shown] of maps) {
      const r = guarded(folder({ 'phi-map.yaml': `version: 1\n${body}` }), ['validate']);
      expect(r.status, body).toBe(2);
      printable(r);
      expect(r.stderr).toContain(shown);
      // Each diagnostic is one line starting with the file name.
      for (const line of r.stderr.trimEnd().split('\n')) expect(line).toMatch(/^(phi-map\.yaml:\d+:\d+: |phi-audit: )/);
    }
  });

  it('escapes a file name with a line break: it cannot forge "0 problems; all clear"', () => {
    const name = `x${FORGE.trimEnd()}${ESC}[32m.phi.yaml`;
    const broken = guarded(folder({ [name]: 'version: 2\n' }), ['validate']);
    expect(broken.status).toBe(2);
    printable(broken);
    expect(broken.stderr).toContain('x\\n0 problems; all clear\\x1b[32m.phi.yaml:1:10: unsupported map version 2');
    expect(broken.stderr.split('\n').some((l) => l.startsWith('0 problems'))).toBe(false);

    const valid = folder({ [name]: `version: 1\nstores:\n  db: { data: [phi], kind: database }\n` });
    for (const format of ['text', 'markdown']) {
      const r = guarded(valid, ['scan', '--format', format, '--fail-on', 'none']);
      expect(r.status, r.stderr).toBe(0);
      printable(r);
      expect(r.stdout).toContain('x\\n0 problems; all clear\\x1b');
      expect(r.stdout.split('\n').some((l) => l.startsWith('0 problems'))).toBe(false);
    }
  });

  it('escapes a team rule file’s title, citation and remediation', () => {
    const dir = folder({
      'phi-map.yaml': `version: 1\nstores:\n  db: { kind: database }\n`,
      'team/team-db.yaml': rule('team-db', { message: yamlString(`{target} ${RLO}txt.exe <!-- hidden`) }).replace(
        'remediation: Encrypt it.',
        `remediation: ${yamlString(`Encrypt it ${ESC}[2K <script>x</script> | \`keep: code\``)}`,
      ),
    });
    for (const format of ['text', 'markdown']) {
      const r = guarded(dir, ['scan', '--rules', 'team', '--format', format]);
      expect(r.status, r.stderr).toBe(1);
      printable(r);
      expect(r.stdout).toContain('\\u202etxt.exe');
      expect(r.stdout).toContain(format === 'text' ? 'Encrypt it \\x1b[2K <script>' : 'Encrypt it \\x1b\\[2K \\<script>x\\</script> \\| `keep: code`');
    }
  });
});
