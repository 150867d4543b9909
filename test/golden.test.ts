/**
 * Golden reports: the bundled example in every format, and every rule fixture's JSON findings, exactly as the built
 * CLI writes them. A refactor must leave these byte for byte; a change of verdict or wording updates them on purpose
 * (`npx vitest run test/golden.test.ts -u`) and the diff shows what a user will see differently.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cli, ROOT } from './support/cli.js';

const AS_OF = ['--as-of', '2026-11-22'];
const FIXTURES = path.join(ROOT, 'fixtures', 'rules');
const ruleDirs = readdirSync(FIXTURES, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();

describe('golden reports', () => {
  it.each(['text', 'json', 'sarif', 'markdown'])(
    'the example as %s',
    async (format) => {
      const r = cli(['scan', 'fixtures/example', ...AS_OF, '--format', format]);
      expect(r.stderr).toBe('');
      expect(r.status).toBe(1);
      // SARIF names the repository root as an absolute file URI: the golden file has a placeholder for this checkout's.
      const out = format === 'sarif' ? r.stdout.replaceAll(`"${pathToFileURL(ROOT).href.replace(/\/?$/, '/')}"`, '"file:///CHECKOUT/"') : r.stdout;
      await expect(out).toMatchFileSnapshot(`golden/example.${format === 'markdown' ? 'md' : format === 'text' ? 'txt' : format}`);
    },
    60_000,
  );

  it('every rule fixture, as JSON', async () => {
    const files = ruleDirs.flatMap((d) => ['fail', 'pass'].map((k) => `fixtures/rules/${d}/${k}.yaml`));
    const all: Record<string, unknown> = {};
    for (const file of files) {
      const r = cli(['scan', file, ...AS_OF, '--format', 'json', '--fail-on', 'none']);
      expect(r.status, `${file}: ${r.stderr}`).toBe(0);
      all[file] = JSON.parse(r.stdout).findings;
    }
    await expect(`${JSON.stringify(all, null, 1)}\n`).toMatchFileSnapshot('golden/rule-fixtures.json');
  }, 180_000);
});
