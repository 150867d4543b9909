/** Loading large maps in pieces gives exactly what parsing them whole gives, and errors keep exact positions. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { parseChunked, CHUNKED_FROM } from '../src/source/chunked.js';
import { InputError, loadMap } from '../src/index.js';
import { reportOfMap } from './support/audit.js';
import { cli } from './support/cli.js';

const AS_OF = '2026-11-22';

/** A map of `n` services, stores and logs in mixed YAML styles, large enough to be read in pieces. */
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
    flows: [] as unknown[],
  };
  const services = doc.services as Record<string, unknown>;
  const stores = doc.stores as Record<string, unknown>;
  const logs = doc.logs as Record<string, unknown>;
  const flows = doc.flows as unknown[];
  for (let i = 0; i < n; i++) {
    services[`svc-${i}`] = { hosting: 'aws/ecs', environment: i % 7 === 0 ? 'dev' : 'prod', data: i % 5 === 0 ? ['phi'] : [], interactive: i % 3 === 0 };
    stores[`db-${i}`] = { kind: i % 2 ? 'database' : 'object-store', hosting: 'aws/s3', records: i * 10, encryption: { at_rest: i % 4 ? 'aes-256' : 'none' } };
    logs[`log-${i}`] = { kind: i % 3 ? 'application' : 'trace', retention_days: 30 };
    flows.push({ from: `svc-${i}`, to: `db-${i}`, tls: i % 6 ? '1.2' : '1.0' });
    flows.push({ from: `db-${i}`, to: `svc-${(i + 1) % n}`, ...(i % 4 === 0 ? { data: ['notes'] } : {}) });
    flows.push({ from: `svc-${i}`, to: `log-${i}`, on: 'error', ...(i % 2 ? { data: ['stats'], deidentify: 'safe-harbor' } : {}) });
  }
  // Mixed styles: every other flow as a one-line flow mapping, block mappings elsewhere, comments between items.
  delete doc.flows;
  const lines = flows.map((f, i) => (i % 2 ? `  - ${JSON.stringify(f).replace(/"(\w+)":/g, '$1: ')}` : `  -${stringify(f).replace(/^/gm, '    ').slice(3).trimEnd()}`));
  const body = stringify(doc).replace(/\n {2}svc-1:/, '\n  # a comment between items\n  svc-1:');
  return `${body}flows:\n${lines.join('\n')}\n`;
}

function write(text: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'phi-audit-load-'));
  const file = path.join(dir, 'big.phi.yaml');
  writeFileSync(file, text);
  return file;
}

describe('large maps read in pieces', () => {
  const text = bigMap(3000);

  it('are large enough to take the piecewise path, and do', () => {
    expect(text.length).toBeGreaterThan(CHUNKED_FROM);
    const pieces = parseChunked('big.phi.yaml', text);
    expect(pieces).toBeDefined();
    expect(pieces!.source.anchors!.size).toBe(3000 * 3 + 1 + 9000);
  });

  it('give the same findings, paths and positions as parsing the file whole', async () => {
    const file = write(text);
    const inPieces = await reportOfMap(loadMap([file]), { asOf: AS_OF });
    const whole = await reportOfMap(loadMap([file], { pieces: false }), { asOf: AS_OF });
    expect(inPieces.findings.length).toBeGreaterThan(1000);
    expect(inPieces).toEqual(whole);
  });

  it('report a schema error deep in the file at its exact line and column', () => {
    const broken = text.replace('  db-2500:\n', '  db-2500:\n    encripton: {}\n');
    const line = broken.slice(0, broken.indexOf('    encripton')).split('\n').length;
    const file = write(broken);
    try {
      loadMap([file]);
      expect.unreachable('the map is broken');
    } catch (err) {
      expect(err).toBeInstanceOf(InputError);
      const d = (err as InputError).diagnostics;
      expect(d).toHaveLength(1);
      expect(d[0]).toMatchObject({ line, column: 5 });
      expect(d[0]!.message).toContain('unknown key "encripton" in stores.db-2500: did you mean "encryption"?');
    }
  });

  it('report a reference error found after merging at its exact position', () => {
    const broken = text.replace(/(from: "?svc-2999"?,?\s*to: "?)db-2999/, '$1db-9999');
    expect(broken).not.toBe(text);
    // The value's position is where its text starts: at the opening quote when it is quoted.
    const found = broken.indexOf('db-9999');
    const offset = broken[found - 1] === '"' ? found - 1 : found;
    const line = broken.slice(0, offset).split('\n').length;
    const column = offset - broken.lastIndexOf('\n', offset - 1);
    try {
      loadMap([write(broken)]);
      expect.unreachable('the map is broken');
    } catch (err) {
      const d = (err as InputError).diagnostics;
      expect(d, JSON.stringify(d)).toEqual([expect.objectContaining({ line, column, message: expect.stringContaining("flow to \"db-9999\" is not a declared") })]);
    }
  });

  it('fall back to a whole parse for anchors and aliases, with the same result', async () => {
    const withAlias = text.replace('  aws:\n', '  aws: &aws\n').replace(/\n$/, '\n') ;
    expect(parseChunked('x', withAlias)).toBeUndefined();
    const file = write(withAlias);
    expect((await reportOfMap(loadMap([file]), { asOf: AS_OF })).summary.findings).toBeGreaterThan(0);
  });

  it('report a duplicate id split across two pieces', () => {
    const dup = text.replace('  svc-2900:\n', '  svc-3:\n');
    try {
      loadMap([write(dup)]);
      expect.unreachable('duplicate key');
    } catch (err) {
      expect((err as InputError).diagnostics[0]!.message).toMatch(/duplicate key "svc-3"/);
    }
  });

  it('give the same report from the built CLI whether the pieces are parsed on one thread or two', () => {
    const file = write(text);
    const args = ['scan', file, '--format', 'json', '--as-of', AS_OF, '--fail-on', 'none'];
    const two = cli(args);
    const one = cli(args, { env: { PHI_AUDIT_THREADS: '1' } });
    expect(two.stderr).toBe('');
    expect(two.status).toBe(0);
    expect(JSON.parse(two.stdout).findings.length).toBeGreaterThan(1000);
    expect(two.stdout).toBe(one.stdout);
  }, 60_000);
});
