/**
 * The GitHub Action (action.yml) and the pre-commit hooks (.pre-commit-hooks.yaml) as shipped in the repository.
 * The action's scan and fail steps are run here as the runner runs them (bash, inputs as environment variables,
 * $GITHUB_OUTPUT and $GITHUB_STEP_SUMMARY files), against the built CLI in this checkout as the action path. The
 * setup-node and upload-sarif steps are GitHub's own actions and are checked for their wiring only.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ROOT } from './support/cli.js';

interface Step {
  name: string;
  id?: string;
  uses?: string;
  if?: string;
  shell?: string;
  run?: string;
  env?: Record<string, string>;
  with?: Record<string, string>;
  'working-directory'?: string;
}
interface Action {
  name: string;
  inputs: Record<string, { default?: string }>;
  outputs: Record<string, { value: string }>;
  runs: { using: string; steps: Step[] };
}
const action = parse(readFileSync(path.join(ROOT, 'action.yml'), 'utf8')) as Action;
const step = (name: string) => action.runs.steps.find((s) => s.name === name)!;

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** `${{ inputs.x }}` and `${{ github.action_path }}` as the runner would fill them in. */
function expand(value: string, inputs: Record<string, string>): string {
  return value.replace(/\$\{\{\s*([\w.-]+)\s*\}\}/g, (_, expr: string) => {
    if (expr === 'github.action_path') return ROOT;
    if (expr.startsWith('inputs.')) {
      const name = expr.slice('inputs.'.length);
      return inputs[name] ?? action.inputs[name]?.default ?? '';
    }
    if (expr.startsWith('steps.scan.outputs.')) return inputs[`output:${expr.slice('steps.scan.outputs.'.length)}`] ?? '';
    throw new Error(`unexpected expression ${expr}`);
  });
}

/** Run a `run:` step with bash as the runner does (`bash --noprofile --norc -eo pipefail`). */
function runStep(s: Step, cwd: string, inputs: Record<string, string>, files: { output: string; summary: string }) {
  const env: Record<string, string> = { ...(process.env as Record<string, string>), GITHUB_OUTPUT: files.output, GITHUB_STEP_SUMMARY: files.summary };
  delete env.NO_COLOR;
  for (const [k, v] of Object.entries(s.env ?? {})) env[k] = expand(v, inputs);
  const script = path.join(path.dirname(files.output), 'step.sh');
  writeFileSync(script, s.run!);
  return spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', script], { cwd, env, encoding: 'utf8', timeout: 120_000 });
}

function outputsOf(file: string): Record<string, string> {
  return Object.fromEntries(
    readFileSync(file, 'utf8')
      .split('\n')
      .filter((l) => l.includes('='))
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );
}

function workspace(map: 'example' | 'broken'): { cwd: string; files: { output: string; summary: string } } {
  const cwd = mkdtempSync(path.join(tmpdir(), 'phi-audit-action-'));
  dirs.push(cwd);
  if (map === 'example') cpSync(path.join(ROOT, 'fixtures', 'example'), path.join(cwd, 'maps'), { recursive: true });
  else {
    cpSync(path.join(ROOT, 'fixtures', 'example'), path.join(cwd, 'maps'), { recursive: true });
    writeFileSync(path.join(cwd, 'maps', 'broken.phi.yaml'), 'version: 1\nflows:\n  - { from: summarizer, to: nowhere }\n');
  }
  const meta = mkdtempSync(path.join(tmpdir(), 'phi-audit-runner-'));
  dirs.push(meta);
  const files = { output: path.join(meta, 'output'), summary: path.join(meta, 'summary.md') };
  writeFileSync(files.output, '');
  writeFileSync(files.summary, '');
  return { cwd, files };
}

describe('action.yml', () => {
  it('is a composite action: Node, the bundled CLI from the action path, SARIF uploaded even when the scan fails', () => {
    expect(action.runs.using).toBe('composite');
    expect(action.runs.steps[0]!.uses).toMatch(/^actions\/setup-node@v\d+$/);
    const scan = step('Scan the PHI map');
    const expr = (e: string) => `\${{ ${e} }}`;
    expect(scan.env!.PHI_AUDIT_CLI).toBe(`${expr('github.action_path')}/dist/bin/phi-audit.js`);
    // Inputs never appear inside a script, only in env: no input can inject shell.
    for (const s of action.runs.steps) expect(s.run ?? '').not.toMatch(/\$\{\{/);
    const upload = step('Upload SARIF to code scanning');
    expect(upload.uses).toMatch(/^github\/codeql-action\/upload-sarif@v\d+$/);
    expect(upload.if).toMatch(/^always\(\) && /);
    expect(upload.with!.category).toBe(expr('inputs.category'));
    expect(step('Fail on findings').if).toBe('always()');
  });

  it('scans, annotates, summarises and writes SARIF; the job fails with the scan', () => {
    const { cwd, files } = workspace('example');
    const inputs = { paths: 'maps', args: '--as-of 2026-11-22' };
    const r = runStep(step('Scan the PHI map'), cwd, inputs, files);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^::error file=maps\/services\/ingest\.phi\.yaml,line=\d+,col=\d+,title=/m);
    const out = outputsOf(files.output);
    expect(out).toEqual({ 'sarif-file': 'phi-audit.sarif', 'exit-code': '1' });
    const sarif = JSON.parse(readFileSync(path.join(cwd, 'phi-audit.sarif'), 'utf8')) as { runs: { results: unknown[]; automationDetails?: unknown }[] };
    expect(sarif.runs[0]!.results.length).toBeGreaterThan(20);
    expect(sarif.runs[0]!.automationDetails).toBeUndefined();
    expect(readFileSync(files.summary, 'utf8')).toMatch(/^## phi-audit: /);
    const fail = runStep(step('Fail on findings'), cwd, { 'output:exit-code': out['exit-code']! }, files);
    expect(fail.status).toBe(1);
    // fail-on none: the same findings, and the step passes.
    const none = workspace('example');
    runStep(step('Scan the PHI map'), none.cwd, { ...inputs, 'fail-on': 'none' }, none.files);
    expect(outputsOf(none.files.output)['exit-code']).toBe('0');
  }, 180_000);

  it('on a broken map still writes the SARIF file the upload step sends, and fails with exit 2', () => {
    const { cwd, files } = workspace('broken');
    const r = runStep(step('Scan the PHI map'), cwd, { paths: 'maps' }, files);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^::error file=maps\/broken\.phi\.yaml,line=3,col=\d+,title=phi-audit%3A map problem::.*nowhere/m);
    expect(outputsOf(files.output)['exit-code']).toBe('2');
    const sarif = JSON.parse(readFileSync(path.join(cwd, 'phi-audit.sarif'), 'utf8')) as { runs: { invocations: { executionSuccessful: boolean }[] }[] };
    expect(sarif.runs[0]!.invocations[0]!.executionSuccessful).toBe(false);
    expect(runStep(step('Fail on findings'), cwd, { 'output:exit-code': '2' }, files).status).toBe(2);
  }, 180_000);
});

describe('.pre-commit-hooks.yaml', () => {
  const hooks = parse(readFileSync(path.join(ROOT, '.pre-commit-hooks.yaml'), 'utf8')) as {
    id: string;
    entry: string;
    language: string;
    files: string;
    pass_filenames: boolean;
  }[];

  it('defines scan and validate hooks that run the installed CLI on the whole map when a map file changes', () => {
    expect(hooks.map((h) => h.id)).toEqual(['phi-audit', 'phi-audit-validate']);
    for (const h of hooks) {
      expect(h.language).toBe('node');
      expect(h.entry).toMatch(/^phi-audit (scan|validate)\b/);
      expect(h.pass_filenames).toBe(false);
      const files = new RegExp(h.files);
      for (const yes of ['phi-map.yaml', 'infra/phi-map.yml', 'services/ingest.phi.yaml']) expect(files.test(yes), yes).toBe(true);
      for (const no of ['README.md', 'values.yaml', 'phi.yaml.bak']) expect(files.test(no), no).toBe(false);
    }
    // The entry's command and flags exist.
    const bin = path.join(ROOT, 'dist', 'bin', 'phi-audit.js');
    const r = spawnSync(process.execPath, [bin, ...hooks[0]!.entry.split(' ').slice(1), path.join(ROOT, 'fixtures', 'example'), '--fail-on', 'none'], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.status, r.stderr).toBe(0);
  }, 60_000);
});
