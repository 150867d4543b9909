/** `phi-audit init --template`: each starter is written by the CLI, scans clean, and its failure paths matter. */
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it, vi } from 'vitest';
import { parse } from 'yaml';
import { TEMPLATES } from '../src/cli/starter.js';
import { mapJsonSchema } from '../src/map/json-schema.js';
import { cli, ROOT, STACK_TRACE } from './support/cli.js';

// Template dates (risk analysis, incident response test) are recent as of this date; a scan years later flags them, as it should.
const AS_OF = ['--as-of', '2026-12-01'];
const tmp = () => mkdtempSync(path.join(tmpdir(), 'phi-template-'));
const validate = new Ajv({ allErrors: true, strict: false }).compile(mapJsonSchema());

interface Finding {
  rule: string;
  id: string;
}

// Each test runs the CLI a few times: generous timeouts for a loaded CI machine.
vi.setConfig({ testTimeout: 120_000 });

describe('phi-audit init --template', () => {
  it('ships a file for each template, and lists every file it ships', () => {
    const files = readdirSync(path.join(ROOT, 'templates')).filter((f) => f.endsWith('.yaml'));
    expect(files.sort()).toEqual(TEMPLATES.map((t) => `${t.name}.yaml`).sort());
    expect(JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).files).toContain('templates');
  });

  for (const { name } of TEMPLATES) {
    describe(name, () => {
      it('is written by the CLI and scans clean: no finding at any severity', () => {
        const dir = tmp();
        const r = cli(['init', '--template', name], { cwd: dir });
        expect(r.status, r.stderr).toBe(0);
        expect(r.stdout).toContain(`the ${name} template`);
        const map = readFileSync(path.join(dir, 'phi-map.yaml'), 'utf8');
        expect(map).toBe(readFileSync(path.join(ROOT, 'templates', `${name}.yaml`), 'utf8'));
        expect(existsSync(path.join(dir, 'phi-map.schema.json'))).toBe(true);
        expect(cli(['validate'], { cwd: dir }).status).toBe(0);
        const scan = cli(['scan', ...AS_OF, '--fail-on', 'info', '--format', 'json'], { cwd: dir });
        expect(scan.status, scan.stdout + scan.stderr).toBe(0);
        const report = JSON.parse(scan.stdout);
        expect(report.findings.map((f: Finding) => f.id)).toEqual([]);
        expect(report.summary).toBeDefined();
        const text = cli(['scan', ...AS_OF, '--fail-on', 'info'], { cwd: dir });
        expect(text.stdout).toMatch(/No findings/);
        expect(validate(parse(map)), JSON.stringify(validate.errors)).toBe(true);
      });

      it('teaches the failure paths by example, with comments saying why', () => {
        const text = readFileSync(path.join(ROOT, 'templates', `${name}.yaml`), 'utf8');
        const map = parse(text);
        const flows = map.flows as { on?: string; basis?: string; data?: string[] }[];
        expect(flows.filter((f) => f.on === 'error').length).toBeGreaterThanOrEqual(2);
        expect(flows.some((f) => f.on === 'debug')).toBe(true);
        expect(flows.filter((f) => f.basis).length).toBeGreaterThanOrEqual(3);
        const nodes = { ...map.stores, ...map.logs } as Record<string, { kind: string }>;
        const kinds = new Set(Object.values(nodes).map((n) => n.kind));
        expect(kinds.has('audit')).toBe(true);
        expect(['dead-letter-queue', 'error-tracking', 'trace'].some((k) => kinds.has(k)) || name === 'ml-training').toBe(true);
        const comments = text.split('\n').filter((l) => /#\s+\S/.test(l));
        expect(comments.length).toBeGreaterThan(20);
        expect(text).toContain('# yaml-language-server: $schema=./phi-map.schema.json');
      });

      it('finds what a missing safeguard or an unsupported claim leaves open', () => {
        const original = readFileSync(path.join(ROOT, 'templates', `${name}.yaml`), 'utf8');
        // Without the `basis:` of each failure path, those flows claim to carry no PHI with nothing to support it.
        const dir = tmp();
        writeFileSync(path.join(dir, 'phi-map.yaml'), original.replace(/^\s+basis: .*\n/gm, ''));
        const r = cli(['scan', ...AS_OF, '--format', 'json'], { cwd: dir });
        expect(r.status).toBe(1);
        const rules = new Set((JSON.parse(r.stdout).findings as Finding[]).map((f) => f.rule));
        expect(rules.has('deidentification-method')).toBe(true);
        // Without encryption anywhere, every PHI store is flagged.
        const dir2 = tmp();
        writeFileSync(
          path.join(dir2, 'phi-map.yaml'),
          original.replace(/encryption: \{ at_rest: aes-256, key: customer-managed \}/g, 'encryption: { at_rest: none }'),
        );
        const r2 = cli(['scan', ...AS_OF, '--format', 'json'], { cwd: dir2 });
        expect(r2.status).toBe(1);
        expect((JSON.parse(r2.stdout).findings as Finding[]).some((f) => f.rule === 'encryption-at-rest')).toBe(true);
      });
    });
  }

  // What each template teaches, undone: the scan must then find exactly the risk the comments describe.
  const LESSONS: { name: string; undo: (map: string) => string; finds: string[] }[] = [
    {
      name: 'llm-app',
      undo: (map) =>
        map.replace('baa: { status: signed, signed: 2025-12-01, document: "OpenAI BAA, subcontractor flow-down clause" }', 'baa: { status: none }'),
      finds: ['subcontractor-baa@azure'],
    },
    {
      name: 'ml-training',
      undo: (map) => map.replace(/ {4}deidentify: +#.*\n {6}method: expert-determination\n {6}evidence: .*\n/, ''),
      finds: ['model-artifact-phi@model', 'environment-isolation@training-set'],
    },
    {
      name: 'ehr-integration',
      undo: (map) => map.replace('    data: [reminder-notice]\n', '    data: [appointments]\n'),
      finds: ['baa-signed@sendgrid', 'vendor-baa-availability@sendgrid'],
    },
  ];
  for (const { name, undo, finds } of LESSONS) {
    it(`${name}: undoing what it teaches brings back the finding its comments warn of`, () => {
      const original = readFileSync(path.join(ROOT, 'templates', `${name}.yaml`), 'utf8');
      const changed = undo(original);
      expect(changed).not.toBe(original);
      const dir = tmp();
      writeFileSync(path.join(dir, 'phi-map.yaml'), changed);
      const r = cli(['scan', ...AS_OF, '--format', 'json'], { cwd: dir });
      expect(r.status, r.stderr).toBe(1);
      expect((JSON.parse(r.stdout).findings as Finding[]).map((f) => f.id)).toEqual(expect.arrayContaining(finds));
    });
  }

  it('refuses an unknown template with exit 2 and a did-you-mean, writing nothing', () => {
    const dir = tmp();
    const r = cli(['init', '--template', 'llm-ap'], { cwd: dir });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--template llm-ap: no such template: did you mean "llm-app"?');
    expect(r.stderr).toContain('ehr-integration');
    expect(r.stderr).not.toMatch(STACK_TRACE);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('never overwrites an existing file, whatever the template', () => {
    const dir = tmp();
    writeFileSync(path.join(dir, 'phi-map.yaml'), 'version: 1\n# mine\n');
    const r = cli(['init', '--template', 'ehr-integration'], { cwd: dir });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/already exists/);
    expect(readFileSync(path.join(dir, 'phi-map.yaml'), 'utf8')).toBe('version: 1\n# mine\n');
    const other = cli(['init', '--template', 'ehr-integration', 'systems/reminders.phi.yaml'], { cwd: dir });
    expect(other.status).toBe(2); // the folder does not exist: a clear error, not a crash
    expect(other.stderr).not.toMatch(STACK_TRACE);
    const named = cli(['init', '--template', 'ehr-integration', 'reminders.phi.yaml'], { cwd: dir });
    expect(named.status, named.stderr).toBe(0);
    expect(readFileSync(path.join(dir, 'reminders.phi.yaml'), 'utf8')).toContain('name: appointment-reminders');
  });
});
