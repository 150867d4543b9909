/**
 * fast-check arbitraries for PHI maps (docs/map-format.md, format v1).
 *
 * - `validMapArb`: small, fully valid maps (every reference resolves, ids unique and well formed, no self flows, no
 *   duplicate FROM->TO pair without an `id:`, no self backup or self subprocessor). Each sample carries the
 *   generator's own model (`GenMap`), the JS document and its YAML text, so a test can compute expectations from
 *   the model without trusting the loader.
 * - `brokenMapArb`: a valid map with one to four random mutations, structural (unknown keys, wrong types,
 *   dangling references, duplicate ids, self references, deep nesting, odd scalars) and textual (truncation,
 *   tabs, colons, quotes, random bytes, ...). A mutation may happen to leave the map valid; that is fine.
 */
import fc from 'fast-check';
import { stringify } from 'yaml';

export type Section = 'vendors' | 'services' | 'stores' | 'logs';
export const SECTIONS: readonly Section[] = ['vendors', 'services', 'stores', 'logs'];

export interface GenClass {
  id: string;
  phi: boolean;
}

export interface GenNode {
  id: string;
  section: Section;
  /** Own `data:` (absent = no own data). */
  data?: string[];
  /** `backup:` names a store (never the node itself). */
  backup?: string;
  /** `hosting:` as written: `V`, `V/svc` or `self` (non-vendors only). */
  hosting?: string;
  /** Vendors only; never the vendor itself. */
  subprocessors?: string[];
  /** Fields that do not affect propagation (safeguards, kinds, BAA...). */
  extra: Record<string, unknown>;
}

export interface GenFlow {
  id?: string;
  from: string;
  to: string;
  data?: string[];
  deidentify?: 'safe-harbor' | 'expert-determination';
  on?: 'normal' | 'error' | 'retry' | 'debug';
  extra: Record<string, unknown>;
}

export interface GenMap {
  system?: string;
  classes: GenClass[];
  environments: { id: string; phi_allowed: boolean }[];
  nodes: GenNode[];
  flows: GenFlow[];
}

export interface ValidSample {
  model: GenMap;
  doc: Record<string, unknown>;
  text: string;
}

export interface BrokenSample {
  /** The valid map the mutations started from. */
  base: ValidSample;
  /** Names of the mutations applied, for failure messages. */
  mutations: string[];
  text: string;
}

export const BUILTIN_CLASS_IDS = ['phi', 'deidentified'] as const;

// ---------------------------------------------------------------------------------------------------------------
// Ids

/** Ids that YAML would read as something other than a string when written plain; stringify must quote them. */
const TRICKY_IDS = [
  '0',
  '1',
  '007',
  '1.0',
  '1e3',
  '0x1f',
  '0o7',
  '1_000',
  'null',
  'true',
  'false',
  'yes',
  'no',
  'on',
  'off',
  'nan',
  'inf',
  'y',
  'n',
  'self',
  'a..b',
  'a--b',
  'x_',
  '9-9',
];
const READABLE_IDS = [
  'aws',
  'gcp',
  'sentry',
  'openai',
  'ehr',
  'api',
  'web',
  'etl',
  'db',
  'cache',
  'queue',
  'dlq',
  'bucket',
  'logs',
  'audit',
  'trace',
  'warehouse',
  'model',
  'laptop',
  'backup',
];

export const idArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...READABLE_IDS) },
  { weight: 2, arbitrary: fc.constantFrom(...TRICKY_IDS) },
  { weight: 3, arbitrary: fc.stringMatching(/^[a-z0-9][a-z0-9._-]{0,12}$/) },
);

const classIdArb = idArb.filter((id) => !(BUILTIN_CLASS_IDS as readonly string[]).includes(id));

const dateArb = fc
  .date({ min: new Date('2015-01-01T00:00:00Z'), max: new Date('2035-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));

const smallText = fc.oneof(fc.constantFrom('', 'PHI goes here', 'ünïcødé ✓ 日本語', 'a: b # not a comment', '- not a list'), fc.string({ maxLength: 20 }));

/** Pick a subset of `pool` in random order, possibly empty. */
function subsetArb<T>(pool: readonly T[], maxLength?: number): fc.Arbitrary<T[]> {
  return fc.shuffledSubarray([...pool], { minLength: 0, maxLength: Math.min(maxLength ?? pool.length, pool.length) });
}

/** Either absent (undefined) or a value. */
function maybe<T>(arb: fc.Arbitrary<T>, freq = 2): fc.Arbitrary<T | undefined> {
  return fc.option(arb, { nil: undefined, freq });
}

/** A record of optional fields: each key present or not. */
function optionalFields(shape: Record<string, fc.Arbitrary<unknown>>): fc.Arbitrary<Record<string, unknown>> {
  return fc.record(shape, { requiredKeys: [] }) as fc.Arbitrary<Record<string, unknown>>;
}

// ---------------------------------------------------------------------------------------------------------------
// Valid maps

const accessArb = optionalFields({
  unique_user_ids: fc.boolean(),
  mfa: fc.boolean(),
  session_timeout_minutes: fc.integer({ min: 1, max: 1440 }),
  emergency_access: fc.boolean(),
  rbac: fc.boolean(),
});
const encryptionArb = optionalFields({
  at_rest: fc.constantFrom('none', 'aes-128', 'aes-192', 'aes-256'),
  key: fc.constantFrom('provider-managed', 'customer-managed'),
});

interface Skeleton {
  system?: string;
  classes: GenClass[];
  environments: { id: string; phi_allowed: boolean }[];
  nodes: { id: string; section: Section }[];
  rawFlows: { from: number; to: number; id?: string; wantsId: boolean }[];
}

const skeletonArb: fc.Arbitrary<Skeleton> = fc
  .record({
    system: maybe(fc.oneof(fc.constantFrom('northbay', 'test-system'), fc.string({ maxLength: 12 }))),
    classes: fc.uniqueArray(fc.record({ id: classIdArb, phi: fc.boolean() }), { maxLength: 5, selector: (c) => c.id }),
    environments: fc.uniqueArray(fc.record({ id: idArb, phi_allowed: fc.boolean() }), { maxLength: 3, selector: (e) => e.id }),
    nodes: fc.uniqueArray(fc.record({ id: idArb, section: fc.constantFrom(...SECTIONS) }), {
      minLength: 1,
      maxLength: 12,
      selector: (n) => n.id,
    }),
    rawFlows: fc.array(fc.record({ from: fc.nat(), to: fc.nat(), id: maybe(idArb, 6), wantsId: fc.boolean() }), { maxLength: 30 }),
  })
  .map((s) => s as Skeleton);

function nodeArb(node: { id: string; section: Section }, sk: Skeleton): fc.Arbitrary<GenNode> {
  const classIds = [...BUILTIN_CLASS_IDS, ...sk.classes.map((c) => c.id)];
  const vendors = sk.nodes.filter((n) => n.section === 'vendors').map((n) => n.id);
  const stores = sk.nodes.filter((n) => n.section === 'stores' && n.id !== node.id).map((n) => n.id);
  const logs = sk.nodes.filter((n) => n.section === 'logs' && n.id !== node.id).map((n) => n.id);
  const envs = sk.environments.map((e) => e.id);
  const dataArb = maybe(subsetArb(classIds, 3));

  if (node.section === 'vendors') {
    const others = vendors.filter((v) => v !== node.id);
    const baa = fc.record(
      {
        status: fc.constantFrom('signed', 'pending', 'none', 'not-required'),
        signed: dateArb,
        expires: dateArb,
        services: fc.array(fc.constantFrom('s3', 'rds', 'ecs', 'bigquery', 'api'), { maxLength: 3 }),
        document: smallText,
      },
      { requiredKeys: ['status'] },
    );
    const extra = optionalFields({
      role: fc.constantFrom('business-associate', 'covered-entity'),
      description: smallText,
      baa,
      retains_data: fc.boolean(),
    });
    return fc
      .record({
        data: maybe(subsetArb(classIds, 3), 4),
        subprocessors: others.length > 0 ? maybe(subsetArb(others)) : fc.constant(undefined),
        extra,
      })
      .map((r) => ({ id: node.id, section: node.section, ...definedOnly(r), extra: r.extra }) as GenNode);
  }

  const hosting: fc.Arbitrary<string | undefined> =
    vendors.length > 0
      ? maybe(
          fc.oneof(
            fc.constantFrom(...vendors),
            fc.tuple(fc.constantFrom(...vendors), fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,8}$/)).map(([v, s]) => `${v}/${s}`),
            fc.constant('self'),
          ),
        )
      : maybe(fc.constant('self'));
  const common: Record<string, fc.Arbitrary<unknown>> = {
    description: smallText,
    records: fc.oneof(fc.nat({ max: 1000 }), fc.constant(0), fc.constant(Number.MAX_SAFE_INTEGER)),
    access: accessArb,
    encryption: encryptionArb,
  };
  if (envs.length > 0) common.environment = fc.constantFrom(...envs);
  if (logs.length > 0) common.audit_log = fc.constantFrom(...logs);
  let specific: Record<string, fc.Arbitrary<unknown>> = {};
  if (node.section === 'services') specific = { interactive: fc.boolean() };
  if (node.section === 'logs') {
    specific = {
      kind: fc.constantFrom('application', 'audit', 'trace', 'metrics', 'error-tracking'),
      retention_days: fc.nat({ max: 4000 }),
      tamper_evident: fc.boolean(),
    };
  }
  const extra =
    node.section === 'stores'
      ? fc
          .tuple(
            optionalFields({
              ...common,
              kind: fc.constantFrom('database', 'object-store', 'queue', 'dead-letter-queue', 'cache', 'filesystem', 'dataset', 'model', 'backup', 'device'),
              public_access: fc.constantFrom('blocked', 'allowed'),
              versioning: fc.boolean(),
              object_lock: fc.boolean(),
              point_in_time_recovery: fc.boolean(),
            }),
            maybe(fc.boolean()),
          )
          // `managed` is only valid on kind: device stores.
          .map(([e, managed]) => (e.kind === 'device' && managed !== undefined ? { ...e, managed } : e))
      : optionalFields({ ...common, ...specific });
  return fc
    .record({
      data: dataArb,
      backup: stores.length > 0 ? maybe(fc.constantFrom(...stores)) : fc.constant(undefined),
      hosting,
      extra,
    })
    .map((r) => ({ id: node.id, section: node.section, ...definedOnly(r), extra: r.extra }) as GenNode);
}

function definedOnly<T extends Record<string, unknown>>(r: T): Partial<T> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(r)) if (v !== undefined && k !== 'extra') out[k] = v;
  return out as Partial<T>;
}

/** Turn raw (from, to) index pairs into valid flows: self flows redirected or dropped, duplicate pairs given ids. */
function repairFlows(sk: Skeleton): { from: string; to: string; id?: string }[] {
  const n = sk.nodes.length;
  const pairs = new Set<string>();
  // A flow's own id may not repeat another flow's id or name a node (merge rejects that as ambiguous).
  const flowIds = new Set<string>(sk.nodes.map((node) => node.id));
  const out: { from: string; to: string; id?: string }[] = [];
  for (const raw of sk.rawFlows) {
    const from = raw.from % n;
    let to = raw.to % n;
    if (from === to) {
      // A self-referencing attempt: the valid generator turns it into a flow to the next node, or drops it.
      if (n === 1) continue;
      to = (to + 1) % n;
    }
    const f = { from: sk.nodes[from]!.id, to: sk.nodes[to]!.id };
    const pair = `${f.from}->${f.to}`;
    let id = raw.id;
    if (id === undefined && pairs.has(pair)) id = `${f.from}-to-${f.to}`.replace(/^[^a-z0-9]+/, 'f');
    if (id !== undefined) {
      let unique = id;
      for (let k = 2; flowIds.has(unique); k++) unique = `${id}-${k}`;
      flowIds.add(unique);
      out.push({ ...f, id: unique });
    } else {
      out.push(f);
    }
    pairs.add(pair);
  }
  return out;
}

function flowArb(base: { from: string; to: string; id?: string }, classIds: readonly string[]): fc.Arbitrary<GenFlow> {
  return fc
    .record({
      data: maybe(subsetArb(classIds, 3)),
      deidentify: maybe(fc.constantFrom('safe-harbor' as const, 'expert-determination' as const), 3),
      on: maybe(fc.constantFrom('normal' as const, 'error' as const, 'retry' as const, 'debug' as const)),
      extra: optionalFields({
        tls: fc.constantFrom('none', '1.0', '1.1', '1.2', '1.3', 1.2, 1.3, 1),
        purpose: smallText,
        description: smallText,
      }),
    })
    .map((r) => ({ ...base, ...definedOnly(r), extra: r.extra }) as GenFlow);
}

export const genMapArb: fc.Arbitrary<GenMap> = skeletonArb.chain((sk) => {
  const classIds = [...BUILTIN_CLASS_IDS, ...sk.classes.map((c) => c.id)];
  const flows = repairFlows(sk);
  return fc
    .record({
      nodes: fc.tuple(...sk.nodes.map((n) => nodeArb(n, sk))),
      flows: flows.length > 0 ? fc.tuple(...flows.map((f) => flowArb(f, classIds))) : fc.constant([] as GenFlow[]),
    })
    .map(({ nodes, flows: fl }) => {
      const m: GenMap = { classes: sk.classes, environments: sk.environments, nodes: [...nodes], flows: [...fl] };
      if (sk.system !== undefined) m.system = sk.system;
      return m;
    });
});

/** The YAML document (as a JS object) for a generated map. Sections appear only when they have entries. */
export function toDocument(m: GenMap): Record<string, unknown> {
  const doc: Record<string, unknown> = { version: 1 };
  if (m.system !== undefined) doc.system = m.system;
  if (m.classes.length > 0) doc.data_classes = Object.fromEntries(m.classes.map((c) => [c.id, { phi: c.phi }]));
  if (m.environments.length > 0) doc.environments = Object.fromEntries(m.environments.map((e) => [e.id, { phi_allowed: e.phi_allowed }]));
  for (const section of SECTIONS) {
    const nodes = m.nodes.filter((n) => n.section === section);
    if (nodes.length === 0) continue;
    doc[section] = Object.fromEntries(
      nodes.map((n) => {
        const spec: Record<string, unknown> = { ...n.extra };
        if (n.data !== undefined) spec.data = n.data;
        if (n.backup !== undefined) spec.backup = n.backup;
        if (n.hosting !== undefined) spec.hosting = n.hosting;
        if (n.subprocessors !== undefined) spec.subprocessors = n.subprocessors;
        return [n.id, spec];
      }),
    );
  }
  if (m.flows.length > 0) {
    doc.flows = m.flows.map((f) => {
      const spec: Record<string, unknown> = {};
      if (f.id !== undefined) spec.id = f.id;
      spec.from = f.from;
      spec.to = f.to;
      if (f.data !== undefined) spec.data = f.data;
      if (f.deidentify !== undefined) spec.deidentify = f.deidentify;
      if (f.on !== undefined) spec.on = f.on;
      Object.assign(spec, f.extra);
      return spec;
    });
  }
  return doc;
}

export function toYaml(doc: unknown): string {
  return stringify(doc);
}

/** A sample for a hand-written model (regression examples). */
export function sampleOf(model: GenMap): ValidSample {
  const doc = toDocument(model);
  return { model, doc, text: toYaml(doc) };
}

export const validMapArb: fc.Arbitrary<ValidSample> = genMapArb.map(sampleOf);

/** A broken sample for hand-written text (regression examples). */
export function brokenOf(text: string, name = 'hand-written'): BrokenSample {
  return { base: sampleOf({ classes: [], environments: [], nodes: [{ id: 'a', section: 'services', extra: {} }], flows: [] }), mutations: [name], text };
}

/** The flow id the engine gives a generated flow. */
export function flowId(f: { id?: string; from: string; to: string }): string {
  return f.id ?? `${f.from}->${f.to}`;
}

// ---------------------------------------------------------------------------------------------------------------
// Broken maps

/** Values of every wrong type and odd shape. */
export const oddValueArb: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(null, true, false, 0, -1, 1.5, '', ' ', 'null', '~', 'yes', Number.MAX_VALUE, -Number.MAX_VALUE, Number.MIN_VALUE, 1e21, 2 ** 53 + 1, -0),
  fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY),
  fc.bigInt({ min: -(10n ** 40n), max: 10n ** 40n }),
  fc.integer(),
  fc.double(),
  fc.string({ maxLength: 30 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.constantFrom('\u0000', '\u202e', '\ufeff', '😀', 'A'.repeat(10_000), 'é\u0301', '\ud800'),
  fc.array(fc.oneof(fc.string({ maxLength: 5 }), fc.integer(), fc.constant(null)), { maxLength: 4 }),
  fc.dictionary(fc.string({ maxLength: 6 }), fc.oneof(fc.string({ maxLength: 5 }), fc.integer(), fc.constant(null)), { maxKeys: 3 }),
  fc.integer({ min: 1, max: 400 }).map((depth) => nest(depth, false)),
  fc.integer({ min: 1, max: 400 }).map((depth) => nest(depth, true)),
);

function nest(depth: number, asMap: boolean): unknown {
  let v: unknown = 'leaf';
  for (let i = 0; i < depth; i++) v = asMap ? { k: v } : [v];
  return v;
}

type Container = Record<string, unknown> | unknown[];
interface Slot {
  parent: Container;
  key: string | number;
  path: (string | number)[];
}

/** Every (container, key) slot in the document, in a stable order. */
function slots(doc: unknown): Slot[] {
  const out: Slot[] = [];
  const visit = (v: unknown, path: (string | number)[]) => {
    if (Array.isArray(v)) {
      v.forEach((item, i) => {
        out.push({ parent: v, key: i, path: [...path, i] });
        visit(item, [...path, i]);
      });
    } else if (v !== null && typeof v === 'object') {
      for (const [k, item] of Object.entries(v)) {
        out.push({ parent: v as Record<string, unknown>, key: k, path: [...path, k] });
        visit(item, [...path, k]);
      }
    }
  };
  visit(doc, []);
  return out;
}

/** Every mapping in the document (the root included). */
function mappings(doc: unknown): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  const visit = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(visit);
    else if (v !== null && typeof v === 'object') {
      out.push(v as Record<string, unknown>);
      Object.values(v).forEach(visit);
    }
  };
  visit(doc);
  return out;
}

const pick = <T>(list: readonly T[], n: number): T | undefined => (list.length === 0 ? undefined : list[n % list.length]);

interface DocMutation {
  name: string;
  apply(doc: Record<string, unknown>): void;
}

const unknownKeyArb = fc.oneof(
  fc.constantFrom(
    'encrpytion',
    'acess',
    'bakup',
    'hostng',
    'dataa',
    'flow',
    'node',
    'phi',
    'Data',
    'version',
    'from',
    '',
    ' ',
    '<<',
    '__proto__',
    'constructor',
    'toString',
    'hasOwnProperty',
  ),
  fc.string({ minLength: 1, maxLength: 12 }),
);
const danglingIdArb = fc.oneof(
  fc.constantFrom('nowhere', 'AWS', 'Ehr', 's3 bucket', '', '-x', '.x', 'a/b', 'phi', 'self/'),
  idArb.map((s) => `${s}-missing`),
);

const docMutationArb: fc.Arbitrary<DocMutation> = fc.oneof(
  // An unknown key in some mapping.
  fc.tuple(fc.nat(), unknownKeyArb, oddValueArb).map(([n, key, value]) => ({
    name: `unknown key ${JSON.stringify(key)}`,
    apply: (doc: Record<string, unknown>) => {
      const m = pick(mappings(doc), n)!;
      Object.defineProperty(m, key, { value, enumerable: true, configurable: true, writable: true });
    },
  })),
  // Some value replaced by a value of another type.
  fc.tuple(fc.nat(), oddValueArb).map(([n, value]) => ({
    name: 'wrong type',
    apply: (doc: Record<string, unknown>) => {
      const s = pick(slots(doc), n);
      if (s) (s.parent as Record<string | number, unknown>)[s.key] = value;
    },
  })),
  // Some key deleted (required fields go missing).
  fc.nat().map((n) => ({
    name: 'delete key',
    apply: (doc: Record<string, unknown>) => {
      const s = pick(slots(doc), n);
      if (!s) return;
      if (Array.isArray(s.parent)) s.parent.splice(s.key as number, 1);
      else delete s.parent[s.key as string];
    },
  })),
  // A reference names something undeclared.
  fc
    .tuple(fc.nat(), fc.constantFrom('from', 'to', 'backup', 'hosting', 'audit_log', 'environment', 'subprocessor', 'data'), danglingIdArb)
    .map(([n, field, id]) => ({
      name: `dangling ${field} ${JSON.stringify(id)}`,
      apply: (doc: Record<string, unknown>) => {
        if (field === 'from' || field === 'to') {
          const flows = flowList(doc);
          const f = pick(flows, n);
          if (f !== null && typeof f === 'object' && !Array.isArray(f)) f[field] = id;
          else flows.push({ from: field === 'from' ? id : 'x', to: field === 'to' ? id : 'x' });
          return;
        }
        const nodes = nodeSpecs(doc);
        const node = pick(nodes, n);
        if (!node) return;
        if (field === 'subprocessor') node.spec.subprocessors = [id];
        else if (field === 'data') node.spec.data = [...((Array.isArray(node.spec.data) ? node.spec.data : []) as unknown[]), id];
        else node.spec[field] = id;
      },
    })),
  // A node id declared twice (in another section, or the same section through a second file-like key).
  fc.tuple(fc.nat(), fc.constantFrom(...SECTIONS)).map(([n, section]) => ({
    name: `duplicate id into ${section}`,
    apply: (doc: Record<string, unknown>) => {
      const node = pick(nodeSpecs(doc), n);
      if (!node) return;
      const target = sectionOf(doc, section);
      // Another mutation may have made the section a scalar; same key twice needs a text edit (see duplicateKey).
      if (!target || target === doc[node.section]) return;
      target[node.id] = {};
    },
  })),
  // Self references.
  fc.tuple(fc.nat(), fc.constantFrom('flow', 'backup', 'subprocessor', 'audit_log')).map(([n, what]) => ({
    name: `self ${what}`,
    apply: (doc: Record<string, unknown>) => {
      const nodes = nodeSpecs(doc);
      const node = pick(nodes, n);
      if (!node) return;
      if (what === 'flow') flowList(doc).push({ from: node.id, to: node.id });
      else if (what === 'subprocessor') node.spec.subprocessors = [node.id];
      else node.spec[what] = node.id;
    },
  })),
  // The same FROM->TO pair twice without ids.
  fc.nat().map((n) => ({
    name: 'duplicate flow pair',
    apply: (doc: Record<string, unknown>) => {
      const flows = flowList(doc);
      const f = pick(flows, n);
      if (f !== null && typeof f === 'object' && !Array.isArray(f)) flows.push({ from: f.from, to: f.to });
    },
  })),
  // Ids that do not match the pattern.
  fc.tuple(fc.nat(), fc.constantFrom('Upper', 'with space', '.dot', '-dash', '_under', 'ünï', '', 'a/b', 'a:b', '#x')).map(([n, bad]) => ({
    name: `bad id ${JSON.stringify(bad)}`,
    apply: (doc: Record<string, unknown>) => {
      const node = pick(nodeSpecs(doc), n);
      const where = node ? (doc[node.section] as Record<string, unknown>) : sectionOf(doc, 'services');
      if (where) where[bad] = node ? node.spec : {};
    },
  })),
  // Version problems.
  fc.constantFrom<unknown>(undefined, 2, 0, '1', 1.0000001, null, [1], 'v1').map((v) => ({
    name: `version ${String(v)}`,
    apply: (doc: Record<string, unknown>) => {
      if (v === undefined) delete doc.version;
      else doc.version = v;
    },
  })),
  // Redeclared built-in class, or a class without phi:.
  fc.constantFrom('phi', 'deidentified').map((c) => ({
    name: `redeclare ${c}`,
    apply: (doc: Record<string, unknown>) => {
      doc.data_classes = { ...((doc.data_classes as object) ?? {}), [c]: { phi: c === 'phi' } };
    },
  })),
  // Whole sections of the wrong shape.
  fc.tuple(fc.constantFrom('flows', 'vendors', 'services', 'stores', 'logs', 'data_classes', 'environments'), oddValueArb).map(([section, value]) => ({
    name: `section ${section} odd`,
    apply: (doc: Record<string, unknown>) => {
      doc[section] = value;
    },
  })),
);

/** The document's flow list, made one when a mutation has replaced it with something else. */
function flowList(doc: Record<string, unknown>): Record<string, unknown>[] {
  if (!Array.isArray(doc.flows)) doc.flows = [];
  return doc.flows as Record<string, unknown>[];
}

/** The section's mapping, made when absent; undefined when another mutation turned it into something else. */
function sectionOf(doc: Record<string, unknown>, section: string): Record<string, unknown> | undefined {
  const s = (doc[section] ??= {});
  return s !== null && typeof s === 'object' && !Array.isArray(s) ? (s as Record<string, unknown>) : undefined;
}

function nodeSpecs(doc: Record<string, unknown>): { id: string; section: Section; spec: Record<string, unknown> }[] {
  const out: { id: string; section: Section; spec: Record<string, unknown> }[] = [];
  for (const section of SECTIONS) {
    const s = doc[section];
    if (s === null || typeof s !== 'object' || Array.isArray(s)) continue;
    for (const [id, spec] of Object.entries(s)) {
      if (spec !== null && typeof spec === 'object' && !Array.isArray(spec)) out.push({ id, section, spec: spec as Record<string, unknown> });
    }
  }
  return out;
}

interface TextMutation {
  name: string;
  apply(text: string): string;
}

/** A text mutation that edits one line, chosen by a generated number, in place. */
function lineEdit(name: string, edit: (lines: string[], i: number) => unknown): fc.Arbitrary<TextMutation> {
  return fc.nat().map((n) => ({
    name,
    apply: (t: string) => {
      const lines = t.split('\n');
      edit(lines, n % lines.length);
      return lines.join('\n');
    },
  }));
}

const INSERTS = [
  '\t',
  ':',
  ': ',
  '"',
  "'",
  '{',
  '}',
  '[',
  ']',
  '&a ',
  '*a',
  '*nope',
  '- ',
  '#',
  '\n',
  '\n---\n',
  '%YAML 1.2\n',
  '? ',
  '|',
  '>',
  '!!binary ',
  '!tag ',
  '@',
  '`',
  '\r',
  '\u0000',
  '\ufeff',
  '\u2028',
  '\\',
  ',',
  '<<: *a\n',
];

const textMutationArb: fc.Arbitrary<TextMutation> = fc.oneof(
  fc.double({ min: 0, max: 1, noNaN: true }).map((at) => ({
    name: `truncate at ${at.toFixed(3)}`,
    apply: (t: string) => t.slice(0, Math.floor(t.length * at)),
  })),
  fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.constantFrom(...INSERTS)).map(([at, s]) => ({
    name: `insert ${JSON.stringify(s)} at ${at.toFixed(3)}`,
    apply: (t: string) => {
      const i = Math.floor(t.length * at);
      return t.slice(0, i) + s + t.slice(i);
    },
  })),
  fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.string({ unit: 'binary', minLength: 1, maxLength: 16 })).map(([at, s]) => ({
    name: `insert random text at ${at.toFixed(3)}`,
    apply: (t: string) => {
      const i = Math.floor(t.length * at);
      return t.slice(0, i) + s + t.slice(i);
    },
  })),
  fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.uint8Array({ minLength: 1, maxLength: 32 })).map(([at, bytes]) => ({
    name: `insert random bytes at ${at.toFixed(3)}`,
    // Bytes decoded the way readFileSync(..., 'utf8') would: invalid sequences become U+FFFD.
    apply: (t: string) => {
      const i = Math.floor(t.length * at);
      return t.slice(0, i) + new TextDecoder('utf-8').decode(bytes) + t.slice(i);
    },
  })),
  fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.nat({ max: 40 })).map(([at, len]) => ({
    name: `delete ${len} chars at ${at.toFixed(3)}`,
    apply: (t: string) => {
      const i = Math.floor(t.length * at);
      return t.slice(0, i) + t.slice(i + len);
    },
  })),
  lineEdit('duplicate a line (duplicate keys)', (lines, i) => lines.splice(i, 0, lines[i]!)),
  lineEdit('indent a line with a tab', (lines, i) => (lines[i] = `\t${lines[i]!.trimStart()}`)),
  lineEdit('shift a line left', (lines, i) => (lines[i] = lines[i]!.slice(1))),
  fc.constant({ name: 'CRLF line ends', apply: (t: string) => t.replace(/\n/g, '\r\n') }),
  fc.constant({ name: 'BOM', apply: (t: string) => `\ufeff${t}` }),
  fc.integer({ min: 1, max: 3000 }).map((d) => ({
    name: `deep flow nesting ${d}`,
    apply: (t: string) => `${t}\nextra: ${'['.repeat(d)}${']'.repeat(d)}\n`,
  })),
  fc.integer({ min: 1, max: 9 }).map((levels) => ({
    name: `alias expansion ${levels} levels`,
    apply: (t: string) => {
      let s = 'a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n';
      for (let i = 1; i <= levels; i++) s += `a${i}: &a${i} [${Array.from({ length: 10 }, () => `*a${i - 1}`).join(', ')}]\n`;
      return `${t}\nbomb:\n${s.replace(/^/gm, '  ')}`;
    },
  })),
  fc
    .constantFrom(
      '',
      '\n',
      '# only a comment\n',
      '---\n',
      '...\n',
      'version: 1\n---\nversion: 1\n',
      '[]\n',
      '- version: 1\n',
      '42\n',
      'null\n',
      '"text"\n',
      '{}\n',
      'version:\n',
    )
    .map((whole) => ({
      name: `whole file ${JSON.stringify(whole)}`,
      apply: () => whole,
    })),
);

export const brokenMapArb: fc.Arbitrary<BrokenSample> = fc
  .tuple(validMapArb, fc.array(docMutationArb, { maxLength: 3 }), fc.array(textMutationArb, { maxLength: 2 }))
  .filter(([, d, t]) => d.length + t.length > 0)
  .map(([base, docMutations, textMutations]) => {
    const doc = structuredClone(base.doc);
    for (const m of docMutations) m.apply(doc);
    let text: string;
    try {
      text = toYaml(doc);
    } catch {
      // Some odd values cannot be written as YAML (lone surrogates...); keep the valid text then.
      text = base.text;
    }
    for (const m of textMutations) text = m.apply(text);
    return { base, mutations: [...docMutations, ...textMutations].map((m) => m.name), text };
  });
