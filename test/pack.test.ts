/**
 * The package as npm ships it: `npm pack` of the built tree, extracted, run without this checkout.
 *
 * What this proves: the tarball holds the bundled CLI (executable, with its shebang), the rule pack and catalogs, the
 * README and licence, and nothing of the sources or tests; the CLI from the tarball runs the bundled example in every
 * CI format from another folder with no node_modules at all (the bundle carries its dependencies, so `npx` and a
 * global install need no build step); the library entry point loads once its declared dependencies are present.
 * What it does not prove: that npm can fetch those dependencies from the registry (tests never reach the network, and
 * the machine's npm cache need not hold them); `npm install -g phi-audit-*.tgz` does exactly what this test does plus
 * that fetch.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from './support/cli.js';

let dir: string;
let pkg: string;
let files: string[];

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'phi-audit-pack-'));
  // --ignore-scripts: pack the tree as built (prepare would rebuild it); the tests run after `npm run build`.
  const r = spawnSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, npm_config_offline: 'true', npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' },
  });
  expect(r.status, r.stderr).toBe(0);
  const [info] = JSON.parse(r.stdout) as { filename: string; files: { path: string; mode: number }[] }[];
  files = info!.files.map((f) => f.path);
  const x = spawnSync('tar', ['-xzf', path.join(dir, info!.filename), '-C', dir], { encoding: 'utf8' });
  expect(x.status, x.stderr).toBe(0);
  pkg = path.join(dir, 'package');
}, 180_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** The packed CLI, run from a folder that is neither the checkout nor the package. */
function packed(args: string[]) {
  const cwd = path.join(dir, 'work');
  mkdirSync(cwd, { recursive: true });
  return spawnSync(path.join(pkg, 'dist', 'bin', 'phi-audit.js'), args, {
    cwd,
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, NO_COLOR: '1', PATH: `${path.dirname(process.execPath)}:${process.env.PATH ?? ''}` },
    maxBuffer: 1 << 26,
  });
}

describe('npm pack', () => {
  it('ships the bundled CLI, the rule pack and the docs, and no sources or tests', () => {
    expect(files).toContain('dist/bin/phi-audit.js');
    expect(files).toContain('dist/index.js');
    expect(files).toContain('rules/baa-signed.yaml');
    expect(files.some((f) => f.startsWith('rules/catalog/'))).toBe(true);
    expect(files).toEqual(expect.arrayContaining(['README.md', 'LICENSE', 'package.json']));
    expect(files.filter((f) => /^(src|test|fixtures|bench|scripts)\//.test(f))).toEqual([]);
    const manifest = JSON.parse(readFileSync(path.join(pkg, 'package.json'), 'utf8')) as { bin: Record<string, string> };
    expect(manifest.bin['phi-audit']).toBe('dist/bin/phi-audit.js');
    const bin = path.join(pkg, manifest.bin['phi-audit']!);
    expect(readFileSync(bin, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
    expect(statSync(bin).mode & 0o111).not.toBe(0);
  });

  it('runs from the extracted tarball with no node_modules: version, rules, and the example in every CI format', () => {
    const v = packed(['--version']);
    expect(v.status, v.stderr).toBe(0);
    expect(v.stdout.trim()).toBe((JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version);
    expect(packed(['rules']).stdout).toContain('baa-signed');
    const example = path.join(ROOT, 'fixtures', 'example');
    for (const format of ['text', 'json', 'sarif', 'junit', 'csv', 'github', 'markdown']) {
      const r = packed(['scan', example, '--as-of', '2026-11-22', '--format', format]);
      expect(r.stderr, format).toBe('');
      expect(r.status, format).toBe(1);
      expect(r.stdout.length, format).toBeGreaterThan(1000);
    }
  }, 180_000);

  it('--help gives examples, exit codes and every environment variable phi-audit reads', () => {
    const sources = spawnSync('grep', ['-rhoE', 'PHI_AUDIT_[A-Z_]+[A-Z]|GITHUB_STEP_SUMMARY|NO_COLOR|FORCE_COLOR', path.join(ROOT, 'src')], {
      encoding: 'utf8',
    });
    const read = [...new Set(sources.stdout.split('\n').filter((v) => v !== '' && !v.endsWith('_MAX')))];
    expect(read.length).toBeGreaterThan(8);
    for (const args of [['--help'], ['scan', '--help']]) {
      const r = packed(args);
      expect(r.status).toBe(0);
      expect(r.stdout).toMatch(/^Examples:\n {2}phi-audit /m);
      expect(r.stdout).toMatch(/^Exit codes:\n {2}0 .*\n {2}1 .*\n {2}2 .*\n {2}3 /m);
      for (const v of read) expect(r.stdout, `${args.join(' ')}: ${v}`).toContain(v);
    }
  });

  it('loads as a library once its dependencies are installed', () => {
    symlinkSync(path.join(ROOT, 'node_modules'), path.join(pkg, 'node_modules'), 'dir');
    const r = spawnSync(
      process.execPath,
      ['--input-type=module', '-e', "const m = await import('./dist/index.js'); console.log(typeof m.audit, typeof m.formatToString);"],
      { cwd: pkg, encoding: 'utf8', timeout: 60_000 },
    );
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('function function');
  }, 60_000);
});
