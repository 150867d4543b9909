/**
 * Large maps through the map-file reader: the fast path reads them, gives exactly what the exact path gives, and
 * positions schema errors, reference errors and duplicate ids deep in the file exactly, without a whole-file tree.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { auditMap, InputError, loadMap, loadRules } from '../src/index.js';
import { locate, type SourceFile } from '../src/source/positions.js';
import { readMapSource } from '../src/source/read-map.js';
import { cli } from './support/cli.js';

const rules = loadRules([]);
const AS_OF = '2026-11-22';
const LARGE = 60_000;

/**
 * A map of `n` services, stores and logs in mixed YAML styles: block and flow mappings, a merge key, anchors and
 * aliases, a block scalar, quoted ids, comments between entries, one-line and multi-line flows.
 */
function bigMap(n: number): string {
  const doc: Record<string, unknown> = {
    version: 1,
    system: 'big',
    description: 'a large generated map\nwith a second line',
    data_classes: { notes: { phi: true }, stats: { phi: false } },
    environments: { prod: { phi_allowed: true }, dev: { phi_allowed: false } },
    vendors: { aws: { role: 'business-associate', baa: { status: 'signed', signed: '2025-01-01', services: ['s3', 'ecs'] } } },
    services: {} as Record<string, unknown>,
    stores: {} as Record<string, unknown>,
    logs: {} as Record<string, unknown>,
  };
  const services = doc.services as Record<string, unknown>;
  const stores = doc.stores as Record<string, unknown>;
  const logs = doc.logs as Record<string, unknown>;
  const flows: Record<string, unknown>[] = [];
  for (let i = 0; i < n; i++) {
    services[`svc-${i}`] = { hosting: 'aws/ecs', environment: i % 7 === 0 ? 'dev' : 'prod', data: i % 5 === 0 ? ['phi'] : [], interactive: i % 3 === 0 };
    stores[`db-${i}`] = { kind: i % 2 ? 'database' : 'object-store', hosting: 'aws/s3', records: i * 10, encryption: { at_rest: i % 4 ? 'aes-256' : 'none' } };
    logs[`log-${i}`] = { kind: i % 3 ? 'application' : 'trace', retention_days: 30 };
    flows.push({ from: `svc-${i}`, to: `db-${i}`, tls: i % 6 ? '1.2' : '1.0' });
    flows.push({ from: `db-${i}`, to: `svc-${(i + 1) % n}`, ...(i % 4 === 0 ? { data: ['notes'] } : {}) });
    flows.push({ from: `svc-${i}`, to: `log-${i}`, on: 'error', ...(i % 2 ? { data: ['stats'], deidentify: 'safe-harbor' } : {}) });
  }
  // Every other flow as a one-line flow mapping, block mappings elsewhere, a multi-line flow mapping now and then.
  const lines = flows.map((f, i) =>
    i % 2
      ? `  - ${JSON.stringify(f).replace(/"(\w+)":/g, '$1: ')}`
      : i % 10 === 0
        ? `  - {\n${Object.entries(f)
            .map(([k, v]) => `      ${k}: ${JSON.stringify(v)}`)
            .join(',\n')}\n    }`
        : `  -${stringify(f).replace(/^/gm, '    ').slice(3).trimEnd()}`,
  );
  const body = stringify(doc)
    .replace(/\n {2}svc-1:/, '\n  # a comment between items\n  svc-1:')
    // An anchored mapping, merged into later stores; an aliased list.
    .replace('\n  db-0:\n', '\n  db-0: &store-defaults\n')
    .replace(/\n {2}db-(\d*[37]):\n {4}kind: database\n {4}hosting: aws\/s3\n/g, '\n  db-$1:\n    <<: *store-defaults\n    kind: database\n')
    .replace(
      '\n  svc-0:\n    hosting: aws/ecs\n    environment: dev\n    data:\n      - phi\n',
      '\n  svc-0:\n    hosting: aws/ecs\n    environment: dev\n    data: &phi-only\n      - phi\n',
    )
    .replace(/\n {4}data:\n {6}- phi\n/g, '\n    data: *phi-only\n')
    .replace('\n  svc-0:', '\n  "svc-0":')
    .replace('  log-2:\n', '  log-2:\n    description: |\n      a block scalar\n      over two lines\n');
  return `${body}flows:\n${lines.join('\n')}\n`;
}

function write(text: string, name = 'big.phi.yaml'): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'phi-audit-load-'));
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
}

function diagnosticsOf(file: string, fast = true): InputError['diagnostics'] {
  try {
    loadMap([file], { fast });
  } catch (err) {
    expect(err).toBeInstanceOf(InputError);
    return (err as InputError).diagnostics;
  }
  return expect.unreachable('the map is broken');
}

/** Line and column of the `nth` occurrence of `needle` (1-based, as diagnostics count). */
function positionOf(text: string, needle: string, nth = 1): { line: number; column: number } {
  let at = -1;
  for (let i = 0; i < nth; i++) at = text.indexOf(needle, at + 1);
  expect(at).toBeGreaterThanOrEqual(0);
  return { line: text.slice(0, at).split('\n').length, column: at - text.lastIndexOf('\n', at - 1) };
}

describe('large maps through the map-file reader', () => {
  const n = 2000;
  const text = bigMap(n);

  it(
    'take the fast path, anchors, aliases and merge keys included',
    () => {
      expect(text).toContain('<<: *store-defaults');
      expect(text).toContain('*phi-only');
      const read = readMapSource('big.phi.yaml', text);
      expect(read.fast).toBeDefined();
      const exact = readMapSource('big.phi.yaml', text, { fast: false });
      expect(read.ok && exact.ok).toBe(true);
      if (read.ok && exact.ok) expect(read.value).toEqual(exact.value);
    },
    LARGE,
  );

  it(
    "read the same in pieces: runs of sections, or of a large section's entries under a copy of its key line",
    () => {
      const exact = readMapSource('big.phi.yaml', text, { fast: false });
      if (!exact.ok) return expect.unreachable('the map is valid');
      for (const pieceSize of [64 << 10, 300 << 10]) {
        const read = readMapSource('big.phi.yaml', text, { pieceSize });
        if (!read.ok || !read.fast) return expect.unreachable('the fast path reads it');
        expect(read.fast.pieces).toBeGreaterThan(2);
        expect(read.value).toEqual(exact.value);
        for (const p of [
          ['flows', 4000, 'to'],
          ['flows', 5999],
          ['stores', 'db-1997', 'hosting'],
          ['logs', 'log-1999'],
          ['services', 'svc-0', 'data', 0],
        ]) {
          for (const at of ['key', 'value'] as const)
            expect(locate({ source: read.source, path: p }, at), JSON.stringify(p)).toEqual(locate({ source: exact.source, path: p }, at));
        }
      }
    },
    LARGE,
  );

  it(
    'give the same findings, paths and positions as the exact path',
    async () => {
      const file = write(text);
      const fast = await auditMap(loadMap([file]), { asOf: AS_OF, loadedRules: rules });
      const exact = await auditMap(loadMap([file], { fast: false }), { asOf: AS_OF, loadedRules: rules });
      if (!fast.ok) return expect.unreachable(JSON.stringify(fast.diagnostics));
      expect(fast.report.findings.length).toBeGreaterThan(1000);
      expect(fast).toEqual(exact);
    },
    LARGE,
  );

  it(
    'locate deep paths without parsing the whole file',
    () => {
      const read = readMapSource('big.phi.yaml', text);
      const exact = readMapSource('big.phi.yaml', text, { fast: false });
      if (!read.ok || !exact.ok) return expect.unreachable('the map is valid');
      const paths = [
        ['flows', 4000, 'to'],
        ['flows', 4001, 'data', 0],
        ['flows', 5999, 'missing'],
        ['stores', 'db-1500', 'encryption', 'at_rest'],
        ['stores', 'db-1997', 'kind'],
        ['stores', 'db-1997', 'hosting'],
        ['services', 'svc-0', 'data', 0],
        ['logs', 'log-2', 'description'],
        ['vendors', 'aws', 'baa', 'services', 1],
      ];
      for (const p of paths) {
        for (const at of ['key', 'value'] as const)
          expect(locate({ source: read.source, path: p }, at), JSON.stringify(p)).toEqual(locate({ source: exact.source, path: p }, at));
      }
      // Each was found from the index or its own entry's text, never from a tree of the whole file.
      expect((read.source as SourceFile & { locator: { whole?: unknown } }).locator.whole).toBeUndefined();
    },
    LARGE,
  );

  it(
    'report a schema error deep in the file at its exact line and column',
    () => {
      const broken = text.replace('  db-1500:\n', '  db-1500:\n    encripton: {}\n');
      const expected = positionOf(broken, 'encripton');
      const file = write(broken);
      const d = diagnosticsOf(file);
      expect(d).toEqual([
        expect.objectContaining({ ...expected, message: expect.stringContaining('unknown key "encripton" in stores.db-1500: did you mean "encryption"?') }),
      ]);
      expect(diagnosticsOf(file, false)).toEqual(d);
    },
    LARGE,
  );

  it(
    'report a reference error found after merging at its exact position',
    () => {
      const broken = text.replace(/(from: "?svc-1999"?,?\s*to: "?)db-1999/, '$1db-9999');
      expect(broken).not.toBe(text);
      // The value's position is where its text starts: at the opening quote when it is quoted.
      const found = broken.indexOf('db-9999');
      const offset = broken[found - 1] === '"' ? found - 1 : found;
      const line = broken.slice(0, offset).split('\n').length;
      const column = offset - broken.lastIndexOf('\n', offset - 1);
      const file = write(broken);
      const d = diagnosticsOf(file);
      expect(d).toEqual([expect.objectContaining({ line, column, message: expect.stringContaining('flow to "db-9999" is not a declared') })]);
      expect(diagnosticsOf(file, false)).toEqual(d);
    },
    LARGE,
  );

  it(
    'report a duplicate id far apart: in one section (a YAML error) and across sections (naming both places)',
    () => {
      const sameSection = text.replace('  svc-1900:\n', '  svc-3:\n');
      expect(readMapSource('x', sameSection).fast).toBeUndefined();
      const d1 = diagnosticsOf(write(sameSection));
      expect(d1).toEqual([expect.objectContaining({ ...positionOf(sameSection, 'svc-3:', 2), message: expect.stringContaining('duplicate key "svc-3"') })]);

      const across = text.replace('  log-1990:\n', '  svc-12:\n');
      expect(readMapSource('x', across).fast).toBeDefined();
      const first = positionOf(across, '  svc-12:');
      const second = positionOf(across, '  svc-12:', 2);
      // (The flows to log-1990 now name an undeclared node too.)
      const acrossFile = write(across);
      const d2 = diagnosticsOf(acrossFile);
      const dup = d2.filter((x) => x.message.startsWith('duplicate id'));
      expect(dup).toEqual([
        expect.objectContaining({ line: second.line, column: 3, message: expect.stringContaining(`duplicate id "svc-12": also declared at `) }),
      ]);
      expect(dup[0]!.message).toContain(`:${first.line}:3 `);
      expect(diagnosticsOf(acrossFile, false)).toEqual(d2);
    },
    LARGE,
  );

  it(
    'leave an alias bomb to the exact path, which reports it',
    () => {
      let bomb = 'a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n';
      for (let i = 1; i <= 6; i++) bomb += `a${i}: &a${i} [${Array.from({ length: 10 }, () => `*a${i - 1}`).join(', ')}]\n`;
      const broken = `${text}bomb:\n${bomb.replace(/^/gm, '  ')}`;
      expect(readMapSource('x', broken).fast).toBeUndefined();
      const d = diagnosticsOf(write(broken));
      expect(d.some((x) => x.message.includes('"billion laughs"'))).toBe(true);
    },
    LARGE,
  );

  it(
    'read the same with CRLF line ends and a byte order mark',
    () => {
      const crlf = `\ufeff${text.replace(/\n/g, '\r\n')}`;
      const read = readMapSource('x', crlf);
      expect(read.fast).toBeDefined();
      const broken = crlf.replace('  db-1500:\r\n', '  db-1500:\r\n    encripton: {}\r\n');
      const file = write(broken);
      const d = diagnosticsOf(file);
      expect(d).toEqual([expect.objectContaining({ ...positionOf(broken.replace(/\r/g, ''), 'encripton') })]);
      expect(diagnosticsOf(file, false)).toEqual(d);
    },
    LARGE,
  );

  it(
    'scan from the built CLI',
    () => {
      const r = cli(['scan', write(text), '--format', 'json', '--as-of', AS_OF, '--fail-on', 'none']);
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      expect(JSON.parse(r.stdout).findings.length).toBeGreaterThan(1000);
    },
    LARGE,
  );
});
