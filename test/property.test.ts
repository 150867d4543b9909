/**
 * Property tests for phi-audit (docs/map-format.md, format v1).
 *
 * a. The engine's propagation agrees with a naive reference written straight from docs/map-format.md.
 * b. Valid maps never make the engine throw; findings are well formed and their order is deterministic.
 * c. Broken maps never crash the loader: it succeeds, or reports diagnostics (an InputError), nothing else.
 * d. The real CLI, as a child process, exits 0, 1 or 2 on generated maps, never with a stack trace.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, onTestFinished, vi } from 'vitest';
import { parse } from 'yaml';
import {
  audit,
  auditMap,
  type Diagnostic,
  InputError,
  type LoadedRule,
  loadMap,
  loadRules,
  type PhiMap,
  propagate,
  SEVERITIES,
  validateMapText,
} from '../src/index.js';
import { brokenMapArb, brokenOf, flowId, type GenMap, genMapArb, sampleOf, validMapArb } from './support/arbitraries.js';

/**
 * Regression examples (see the 'regressions' block at the end). PHI that only circles through a flow declaring it (a → b declares phi,
 * b → a passes it back): both nodes hold PHI, so both need a PHI path.
 */
const CYCLE_THROUGH_DECLARED_FLOW = sampleOf({
  classes: [],
  environments: [],
  nodes: [
    { id: 'a', section: 'vendors', extra: {} },
    { id: 'b', section: 'vendors', extra: {} },
  ],
  flows: [
    { from: 'a', to: 'b', data: ['phi'], extra: {} },
    { from: 'b', to: 'a', extra: {} },
  ],
});
/** A mapping key that is itself a collection: the YAML library warns on stderr unless told not to. */
const COLLECTION_KEY = brokenOf('version: 1\n? [a]\n: b\n', 'collection as a key');
/** An unknown key with a line break in it: the diagnostic must stay on one line (`file:line:column: message`). */
const KEY_WITH_NEWLINE = brokenOf('version: 1\n"a\\nb: c": 1\n', 'key with a line break');

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CLI = path.join(ROOT, 'dist', 'bin', 'phi-audit.js');
const AS_OF = '2026-11-22';
const run = promisify(execFile);

let tmp: string;
let rules: LoadedRule[];
let fileCounter = 0;

beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'phi-audit-prop-'));
  rules = loadRules();
});
afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
});

/** Write text to a fresh file under the temp folder; returns its name relative to the temp folder. */
function writeMap(text: string): string {
  const name = `map-${++fileCounter}.yaml`;
  writeFileSync(path.join(tmp, name), text);
  return name;
}

function load(text: string): PhiMap {
  return loadMap([writeMap(text)], { cwd: tmp });
}

// -----------------------------------------------------------------------------------------------------------------
// The naive reference: docs/map-format.md "How PHI propagates", with plain sets and loops.

interface RefEdge {
  from: string;
  to: string;
  kind: 'flow' | 'backup' | 'hosting' | 'subprocessor';
  flow?: GenMap['flows'][number];
}

interface Reference {
  holds: Map<string, Set<string>>;
  carries: Map<string, Set<string>>;
  isPhi(c: string): boolean;
  /** Shortest number of PHI-carrying edges from a PHI origin; undefined when no PHI reaches the node. */
  dist: Map<string, number>;
  edges: RefEdge[];
  /** Nodes that are PHI origins for the path of some node: own PHI data. */
  ownOrigins: Set<string>;
  /** Flow ids whose source is a PHI origin for that flow: the flow declares PHI its source does not hold. */
  originFlows: Set<string>;
  carried(e: RefEdge): Set<string>;
}

/** `aws/s3` → aws, `sentry` → sentry, `self` → none (docs/map-format.md "Services, stores and logs"). */
function hostingVendor(hosting: string | undefined): string | undefined {
  if (hosting === undefined || hosting === 'self') return undefined;
  const slash = hosting.indexOf('/');
  return slash < 0 ? hosting : hosting.slice(0, slash);
}

function reference(m: GenMap): Reference {
  const phiClasses = new Set(['phi', ...m.classes.filter((c) => c.phi).map((c) => c.id)]);
  const isPhi = (c: string) => phiClasses.has(c);
  const holds = new Map(m.nodes.map((n) => [n.id, new Set(n.data ?? [])]));

  const edges: RefEdge[] = m.flows.map((f) => ({ from: f.from, to: f.to, kind: 'flow', flow: f }));
  for (const n of m.nodes) {
    if (n.backup !== undefined) edges.push({ from: n.id, to: n.backup, kind: 'backup' });
    const vendor = n.section === 'vendors' ? undefined : hostingVendor(n.hosting);
    if (vendor !== undefined) edges.push({ from: n.id, to: vendor, kind: 'hosting' });
    for (const sub of n.subprocessors ?? []) edges.push({ from: n.id, to: sub, kind: 'subprocessor' });
  }

  // A flow carries its `data` if given, else everything its source holds; `deidentify` turns every PHI class it
  // carries into `deidentified`. Backups, hosting and subprocessors pass everything the source holds.
  const carried = (e: RefEdge): Set<string> => {
    const base = e.flow?.data !== undefined ? new Set(e.flow.data) : new Set(holds.get(e.from)!);
    if (!e.flow?.deidentify) return base;
    const out = new Set<string>();
    for (const c of base) out.add(isPhi(c) ? 'deidentified' : c);
    return out;
  };

  // Fixed point: iterate over every edge until nothing changes.
  for (let changed = true; changed; ) {
    changed = false;
    for (const e of edges) {
      const target = holds.get(e.to)!;
      for (const c of carried(e)) {
        if (!target.has(c)) {
          target.add(c);
          changed = true;
        }
      }
    }
  }
  const carries = new Map(m.flows.map((f) => [flowId(f), carried(edges.find((e) => e.flow === f)!)]));

  // Origins: nodes whose own data includes PHI; and the source of a flow that declares PHI data its source does
  // not hold (that flow's target is then one edge from an origin).
  const ownOrigins = new Set(m.nodes.filter((n) => (n.data ?? []).some(isPhi)).map((n) => n.id));
  const originFlows = new Set<string>();
  for (const e of edges) {
    if (e.kind !== 'flow' || e.flow!.data === undefined) continue;
    const declaredPhi = [...carried(e)].filter(isPhi);
    if (declaredPhi.length > 0 && flowStartsPath(declaredPhi, holds.get(e.from)!, isPhi)) originFlows.add(flowId(e.flow!));
  }

  // Shortest distances, Bellman-Ford style: relax every PHI-carrying edge until nothing improves.
  const dist = new Map<string, number>();
  for (const id of ownOrigins) dist.set(id, 0);
  for (const e of edges) {
    if (e.flow && originFlows.has(flowId(e.flow)) && !((dist.get(e.to) ?? Infinity) <= 1)) dist.set(e.to, 1);
  }
  for (let changed = true; changed; ) {
    changed = false;
    for (const e of edges) {
      const du = dist.get(e.from);
      if (du === undefined || ![...carried(e)].some(isPhi)) continue;
      if (du + 1 < (dist.get(e.to) ?? Infinity)) {
        dist.set(e.to, du + 1);
        changed = true;
      }
    }
  }
  return { holds, carries, isPhi, dist, edges, ownOrigins, originFlows, carried };
}

/**
 * When a flow with declared PHI `data` starts a PHI path at its source. The v1 contract leaves this to the engine;
 * src/graph/propagate.ts starts one only when the source holds no PHI at all (when it does hold some, the path
 * runs through the source's own path instead). The reference follows that reading; see the report for the
 * per-class alternative.
 */
function flowStartsPath(declaredPhi: string[], sourceHolds: Set<string>, isPhi: (c: string) => boolean): boolean {
  if (PER_CLASS_ORIGINS) return declaredPhi.some((c) => !sourceHolds.has(c));
  return ![...sourceHolds].some(isPhi);
}
/**
 * The other reading of "declares PHI data its source does not hold": per class. With it, `a → b data: [notes]`
 * then `b → c data: [phi]` gives c the path [b, c] (phi starts at b); the engine gives [a, b, c].
 */
const PER_CLASS_ORIGINS = false;

const sorted = (s: Iterable<string>) => [...s].sort();

function checkAgainstReference(m: GenMap, map: PhiMap): void {
  const ref = reference(m);
  const phi = propagate(map);
  const phiOf = (s: Set<string>) => sorted([...s].filter(ref.isPhi));

  // Node set and flow set as generated.
  expect(sorted(map.nodes.keys())).toEqual(sorted(m.nodes.map((n) => n.id)));
  expect(map.flows.map((f) => f.id)).toEqual(m.flows.map(flowId));

  for (const n of m.nodes) {
    const held = ref.holds.get(n.id)!;
    const ctx = `node ${n.id}`;
    expect(phi.holds(n.id), ctx).toEqual(sorted(held));
    expect(phi.phiAt(n.id), ctx).toEqual(phiOf(held));
    expect(phi.holdsPhi(n.id), ctx).toBe(phiOf(held).length > 0);

    const d = ref.dist.get(n.id);
    const p = phi.phiPathTo(n.id);
    if (!phi.holdsPhi(n.id)) {
      expect(p, `${ctx}: no PHI, no path`).toBeUndefined();
      expect(d, `${ctx}: reference distance`).toBeUndefined();
      continue;
    }
    // docs/map-format.md: every node and vendor that ends up holding PHI has a path from a PHI origin.
    expect(p, `${ctx}: holds PHI ${JSON.stringify(phi.phiAt(n.id))} but phiPathTo is undefined`).toBeDefined();
    checkRealPath(ref, p!, n.id);
    // Where the origin rule gives the node a distance, the path is a shortest one. (When PHI only circles
    // through flows that declare it, the rule names no origin; see flowStartsPath.)
    if (d !== undefined) expect(p!.length, `${ctx}: shortest path ${JSON.stringify(p)}`).toBe(d + 1);
  }

  expect(sorted(phi.phiHolders)).toEqual(sorted(m.nodes.filter((n) => phiOf(ref.holds.get(n.id)!).length > 0).map((n) => n.id)));

  const sends = new Set<string>();
  for (const f of m.flows) {
    const id = flowId(f);
    const carried = ref.carries.get(id)!;
    const ctx = `flow ${id}`;
    const carriesPhi = phiOf(carried).length > 0;
    expect(phi.carries(id), ctx).toEqual(sorted(carried));
    expect(phi.phiCarried(id), ctx).toEqual(phiOf(carried));
    expect(phi.carriesPhi(id), ctx).toBe(carriesPhi);
    const atSource = phiOf(ref.holds.get(f.from)!);
    expect(phi.dropped(id), ctx).toEqual(atSource.filter((c) => !carried.has(c)));
    const fp = phi.flowPhiPath(id);
    if (carriesPhi) {
      sends.add(f.from);
      expect(fp?.slice(-2), `${ctx}: flow path ends with the flow`).toEqual([f.from, f.to]);
      expect(fp!.slice(0, -1), `${ctx}: flow path is the path to its source`).toEqual(phi.phiPathTo(f.from) ?? [f.from]);
    } else {
      expect(fp, `${ctx}: no PHI, no flow path`).toBeUndefined();
    }
  }
  for (const n of m.nodes) expect(phi.sendsPhi(n.id), `sendsPhi ${n.id}`).toBe(sends.has(n.id));
}

/** A path starts at a PHI origin, follows edges that carry PHI, visits no node twice and ends at `id`. */
function checkRealPath(ref: Reference, p: string[], id: string): void {
  const ctx = `path to ${id}: ${JSON.stringify(p)}`;
  expect(p[p.length - 1], ctx).toBe(id);
  expect(new Set(p).size, `${ctx}: simple`).toBe(p.length);
  const phiEdge = (from: string, to: string) => ref.edges.filter((e) => e.from === from && e.to === to && [...ref.carried(e)].some(ref.isPhi));
  // An origin: own PHI data, or the source of a flow that declares PHI data (the origin rule's flows, or any
  // such flow when the rule names no origin for this node).
  const fromOrigin = (e: RefEdge) =>
    e.flow !== undefined && (ref.originFlows.has(flowId(e.flow)) || (!ref.dist.has(id) && (e.flow.data ?? []).some(ref.isPhi)));
  // When PHI only circles back to the source of a flow that declares it, that source is where its path starts.
  const declaresPhi = (node: string) => ref.edges.some((e) => e.from === node && (e.flow?.data ?? []).some(ref.isPhi));
  const startsAtOrigin = ref.ownOrigins.has(p[0]!) || (p.length >= 2 && phiEdge(p[0]!, p[1]!).some(fromOrigin)) || (!ref.dist.has(id) && declaresPhi(p[0]!));
  expect(startsAtOrigin, `${ctx}: starts at a PHI origin`).toBe(true);
  for (let i = 0; i + 1 < p.length; i++) {
    expect(phiEdge(p[i]!, p[i + 1]!).length, `${ctx}: ${p[i]} → ${p[i + 1]} is an edge that carries PHI`).toBeGreaterThan(0);
  }
}

// -----------------------------------------------------------------------------------------------------------------

function expectDiagnostics(diagnostics: readonly Diagnostic[], file?: string): void {
  expect(diagnostics.length).toBeGreaterThan(0);
  for (const d of diagnostics) {
    if (file !== undefined) expect(d.file).toBe(file);
    expect(typeof d.file).toBe('string');
    expect(d.file.length).toBeGreaterThan(0);
    expect(Number.isInteger(d.line) && d.line >= 1, `line of ${JSON.stringify(d)}`).toBe(true);
    expect(Number.isInteger(d.column) && d.column >= 1, `column of ${JSON.stringify(d)}`).toBe(true);
    expect(typeof d.message).toBe('string');
    expect(d.message.trim().length, `message of ${JSON.stringify(d)}`).toBeGreaterThan(0);
  }
}

describe('PHI propagation (property)', () => {
  it('agrees with a naive reference on holds, carries and shortest PHI paths', () => {
    fc.assert(
      fc.property(validMapArb, ({ model, doc, text }) => {
        // The generator's YAML reads back as the document it wrote.
        expect(parse(text)).toEqual(doc);
        const map = load(text);
        checkAgainstReference(model, map);
      }),
      { numRuns: 400 },
    );
  }, 60_000);

  it('agrees with the reference when the classes fill several 32-bit words (interned class sets)', () => {
    // 70 unused classes declared first push the generated ones past the first two words of a class set.
    const padding = Array.from({ length: 70 }, (_, i) => ({ id: `pad-${i}`, phi: i % 3 === 0 }));
    fc.assert(
      fc.property(
        genMapArb.map((m) => sampleOf({ ...m, classes: [...padding.filter((p) => !m.classes.some((c) => c.id === p.id)), ...m.classes] })),
        ({ model, text }) => {
          checkAgainstReference(model, load(text));
        },
      ),
      { numRuns: 150 },
    );
  }, 60_000);
});

describe('PHI propagation (regressions)', () => {
  it('PHI that circles back through a flow declaring it still has a PHI path to every holder', () => {
    checkAgainstReference(CYCLE_THROUGH_DECLARED_FLOW.model, load(CYCLE_THROUGH_DECLARED_FLOW.text));
  });
});

describe('scanning valid maps (property)', () => {
  it('never throws; findings are well formed and in a deterministic order', async () => {
    const severities = new Set<string>(SEVERITIES);
    const reportOf = async (run: Promise<Awaited<ReturnType<typeof audit>>>) => {
      const result = await run;
      if (!result.ok) throw new Error(`a valid map has input problems: ${JSON.stringify(result.diagnostics)}`);
      return result.report;
    };
    await fc.assert(
      fc.asyncProperty(validMapArb, async ({ model, text }) => {
        const file = writeMap(text);
        const map = loadMap([file], { cwd: tmp });
        const first = await reportOf(auditMap(map, { loadedRules: rules, asOf: AS_OF }));
        const second = await reportOf(auditMap(loadMap([file], { cwd: tmp }), { loadedRules: rules, asOf: AS_OF }));
        expect(second).toEqual(first);
        expect(await reportOf(audit({ paths: [file], cwd: tmp, asOf: AS_OF, loadedRules: rules }))).toEqual(first);

        const nodes = new Map(model.nodes.map((n) => [n.id, n]));
        const flows = new Map(model.flows.map((f) => [flowId(f), f]));
        const TYPE = { vendors: 'vendor', services: 'service', stores: 'store', logs: 'log' } as const;
        expect(first.findings.length).toBe(first.summary.findings + first.summary.folded);
        expect(first.findings.filter((f) => f.folded_under !== undefined).length).toBe(first.summary.folded);
        for (const f of first.findings) {
          const ctx = JSON.stringify(f);
          expect(f.id, ctx).toBe(`${f.rule}@${f.target}`);
          expect(severities.has(f.severity), ctx).toBe(true);
          expect(['fail', 'unknown'], ctx).toContain(f.status);
          expect(f.location.file, ctx).toBe(file);
          expect(Number.isInteger(f.location.line) && f.location.line >= 1, ctx).toBe(true);
          expect(Number.isInteger(f.location.column) && f.location.column >= 1, ctx).toBe(true);
          expect(Array.isArray(f.phiPath), ctx).toBe(true);
          expect(Array.isArray(f.cite) && f.cite.length > 0, ctx).toBe(true);
          expect(f.message.trim().length, ctx).toBeGreaterThan(0);
          // A flow's custom id may equal a node id; target_type tells them apart.
          if (f.target_type === 'flow') expect(flows.has(f.target), ctx).toBe(true);
          else expect(TYPE[nodes.get(f.target)?.section ?? 'vendors'] === f.target_type && nodes.has(f.target), ctx).toBe(true);
          for (const id of f.phiPath) expect(nodes.has(id), ctx).toBe(true);
          if (f.phiPath.length > 0) {
            const end = f.target_type === 'flow' ? flows.get(f.target)!.to : f.target;
            expect(f.phiPath[f.phiPath.length - 1], ctx).toBe(end);
          }
        }
        const ids = first.findings.map((f) => f.id);
        expect(new Set(ids).size, 'finding ids are unique').toBe(ids.length);
      }),
      { numRuns: 150 },
    );
  }, 60_000);
});

describe('loading broken maps (property)', () => {
  it('validateMapText and loadMap succeed or report positioned diagnostics, never crash', async () => {
    // The YAML library reports some oddities through process.emitWarning (see the regressions block); keep them out
    // of the test output here, where only exceptions matter.
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    onTestFinished(() => warn.mockRestore());
    await fc.assert(
      fc.asyncProperty(brokenMapArb, async ({ text }) => {
        let r: ReturnType<typeof validateMapText>;
        try {
          r = validateMapText('broken.yaml', text);
        } catch (err) {
          throw new Error(`validateMapText threw ${(err as Error)?.constructor?.name}: ${(err as Error)?.stack ?? String(err)}`);
        }
        if (r.file) expect(r.diagnostics).toEqual([]);
        else expectDiagnostics(r.diagnostics, 'broken.yaml');

        const file = writeMap(text);
        let map: PhiMap | undefined;
        try {
          map = loadMap([file], { cwd: tmp });
        } catch (err) {
          if (!(err instanceof InputError)) {
            throw new Error(`loadMap threw ${(err as Error)?.constructor?.name}: ${(err as Error)?.stack ?? String(err)}`);
          }
          expectDiagnostics(err.diagnostics, file);
        }
        // A file that fails validation never loads.
        if (!r.file) expect(map).toBeUndefined();
        // Whatever loads, scans.
        if (map) expect((await auditMap(map, { loadedRules: rules, asOf: AS_OF })).ok).toBe(true);
      }),
      { numRuns: 400 },
    );
  }, 60_000);
});

describe('the CLI on generated maps (property)', () => {
  beforeAll(() => {
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npx tsc -p .\` first`);
  });

  const cli = async (args: string[]): Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }> => {
    try {
      const { stdout, stderr } = await run(process.execPath, [CLI, ...args], {
        cwd: tmp,
        env: { ...process.env, NO_COLOR: '1', PHI_AUDIT_DEBUG: '' },
        maxBuffer: 64 * 1024 * 1024,
        timeout: 30_000,
      });
      return { code: 0, signal: null, stdout, stderr };
    } catch (err) {
      const e = err as { code?: number | string; signal?: string | null; stdout?: string; stderr?: string };
      if (typeof e.code !== 'number' && e.signal == null) throw err;
      return { code: typeof e.code === 'number' ? e.code : null, signal: e.signal ?? null, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
    }
  };

  const checkRun = (r: Awaited<ReturnType<typeof cli>>, what: string, json: boolean) => {
    const ctx = `${what}\nexit ${r.code} signal ${r.signal}\nstderr:\n${r.stderr}`;
    expect(r.signal, ctx).toBeNull();
    expect([0, 1, 2], ctx).toContain(r.code);
    expect(r.stderr, ctx).not.toMatch(/\n\s+at /);
    if (r.code === 2) {
      const lines = r.stderr.replace(/\n$/, '').split('\n');
      expect(lines.length, ctx).toBeGreaterThanOrEqual(2);
      expect(lines[lines.length - 1], ctx).toMatch(/^phi-audit: \d+ problems? to fix/);
      for (const line of lines.slice(0, -1)) expect(line, ctx).toMatch(/^[^:]+:\d+:\d+: .+/);
    } else if (json) {
      expect(() => JSON.parse(r.stdout), ctx).not.toThrow();
    }
  };

  const exercise = async (text: string) => {
    const file = writeMap(text);
    const [validate, scanned] = await Promise.all([cli(['validate', file]), cli(['scan', file, '--as-of', AS_OF, '--format', 'json'])]);
    checkRun(validate, `validate ${file}`, false);
    checkRun(scanned, `scan ${file}`, true);
    // Both commands agree on whether the map is usable.
    expect(validate.code === 2, `validate and scan agree on ${file}`).toBe(scanned.code === 2);
    return { validate, scanned };
  };

  it('regression: a collection used as a mapping key is a diagnostic, not a Node warning on stderr', async () => {
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    onTestFinished(() => warn.mockRestore());
    const r = validateMapText('broken.yaml', COLLECTION_KEY.text);
    expectDiagnostics(r.diagnostics, 'broken.yaml');
    expect(
      warn.mock.calls.map((c) => String(c[0])),
      'the library emits no process warning',
    ).toEqual([]);
    await exercise(COLLECTION_KEY.text);
  }, 30_000);

  it('regression: a !!binary key is a diagnostic, not a Node warning on stderr', async () => {
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    onTestFinished(() => warn.mockRestore());
    const text = '!!binary version: 1\nvendors:\n  "0": {}\n';
    const r = validateMapText('broken.yaml', text);
    expectDiagnostics(r.diagnostics, 'broken.yaml');
    expect(r.diagnostics.map((d) => d.message)).toContain('YAML: a key must be plain text, not a list, a mapping or a tagged value such as !!binary');
    expect(warn.mock.calls.map((c) => String(c[0]))).toEqual([]);
    await exercise(text);
  }, 30_000);

  it('regression: a diagnostic quoting a key with a line break stays on one line', async () => {
    const r = validateMapText('broken.yaml', KEY_WITH_NEWLINE.text);
    expectDiagnostics(r.diagnostics, 'broken.yaml');
    for (const d of r.diagnostics) expect(d.message, 'one line per diagnostic').not.toMatch(/[\r\n]/);
    await exercise(KEY_WITH_NEWLINE.text);
  }, 30_000);

  it('valid maps: validate exits 0, scan exits 0 or 1 with JSON', async () => {
    await fc.assert(
      fc.asyncProperty(validMapArb, async ({ text }) => {
        const { validate, scanned } = await exercise(text);
        expect(validate.code).toBe(0);
        expect([0, 1]).toContain(scanned.code);
      }),
      { numRuns: 25 },
    );
  }, 120_000);

  it('broken maps: exit 0, 1 or 2, never a crash or a stack trace', async () => {
    await fc.assert(
      fc.asyncProperty(brokenMapArb, async ({ text }) => {
        await exercise(text);
      }),
      { numRuns: 25 },
    );
  }, 120_000);
});
