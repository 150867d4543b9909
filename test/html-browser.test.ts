/**
 * The HTML gap report of the bundled example, opened in a real browser: headless Chromium (Debian's `chromium`,
 * which .ci/run installs) driven by playwright-core. Every section and the diagram render and are visible, the page
 * makes no request but for the file itself, nothing is logged as an error (a CSP violation would be), nothing is
 * wider than the page on screen or on paper, and it prints to PDF on A4 and on Letter. A screenshot and both PDFs are
 * kept under test-artifacts/ (git-ignored). Without Chromium this test fails: it is never skipped.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, ROOT } from './support/cli.js';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = path.join(ROOT, 'test-artifacts');
const REPORT = path.join(ARTIFACTS, 'gap-report.html');
const SECTIONS: [string, string][] = [
  ['summary', 'Summary'],
  ['matrix', 'Safeguard matrix'],
  ['diagram', 'Data flows'],
  ['baa-register', 'BAA register'],
  ['inventory', 'PHI inventory'],
  ['findings', 'Findings'],
  ['assertions', 'Assertions the result rests on'],
  ['accepted-risks', 'Accepted risks'],
  ['live-evidence', 'Live evidence'],
  ['inputs', 'Inputs'],
];

let browser: Browser;
let page: Page;
const requests: string[] = [];
const blocked: string[] = [];
const errors: string[] = [];
const url = pathToFileURL(REPORT).href;

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  // Exit 1: the example has blocking findings, which the diagram marks.
  const r = cli(['report', 'fixtures/example', '--as-of', '2026-11-22', '-o', REPORT]);
  expect(r.status, r.stderr).toBe(1);
  expect(existsSync(CHROMIUM), `${CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium), as .ci/run does`).toBe(true);
  browser = await chromium.launch({ executablePath: CHROMIUM });
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on('request', (req) => requests.push(req.url()));
  page.on('console', (msg) => {
    if (msg.type() === 'error' || msg.type() === 'warning') errors.push(`${msg.type()}: ${msg.text()}`);
  });
  page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
  // Anything but the report itself is recorded and refused.
  await page.route('**/*', (route) => {
    if (route.request().url() === url) return route.continue();
    blocked.push(route.request().url());
    return route.abort();
  });
  await page.goto(url, { waitUntil: 'load' });
}, 180_000);

afterAll(async () => {
  await browser?.close();
}, 60_000);

describe('the HTML gap report in Chromium', () => {
  it('renders every section, visible, with its heading', async () => {
    for (const [id, heading] of SECTIONS) {
      const section = page.locator(`section#${id}`);
      await expect.poll(() => section.isVisible(), { timeout: 10_000 }).toBe(true);
      // biome-ignore lint/performance/useDomNodeTextContent: the text as rendered is what this test is about.
      expect((await section.locator('h2').innerText()).trim(), id).toBe(heading);
      const box = await section.boundingBox();
      expect(box!.height, id).toBeGreaterThan(40);
    }
    expect(await page.title()).toBe('PHI gap report: northbay-readmission-and-discharge-ai');
    expect(await page.locator('#matrix tbody tr').count()).toBeGreaterThan(40);
    expect(await page.locator('#findings tbody tr').count()).toBe(59);
  }, 60_000);

  it('draws the diagram: every node and flow present and visible, PHI and BAA marks applied', async () => {
    const nodes = page.locator('#diagram svg g.node');
    expect(await nodes.count()).toBe(35);
    // In-page scripts are written as text: this project's TypeScript has no DOM library.
    const sizes = (await page.evaluate(`[...document.querySelectorAll('#diagram svg g.node')].map((e) => {
      const r = e.getBoundingClientRect();
      const style = getComputedStyle(e);
      return { w: r.width, h: r.height, visible: style.visibility !== 'hidden' && style.display !== 'none' };
    })`)) as { w: number; h: number; visible: boolean }[];
    expect(sizes.length).toBe(35);
    for (const s of sizes) {
      expect(s.visible).toBe(true);
      expect(s.w).toBeGreaterThan(20);
      expect(s.h).toBeGreaterThan(10);
    }
    expect(await page.locator('#diagram svg g.edge').count()).toBeGreaterThanOrEqual(48);
    expect(await page.locator('#diagram svg g.node.baa-gap').count()).toBe(2);
    expect(await page.locator('#diagram svg g.node.blocking').count()).toBeGreaterThan(3);
    // Labels are real text, legible on screen: at least 9 CSS pixels high.
    const label = page.locator('#diagram svg g.node text', { hasText: 'ds-laptop' }).first();
    expect((await label.boundingBox())!.height).toBeGreaterThanOrEqual(9);
  }, 60_000);

  it('loads nothing but itself and logs no error', () => {
    expect(blocked).toEqual([]);
    expect(requests).toEqual([url]);
    expect(errors).toEqual([]);
  });

  it('is never wider than the window: tables wrap, the diagram scrolls inside its frame', async () => {
    const widths = (await page.evaluate('({ doc: document.documentElement.scrollWidth, view: window.innerWidth })')) as { doc: number; view: number };
    expect(widths.doc).toBeLessThanOrEqual(widths.view);
    await page.screenshot({ path: path.join(ARTIFACTS, 'gap-report.png'), fullPage: true });
    expect(readFileSync(path.join(ARTIFACTS, 'gap-report.png')).subarray(1, 4).toString()).toBe('PNG');
  }, 60_000);

  it('prints on A4 and on Letter with no table wider than the paper', async () => {
    await page.emulateMedia({ media: 'print' });
    // The printable width of each paper with the report's 12 mm side margins, in CSS pixels (96 per inch).
    for (const [format, widthMm] of [
      ['A4', 210],
      ['Letter', 215.9],
    ] as const) {
      const printable = Math.floor(((widthMm - 24) / 25.4) * 96);
      await page.setViewportSize({ width: printable, height: 1000 });
      const over = (await page.evaluate(`[...document.querySelectorAll('table, figure, section')]
        .filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1 || e.scrollWidth > e.clientWidth + 1)
        .map((e) => e.tagName.toLowerCase() + '#' + (e.closest('section') || {}).id)`)) as string[];
      expect(over, format).toEqual([]);
      const pdf = await page.pdf({ format, printBackground: true });
      writeFileSync(path.join(ARTIFACTS, `gap-report-${format}.pdf`), pdf);
      expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
      const pages = pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g)?.length ?? 0;
      expect(pages, format).toBeGreaterThan(3);
    }
    await page.emulateMedia({ media: 'screen' });
    expect(blocked).toEqual([]);
    expect(errors).toEqual([]);
  }, 120_000);
});
