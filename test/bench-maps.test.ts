/**
 * The benchmark's maps, from the generator the bench uses (bench/generate.mjs), through the library: in every style
 * the fast reader takes them and reads exactly what the exact parser reads, the findings are the same either way,
 * and a map with dangling flow ends gets every "did you mean" the generator planted.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateMap } from '../bench/generate.mjs';
import { audit, auditMap, InputError, loadMap } from '../src/index.js';
import { readMapSource } from '../src/source/read-map.js';
import { builtinRules } from './support/audit.js';

const AS_OF = '2026-11-22';
const NODES = 3000;
const SLOW = 120_000;

function write(name: string, text: string): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'phi-audit-bench-maps-')), name);
  writeFileSync(file, text);
  return file;
}

describe.each(['compact', 'block', 'flow'] as const)('the bench map in %s style', (style) => {
  const { text, stats } = generateMap({ nodes: NODES, style });

  it(
    'is read by the fast path, with the values the exact parser gives',
    () => {
      expect(stats.nodes).toBe(NODES);
      const fast = readMapSource('bench.phi.yaml', text);
      const exact = readMapSource('bench.phi.yaml', text, { fast: false });
      expect(fast.fast, 'the fast path reads it').toBeDefined();
      if (!fast.ok || !exact.ok) return expect.unreachable('the map is valid');
      expect(fast.value).toEqual(exact.value);
    },
    SLOW,
  );

  it(
    'gives the same report whichever path read it',
    async () => {
      const file = write('bench.phi.yaml', text);
      const viaAudit = await audit({ paths: [file], asOf: AS_OF, loadedRules: builtinRules() });
      if (!viaAudit.ok) return expect.unreachable(JSON.stringify(viaAudit.diagnostics.slice(0, 3)));
      expect(viaAudit.report.summary.nodes).toBe(NODES);
      expect(viaAudit.report.findings.length).toBeGreaterThan(NODES);
      const exact = await auditMap(loadMap([file], { fast: false }), { asOf: AS_OF, loadedRules: builtinRules() });
      if (!exact.ok) return expect.unreachable('the map is valid');
      expect(exact.report.findings.map((f) => [f.id, f.severity, f.status, f.message, f.location])).toEqual(
        viaAudit.report.findings.map((f) => [f.id, f.severity, f.status, f.message, f.location]),
      );
    },
    SLOW,
  );
});

describe('the bench map with dangling flow ends', () => {
  it(
    'reports each one at its place, with the id it is a typo of',
    () => {
      const { text, stats } = generateMap({ nodes: NODES, dangling: 25 });
      const file = write('dangling.phi.yaml', text);
      let diagnostics: InputError['diagnostics'] = [];
      try {
        loadMap([file]);
      } catch (err) {
        if (!(err instanceof InputError)) throw err;
        diagnostics = err.diagnostics;
      }
      expect(diagnostics).toHaveLength(stats.dangling.length);
      for (const d of stats.dangling) {
        expect(
          diagnostics.some((x) => x.message.includes(`"${d.id}"`) && x.message.includes(`did you mean "${d.near}"?`)),
          `${d.id} → ${d.near}`,
        ).toBe(true);
      }
    },
    SLOW,
  );
});
