/**
 * A run stopped by input problems (exit 2) still writes the gap report files it was asked for, saying nothing was
 * checked and listing the problems, so a CI step that uploads the report always has a file to upload.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, STACK_TRACE } from './support/cli.js';

// A typo (exit 2), and a key whose text tries to break out of a Markdown cell and an HTML element.
const BROKEN = 'version: 1\nservices:\n  api: { interactve: true }\n  web: { "x|<b>y</b>": true }\n';

function brokenMap(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'phi-problems-'));
  writeFileSync(path.join(dir, 'phi-map.yaml'), BROKEN);
  return dir;
}

describe('exit 2 still writes the gap report files asked for', () => {
  it('scan -f markdown=FILE -f html=FILE: both files say nothing was checked and list each problem at its place', () => {
    const dir = brokenMap();
    const r = cli(['scan', '-f', 'markdown=gap.md', '-f', 'html=gap.html'], { cwd: dir });
    expect(r.status).toBe(2);
    expect(r.stderr).not.toMatch(STACK_TRACE);
    const md = readFileSync(path.join(dir, 'gap.md'), 'utf8');
    expect(md).toMatch(/^# PHI gap report: nothing was checked$/m);
    expect(md).toContain('`phi-map.yaml:3:10`');
    expect(md).toContain('did you mean "interactive"?');
    // Every problem row has its two cells: no unescaped | from the map.
    for (const row of md.split('\n').filter((l) => l.startsWith('| `'))) expect(row.match(/(?<!\\)\|/g)).toHaveLength(3);
    const html = readFileSync(path.join(dir, 'gap.html'), 'utf8');
    expect(html).toMatch(/^<!DOCTYPE html>/);
    expect(html).toContain("default-src 'none'");
    expect(html).toContain('<code>phi-map.yaml:3:10</code>');
    expect(html).not.toContain('<b>y</b>');
    expect(html).toContain('x|&lt;b&gt;y&lt;/b&gt;');
    expect(md).toContain('x\\|');
  }, 60_000);

  it('report --format html -o FILE on a broken map writes the problems page, exit 2', () => {
    const dir = brokenMap();
    const r = cli(['report', '--format', 'html', '-o', 'gap.html'], { cwd: dir });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('phi-map.yaml:3:10');
    const html = readFileSync(path.join(dir, 'gap.html'), 'utf8');
    expect(html).toContain('<h1>PHI gap report: nothing was checked</h1>');
    expect(html).toContain('2 input problems');
  }, 60_000);
});
