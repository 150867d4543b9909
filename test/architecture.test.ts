/**
 * The shape of src/, checked: no import cycles (type imports included), formatters see only the report model (and
 * the escaping of user text), check functions never see the map's file format, and nothing but the CLI reads the
 * environment or exits.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './support/cli.js';

const SRC = path.join(ROOT, 'src');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? sources(path.join(dir, d.name)) : d.name.endsWith('.ts') ? [path.join(dir, d.name)] : [],
  );
}

/** Every module a file imports or re-exports (static, type-only and dynamic), as src-relative paths. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+'(\.[^']+)'|import\(\s*'(\.[^']+)'\s*\)/g)) {
    const spec = (m[1] ?? m[2])!;
    out.push(
      path
        .relative(SRC, path.resolve(path.dirname(file), spec.replace(/\.js$/, '.ts')))
        .split(path.sep)
        .join('/'),
    );
  }
  return out;
}

const files = sources(SRC).map((f) => path.relative(SRC, f).split(path.sep).join('/'));
const graph = new Map(files.map((f) => [f, importsOf(path.join(SRC, f))]));

describe('src/ architecture', () => {
  it('finds the modules it checks', () => {
    expect(files.length).toBeGreaterThan(40);
    expect(graph.get('audit.ts')).toContain('evaluate/evaluate.ts');
    for (const [file, deps] of graph) for (const d of deps) expect(graph.has(d), `${file} imports ${d}, which does not exist`).toBe(true);
  });

  it('has no import cycle', () => {
    const state = new Map<string, 'open' | 'done'>();
    const cycles: string[] = [];
    const visit = (f: string, trail: string[]) => {
      if (state.get(f) === 'done') return;
      if (state.get(f) === 'open') {
        cycles.push([...trail.slice(trail.indexOf(f)), f].join(' → '));
        return;
      }
      state.set(f, 'open');
      for (const d of graph.get(f) ?? []) visit(d, [...trail, f]);
      state.set(f, 'done');
    };
    for (const f of files) visit(f, []);
    expect(cycles).toEqual([]);
  });

  it('keeps source/ (YAML, positions, diagnostics) the foundation: it imports no other stage', () => {
    for (const f of files.filter((x) => x.startsWith('source/'))) {
      for (const d of graph.get(f)!) expect(d.startsWith('source/'), `${f} imports ${d}`).toBe(true);
    }
  });

  it('lets formatters import only the report model, the escaping of user text (and each other’s helpers)', () => {
    for (const f of files.filter((x) => x.startsWith('format/') && x !== 'format/registry.ts')) {
      for (const d of graph.get(f)!) expect(['report/model.ts', 'source/escape.ts'].includes(d) || d.startsWith('format/'), `${f} imports ${d}`).toBe(true);
    }
  });

  it('keeps check functions away from the map’s file format', () => {
    for (const f of files.filter((x) => x.startsWith('checks/'))) {
      for (const d of graph.get(f)!) expect(['map/model.ts', 'map/schema.ts', 'map/merge.ts', 'map/load.ts'], `${f} imports ${d}`).not.toContain(d);
      expect(readFileSync(path.join(SRC, f), 'utf8'), f).not.toMatch(/\.spec\b/);
    }
  });

  it('reads environment variables and sets exit codes only in the CLI', () => {
    for (const f of files) {
      const text = readFileSync(path.join(SRC, f), 'utf8');
      if (f !== 'cli/env.ts') expect(text.includes('process.env'), `${f} reads process.env`).toBe(false);
      if (!f.startsWith('cli/')) expect(/process\.exit(Code)?\b/.test(text), `${f} sets the exit code`).toBe(false);
    }
  });

  it('writes file:line:column in exactly one place', () => {
    const writers = files.filter((f) => /\$\{[^}]*\.line\}:\$\{[^}]*\.col(umn)?\}/.test(readFileSync(path.join(SRC, f), 'utf8')));
    expect(writers).toEqual(['source/diagnostics.ts']);
  });
});
