/**
 * The HTML gap report, read as text: every section, a self-contained file (nothing that loads anything), the input
 * files' SHA-256 as the bytes on disk give them, exit codes, and user text escaped on a hostile map. The browser test
 * (html-browser.test.ts) checks how it renders.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { formatToString } from '../src/index.js';
import { escapeHtml } from '../src/source/escape.js';
import { reportFor } from './support/audit.js';
import { cli, ROOT, STACK_TRACE } from './support/cli.js';
import { writeHostileMap } from './support/hostile-map.js';

// Each case runs the CLI once or more, as a process: slow on a busy machine.
vi.setConfig({ testTimeout: 60_000 });

const AS_OF = ['--as-of', '2026-11-22'];
const EXAMPLE_FILES = [
  'fixtures/example/northbay.phi.yaml',
  'fixtures/example/services/analytics.phi.yaml',
  'fixtures/example/services/ingest.phi.yaml',
  'fixtures/example/services/readmission-model.phi.yaml',
  'fixtures/example/services/summarizer.phi.yaml',
];
const SECTIONS = ['summary', 'matrix', 'diagram', 'baa-register', 'inventory', 'findings', 'assertions', 'accepted-risks', 'live-evidence', 'inputs'];

/** Tags of the document that could load something (an element that fetches, or an attribute naming a URL). */
function loaders(html: string): string[] {
  const tags = html.match(/<[a-zA-Z][^>]*>/g) ?? [];
  return tags.filter(
    (t) =>
      /^<(?:script|link|iframe|frame|object|embed|img|image|video|audio|source|base|form|foreignObject|use|meta http-equiv="refresh")\b/i.test(t) ||
      /\s(?:src|xlink:href|srcset|action|poster|background|style)\s*=/i.test(t) ||
      /\shref\s*=\s*"(?!#)/i.test(t) ||
      /\son\w+\s*=/i.test(t),
  );
}

describe('phi-audit report --format html on the bundled example', () => {
  const out = path.join(mkdtempSync(path.join(tmpdir(), 'phi-audit-html-')), 'gap.html');
  const r = cli(['report', 'fixtures/example', ...AS_OF, '-o', out]);
  const html = readFileSync(out, 'utf8');

  it('writes the file and exits as scan does (1: blocking findings)', () => {
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`phi-audit: gap report (html) with 45 findings (27 at or above --fail-on high) written to ${out}\n`);
  });

  it('has every section, in order, with the summary first', () => {
    const at = SECTIONS.map((id) => html.indexOf(`<section id="${id}"`));
    for (const [i, id] of SECTIONS.entries()) expect(at[i], id).toBeGreaterThan(0);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    expect(html).toContain('<div class="n">27</div><div class="label">blocking findings</div>');
    expect(html).toContain('<div class="n">31</div><div class="label">PHI holders</div>');
    expect(html).toContain('<div class="n">4,200</div><div class="label">records held unsecured</div>');
    expect(html).toMatch(/Without a BAA in force: <code>gcp<\/code> \(BAA pending\), <code>sentry<\/code> \(no BAA\)/);
  });

  it('is self-contained: no script, no link, nothing that loads, and a CSP that forbids it', () => {
    expect(loaders(html)).toEqual([]);
    expect(html).not.toMatch(/url\s*\(|@import/i);
    expect(html).toContain(
      `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'">`,
    );
    // Links are in-page anchors only.
    for (const m of html.matchAll(/<a\b[^>]*>/g)) expect(m[0]).toMatch(/^<a href="#[a-z-]+">$/);
    // The only URL is the SVG namespace, which is a name, not a request.
    expect([...new Set(html.match(/[a-z]+:\/\/[^\s"'<>]+/g))]).toEqual(['http://www.w3.org/2000/svg']);
  });

  it('embeds the diagram as inline SVG with every node', () => {
    const svg = html.slice(html.indexOf('<svg '), html.indexOf('</svg>') + 6);
    expect(svg.match(/<g id="node\d+" class="node/g)?.length).toBe(35);
    expect(svg).toContain('<title>ds&#45;laptop</title>');
  });

  it('carries each input file with the SHA-256 of its bytes, the tool version, the as-of date and the generation time', () => {
    for (const file of EXAMPLE_FILES) {
      const bytes = readFileSync(path.join(ROOT, file));
      const sha = createHash('sha256').update(bytes).digest('hex');
      expect(html).toContain(
        `<tr><td><code>${file}</code></td><td class="num">${bytes.length.toLocaleString('en-US')}</td><td><span class="id">${sha}</span></td></tr>`,
      );
    }
    expect(html).toMatch(/<dt>Generated<\/dt><dd>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ<\/dd>/);
    expect(html).toContain('<dt>As of</dt><dd>2026-11-22</dd>');
    expect(html).toMatch(/<dt>Tool<\/dt><dd>phi-audit \d+\.\d+\.\d+/);
  });

  it('lists the safeguard matrix, the register and the inventory from the report model', async () => {
    const report = await reportFor(['fixtures/example'], { asOf: '2026-11-22' });
    for (const row of report.matrix) expect(html).toContain(`<td><span class="id">${escapeHtml(row.section)}</span></td>`);
    for (const v of report.vendors) expect(html).toContain(`<tr><td><code>${v.id}</code>`);
    for (const n of report.inventory) expect(html).toContain(`<tr><td><code>${n.id}</code></td>`);
    expect(html).toContain('<span class="badge s-not-applicable">not applicable</span>');
  });

  it('exits 0 with --fail-on none, and 2 with no stack trace for a broken map', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'phi-audit-html-'));
    expect(cli(['report', 'fixtures/example', ...AS_OF, '--fail-on', 'none', '-o', path.join(dir, 'a.html')]).status).toBe(0);
    writeFileSync(path.join(dir, 'phi-map.yaml'), 'version: 1\nservices:\n  a: { environment: nowhere }\n');
    const bad = cli(['report', '.', ...AS_OF], { cwd: dir });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('phi-map.yaml:3:');
    expect(bad.stderr).not.toMatch(STACK_TRACE);
  });

  it('is also a format of scan', () => {
    const s = cli(['scan', 'fixtures/example', ...AS_OF, '-f', 'html']);
    expect(s.status).toBe(1);
    for (const id of SECTIONS) expect(s.stdout).toContain(`<section id="${id}"`);
  }, 60_000);
});

describe('the HTML report of a hostile map', () => {
  it('escapes every piece of user text: no tag, attribute or entity from the map survives', () => {
    const dir = writeHostileMap();
    const r = cli(['report', '.', ...AS_OF, '--fail-on', 'none'], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const html = r.stdout;
    expect(loaders(html)).toEqual([]);
    expect(html).not.toMatch(/<script|<i>|<img|<svg onload|<\/td><script/i);
    expect(html).toContain('&lt;script&gt;alert(&#39;sys&#39;)&lt;/script&gt; &amp; &quot;quotes&quot; \\u202e end');
    expect(html).toContain('&lt;/td&gt;&lt;script&gt;alert(&#39;vendor&#39;)&lt;/script&gt;');
    expect(html).toContain('plan &lt;img src=x onerror=alert(&#39;plan&#39;)&gt;');
    expect(html).toContain('document: &quot;&gt;&lt;svg onload=alert(&#39;doc&#39;)&gt;');
    expect(html).toContain('&lt;/p&gt;&lt;script&gt;alert(&#39;basis&#39;)&lt;/script&gt;');
    // No bidi override reaches the page as a character.
    expect(html).not.toContain('\u202e');
  }, 60_000);

  it('escapes the file names too (the folder is named <b>"dir&\')', () => {
    const dir = writeHostileMap();
    const r = cli(['report', path.join(dir, 'phi-map.yaml'), ...AS_OF, '--fail-on', 'none'], { cwd: path.dirname(dir) });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('<code>&lt;b&gt;&quot;dir&amp;&#39;/phi-map.yaml</code>');
    expect(r.stdout).not.toContain('<b>"dir');
  }, 60_000);
});

describe('the HTML formatter from the library', () => {
  it('draws the diagram through formatToString and says where digests were not computed', async () => {
    const report = await reportFor(['fixtures/example'], { asOf: '2026-11-22' });
    const html = await formatToString('html', report, { color: false });
    expect(html).toContain('<figure class="diagram"><svg ');
    expect(html).toContain('Digests were not computed for this copy');
    expect(html).not.toContain('<dt>Generated</dt><dd>2');
  }, 60_000);
});
