/** `phi-audit graph`: DOT, Mermaid and SVG of the bundled example and of a hostile map, --only-phi, --to, and the SVG sanitiser. */
import { readFileSync } from 'node:fs';
import { instance } from '@viz-js/viz';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { dotString } from '../src/format/diagram/dot.js';
import { mermaidText } from '../src/format/diagram/mermaid.js';
import { SvgSanitizeError, sanitizeSvg } from '../src/format/diagram/svg.js';
import { cli, STACK_TRACE } from './support/cli.js';
import { writeHostileMap } from './support/hostile-map.js';

// Each case runs the CLI once or more, as a process: slow on a busy machine.
vi.setConfig({ testTimeout: 60_000 });

const AS_OF = ['--as-of', '2026-11-22'];
type Viz = Awaited<ReturnType<typeof instance>>;
let viz: Viz;
beforeAll(async () => {
  viz = await instance();
}, 60_000);

/** Node ids and edges of a DOT text, as Graphviz reads it (its JSON output), so escaping is checked by the real parser. */
function parsed(dot: string): { nodes: string[]; edges: [string, string][]; clusters: string[] } {
  const json = viz.renderJSON(dot) as { objects?: { name: string; nodes?: number[] }[]; edges?: { tail: number; head: number }[] };
  const objects = json.objects ?? [];
  const nodes = objects.filter((o) => o.nodes === undefined).map((o) => o.name);
  const clusters = objects.filter((o) => o.nodes !== undefined).map((o) => o.name);
  return { nodes, edges: (json.edges ?? []).map((e) => [objects[e.tail]!.name, objects[e.head]!.name]), clusters };
}

describe('phi-audit graph on the bundled example', () => {
  it('writes DOT that Graphviz reads: every node once, clusters per environment and for vendors, failure paths dashed', () => {
    const r = cli(['graph', 'fixtures/example', ...AS_OF, '-f', 'dot']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const g = parsed(r.stdout);
    expect(g.nodes.length).toBe(35);
    expect(new Set(g.nodes).size).toBe(35);
    expect(g.clusters).toEqual(['cluster_env_0', 'cluster_env_1', 'cluster_env_2', 'cluster_env_3', 'cluster_vendors']);
    for (const env of ['prod', 'staging', 'analytics', 'endpoints']) expect(r.stdout).toContain(`label="environment: ${env}"`);
    // Failure paths: every flow declared on: error | retry | debug is dashed, and nothing else is.
    const files = readdirYaml();
    const declaredFailures = files.reduce((n, text) => n + (text.match(/\bon: (error|retry|debug)\b/g)?.length ?? 0), 0);
    expect(r.stdout.match(/style=dashed/g)?.length).toBe(declaredFailures);
    // sentry: PHI reaches it with no BAA; gcp: BAA pending. Both marked.
    expect(r.stdout).toMatch(/"sentry" \[label="sentry\\nvendor\\nPHI: clinical-notes\\n! no BAA[^\]]*class="node-vendor phi baa-gap/);
    expect(r.stdout).toMatch(/"gcp" \[label="gcp[^\]]*! BAA pending/);
    // A node with blocking findings carries their count; one without none.
    expect(r.stdout).toMatch(/"debug-log" \[label="[^"]*! \d+ blocking findings"[^\]]*class="node-log phi blocking"/);
    expect(r.stdout).toMatch(/"audit-trail" \[[^\]]*class="node-log no-phi"\]/);
    // aws hosts most nodes: a count, not an edge from each.
    expect(r.stdout).toMatch(/"aws" \[label="aws\\nvendor\\nPHI: [^"]*\\nhosts \d+ nodes"/);
    expect(g.edges.filter(([, to]) => to === 'aws')).toEqual([]);
  });

  it('keeps only PHI holders and PHI-carrying flows with --only-phi', () => {
    const all = parsed(cli(['graph', 'fixtures/example', ...AS_OF, '-f', 'dot']).stdout);
    const r = cli(['graph', 'fixtures/example', ...AS_OF, '-f', 'dot', '--only-phi']);
    expect(r.status).toBe(0);
    const g = parsed(r.stdout);
    expect(g.nodes).not.toContain('audit-trail');
    expect(g.nodes).not.toContain('cohort-dashboard');
    expect(g.nodes).toContain('ds-laptop');
    expect(g.nodes.length).toBeLessThan(all.nodes.length);
    expect(r.stdout).not.toContain('class="flow no-phi"');
  });

  it('--to NODE keeps every path into the node, and only those', () => {
    const r = cli(['graph', 'fixtures/example', ...AS_OF, '-f', 'dot', '--to', 'sentry', '--only-phi']);
    expect(r.status).toBe(0);
    const g = parsed(r.stdout);
    for (const id of ['sentry', 'error-tracker', 'summarizer', 'notes-intake', 'northbay-health']) expect(g.nodes).toContain(id);
    for (const id of ['mixpanel', 'analytics-warehouse', 'openai', 'ds-laptop']) expect(g.nodes).not.toContain(id);
    // Every kept node reaches sentry over the kept edges.
    const into = new Map<string, string[]>();
    for (const [from, to] of g.edges) into.set(to, [...(into.get(to) ?? []), from]);
    const reach = new Set(['sentry']);
    const queue = ['sentry'];
    while (queue.length) for (const f of into.get(queue.pop()!) ?? []) if (!reach.has(f)) reach.add(f) && queue.push(f);
    expect([...reach].sort()).toEqual([...g.nodes].sort());
  });

  it('--to an unknown node is exit 2 with a did-you-mean, and no stack trace', () => {
    const r = cli(['graph', 'fixtures/example', ...AS_OF, '--to', 'sentri']);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('--to: "sentri" is no node of the map: did you mean "sentry"?');
    expect(r.stderr).not.toMatch(STACK_TRACE);
  });

  it('writes Mermaid with ids of its own and the map ids only as escaped labels', () => {
    const r = cli(['graph', 'fixtures/example', ...AS_OF, '-f', 'mermaid']);
    expect(r.status).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('flowchart LR');
    const nodeLines = lines.filter((l) => /^\s+n\d+[([{]/.test(l));
    expect(nodeLines.length).toBe(35);
    expect(r.stdout).toMatch(/^ {4}n0[([{]/m);
    expect(r.stdout).toContain('"ds-laptop<br/>device<br/>PHI: phi<br/>');
    expect(r.stdout).toMatch(/-\.->\|"on error"\|/);
    expect(r.stdout).toMatch(/class [n\d,]+ baa\n/);
  });

  it('writes a sanitised SVG laid out by Graphviz', () => {
    const r = cli(['graph', 'fixtures/example', ...AS_OF], {});
    expect(r.status).toBe(0);
    expect(r.stdout.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<svg ')).toBe(true);
    expect(r.stdout.match(/<g id="node\d+" class="node[^"]*">/g)?.length).toBe(35);
    expect(r.stdout).toContain('<title>sentry</title>');
    expect(r.stdout).not.toMatch(/<!--|<!DOCTYPE|<a\b|xlink:href|<script|<style/i);
  }, 60_000);
});

function readdirYaml(): string[] {
  const files = [
    'fixtures/example/northbay.phi.yaml',
    'fixtures/example/services/analytics.phi.yaml',
    'fixtures/example/services/ingest.phi.yaml',
    'fixtures/example/services/readmission-model.phi.yaml',
    'fixtures/example/services/summarizer.phi.yaml',
  ];
  // Only flow lines count: comments may mention the words.
  return files.map((f) =>
    readFileSync(f, 'utf8')
      .split('\n')
      .filter((l) => !/^\s*#/.test(l))
      .map((l) => l.replace(/\s#.*$/, ''))
      .join('\n'),
  );
}

describe('phi-audit graph on a hostile map', () => {
  it('keeps every piece of user text inside its DOT string, as Graphviz reads it', () => {
    const dir = writeHostileMap();
    const r = cli(['graph', '.', ...AS_OF, '-f', 'dot'], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const g = parsed(r.stdout);
    expect(g.nodes.sort()).toEqual(['api', 'db', 'evil-saas', 'nobaa']);
    expect(g.edges.length).toBe(4);
    // The hosting text with a quote, a bracket and \N stays one label line, escaped.
    const svg = viz.renderString(r.stdout, { format: 'svg' });
    expect(svg).toContain('evil&#45;saas/&lt;script&gt;x&lt;/script&gt;&quot;]; x [label=&quot;\\N');
    expect(() => sanitizeSvg(svg)).not.toThrow();
  });

  it('writes Mermaid labels as entity codes', () => {
    const r = cli(['graph', '.', ...AS_OF, '-f', 'mermaid'], { cwd: writeHostileMap() });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('on evil-saas/#60;script#62;x#60;/script#62;#34;#93;#59; x #91;label#61;#34;#92;N');
    expect(r.stdout).not.toMatch(/<script|<\/|label=/);
  });

  it('writes an SVG with no markup from the map', () => {
    const r = cli(['graph', '.', ...AS_OF, '-f', 'svg'], { cwd: writeHostileMap() });
    expect(r.status).toBe(0);
    expect(r.stdout).not.toMatch(/<script|<img|onerror|onload/);
  }, 60_000);
});

describe('escaping and sanitising', () => {
  it('dotString escapes quotes and backslashes and shows control characters', () => {
    expect(dotString('a"b\\N\nc')).toBe('"a\\"b\\\\N\\\\nc"');
    expect(dotString('\u202Eevil')).toBe('"\\\\u202eevil"');
  });

  it('mermaidText writes anything outside a small set as entity codes', () => {
    expect(mermaidText('db-1 (prod): a/b')).toBe('db-1 (prod): a/b');
    expect(mermaidText('"]<x>`|;')).toBe('#34;#93;#60;x#62;#96;#124;#59;');
  });

  it('sanitizeSvg rebuilds Graphviz output and refuses anything outside its allow-list', () => {
    const ok = sanitizeSvg(
      '<?xml version="1.0"?>\n<!DOCTYPE svg PUBLIC "x" "y">\n<!-- c --><svg width="1pt" height="1pt" viewBox="0 0 1 1" xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"><g id="a" class="node"><title>a&amp;b</title><text x="1" y="2" unknown="z">hi &#45; there</text></g></svg>',
    );
    expect(ok).toBe(
      '<svg width="1pt" height="1pt" viewBox="0 0 1 1" xmlns="http://www.w3.org/2000/svg"><g id="a" class="node"><title>a&amp;b</title><text x="1" y="2">hi &#45; there</text></g></svg>',
    );
    const bad = [
      '<svg><script>alert(1)</script></svg>',
      '<svg><foreignObject><p>x</p></foreignObject></svg>',
      '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
      '<svg><g fill="url(https://example.com/x)"></g></svg>',
      '<svg><style>@import url(x)</style></svg>',
      '<svg><text>a <b>bold</b></text></svg>',
      '<svg><g>',
      '<svg><g onload=alert(1)></g></svg>',
    ];
    for (const s of bad) expect(() => sanitizeSvg(s), s).toThrow(SvgSanitizeError);
    // An event handler attribute in proper form is dropped, never kept.
    expect(sanitizeSvg('<svg><g onload="alert(1)" class="x"></g></svg>')).toBe(
      '<svg class="x" xmlns="http://www.w3.org/2000/svg"><g class="x"></g></svg>'.replace('<svg class="x" ', '<svg '),
    );
  });
});
