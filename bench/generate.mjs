// Deterministic synthetic PHI maps, shared by the bench (bench/bench.mjs) and the tests.
//
// generateMap({ nodes, seed, dangling, style }) -> { text, stats }: the same options always give the same bytes.
// checkMap(doc) checks a parsed map independently of the generator (ids, references, a cycle, a PHI origin).
// Types: bench/generate.d.mts.

/** The bench's default seed; maps from it are the ones the bench's published figures were measured on. */
export const DEFAULT_SEED = 0x5eed;

const ID_RE = /^[a-z0-9][a-z0-9._-]*$/;
const STYLES = ['compact', 'block', 'flow'];

/**
 * @param {import('./generate.d.mts').GenerateOptions} options
 * @returns {import('./generate.d.mts').GeneratedMap}
 */
export function generateMap({ nodes, seed = DEFAULT_SEED, dangling = 0, style = 'compact' }) {
  if (!Number.isInteger(nodes) || nodes < 100) throw new RangeError(`generateMap: nodes must be an integer >= 100, got ${nodes}`);
  if (!Number.isInteger(dangling) || dangling < 0) throw new RangeError(`generateMap: dangling must be an integer >= 0, got ${dangling}`);
  if (!STYLES.includes(style)) throw new RangeError(`generateMap: style must be one of ${STYLES.join(', ')}, got ${style}`);
  const model = generateModel(nodes, seed >>> 0);
  if (dangling > model.flows.length) throw new RangeError(`generateMap: ${dangling} dangling ends asked for, but the map has ${model.flows.length} flows`);
  const danglingRefs = dangling ? addDangling(model, nodes, seed >>> 0, dangling) : [];
  const text = emitYaml(model, style);
  return {
    text,
    stats: {
      nodes,
      seed: seed >>> 0,
      style,
      vendors: model.vendors.size,
      services: model.services.size,
      stores: model.stores.size,
      logs: model.logs.size,
      flows: model.flows.length,
      bytes: Buffer.byteLength(text),
      dangling: danglingRefs,
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Dangling references

// A separate RNG, applied after the model is drawn, so maps without dangling ends keep their exact bytes.
// Each chosen flow end gets its id's first letter doubled ("db-12" -> "ddb-12"): one edit from the id it was,
// two or more from every other declared id, so "did you mean" finds exactly one hint.
function addDangling(model, n, seed, count) {
  const rng = makeRng((seed ^ Math.imul(n, 0x85ebca6b) ^ 0xda4a11) >>> 0);
  const declared = new Set([...model.vendors.keys(), ...model.services.keys(), ...model.stores.keys(), ...model.logs.keys()]);
  const chosen = new Set();
  while (chosen.size < count) chosen.add(rng.int(0, model.flows.length - 1));
  const refs = [];
  for (const index of [...chosen].sort((a, b) => a - b)) {
    const f = model.flows[index];
    const end = rng.chance(0.5) ? 'from' : 'to';
    const near = f[end];
    const id = near[0] + near;
    if (declared.has(id)) throw new Error(`generateMap: typo ${id} of ${near} is a declared id`);
    f[end] = id;
    refs.push({ flow: index, end, id, near });
  }
  return refs;
}

// ---------------------------------------------------------------------------------------------------------------
// Deterministic generator

/** A small seeded PRNG (mulberry32): numbers in [0, 1), the same for the same seed on every machine. */
export function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function makeRng(seed) {
  const next = mulberry32(seed);
  const rng = {
    next,
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    chance: (p) => next() < p,
    pick: (arr) => arr[Math.floor(next() * arr.length)],
    // entries: [[value, weight], ...]
    weighted(entries) {
      let total = 0;
      for (const [, w] of entries) total += w;
      let r = next() * total;
      for (const [v, w] of entries) {
        r -= w;
        if (r < 0) return v;
      }
      return entries[entries.length - 1][0];
    },
    sample(arr, k) {
      const out = new Set();
      k = Math.min(k, arr.length);
      while (out.size < k) out.add(rng.pick(arr));
      return [...out];
    },
  };
  return rng;
}

const DOMAINS = [
  'intake',
  'billing',
  'scheduling',
  'portal',
  'notes',
  'labs',
  'pharmacy',
  'claims',
  'imaging',
  'messaging',
  'analytics',
  'auth',
  'search',
  'reporting',
  'triage',
  'referrals',
  'telehealth',
  'consent',
];

const DATA_CLASSES = {
  'clinical-notes': { phi: true, description: 'free-text notes written by clinicians' },
  'note-embeddings': { phi: true, description: 'vectors derived from notes and treated as PHI' },
  'lab-results': { phi: true },
  claims: { phi: true, description: 'insurance claims with member ids' },
  'device-readings': { phi: true },
  'cohort-stats': { phi: false, description: 'aggregate counts with small cells suppressed' },
  'usage-metrics': { phi: false },
};
const PHI_CLASSES = ['phi', 'clinical-notes', 'lab-results', 'claims', 'device-readings', 'note-embeddings'];

const ENVIRONMENTS = {
  prod: { phi_allowed: true, description: 'production' },
  staging: { phi_allowed: true, description: 'pre-production with a copy of production data' },
  research: { phi_allowed: true, description: 'IRB-approved research enclave' },
  dev: { phi_allowed: false, description: 'developer sandboxes' },
  ci: { phi_allowed: false, description: 'test runners' },
};
const ENV_WEIGHTS = [
  ['prod', 45],
  ['staging', 12],
  ['research', 4],
  ['dev', 10],
  ['ci', 3],
  [null, 26],
];

// Named vendors, the services they host and their BAA. Vendor ids beyond these are generated.
const NAMED_VENDORS = [
  {
    id: 'aws',
    role: 'business-associate',
    status: 'signed',
    scope: ['s3', 'rds', 'ecs', 'sqs', 'cloudwatch-logs', 'cloudtrail', 'kms', 'backup'],
    doc: 'contracts/aws-baa.pdf',
  },
  { id: 'gcp', role: 'business-associate', status: 'signed', expires: '2026-01-31' },
  { id: 'azure', role: 'business-associate', status: 'pending' },
  { id: 'datadog', role: 'business-associate', status: 'signed', scope: ['logs', 'apm'] },
  { id: 'sentry', role: 'business-associate', status: 'none' },
  { id: 'snowflake', role: 'business-associate', status: 'signed' },
  { id: 'openai', role: 'business-associate', status: 'signed', retains: false },
  { id: 'twilio', role: 'business-associate', status: 'signed' },
  { id: 'okta', role: 'business-associate', status: 'not-required' },
  { id: 'splunk', role: 'business-associate', status: 'signed' },
  { id: 'honeycomb', role: 'business-associate', status: 'pending' },
  { id: 'pagerduty', role: 'business-associate', status: 'none', retains: true },
  { id: 'mailgun', role: 'business-associate', status: 'none' },
  { id: 'mercy-health', role: 'covered-entity', status: 'signed' },
  { id: 'st-luke-clinic', role: 'covered-entity', status: 'not-required' },
];

const STORE_KINDS = [
  ['database', 24],
  ['object-store', 15],
  ['queue', 12],
  ['dead-letter-queue', 5],
  ['cache', 10],
  ['dataset', 10],
  ['model', 5],
  ['backup', 10],
  ['device', 6],
  ['filesystem', 3],
];
const LOG_KINDS = [
  ['application', 45],
  ['audit', 20],
  ['trace', 20],
  ['error-tracking', 10],
  ['metrics', 5],
];

const HOSTING = {
  service: [
    ['aws/ecs', 30],
    ['aws/lambda', 10],
    ['gcp/gke', 15],
    ['azure/aks', 5],
    ['self', 15],
  ],
  database: [
    ['aws/rds', 40],
    ['gcp/cloud-sql', 15],
    ['azure/sql', 5],
    ['snowflake', 5],
    ['self', 10],
  ],
  'object-store': [
    ['aws/s3', 60],
    ['gcp/gcs', 20],
    ['azure/blob', 5],
  ],
  queue: [
    ['aws/sqs', 50],
    ['gcp/pubsub', 25],
    ['azure/service-bus', 5],
    ['self', 5],
  ],
  'dead-letter-queue': [
    ['aws/sqs', 70],
    ['gcp/pubsub', 30],
  ],
  cache: [
    ['aws/elasticache', 50],
    ['self', 30],
  ],
  dataset: [
    ['gcp/bigquery', 40],
    ['snowflake', 40],
    ['aws/s3', 10],
  ],
  model: [
    ['aws/sagemaker', 40],
    ['gcp/vertex-ai', 30],
    ['openai', 10],
    ['self', 10],
  ],
  backup: [
    ['aws/backup', 50],
    ['aws/s3', 30],
    ['gcp/gcs', 20],
  ],
  device: [['self', 100]],
  filesystem: [
    ['aws/efs', 50],
    ['self', 50],
  ],
  application: [
    ['aws/cloudwatch-logs', 40],
    ['datadog/logs', 30],
    ['gcp/cloud-logging', 15],
    ['self', 5],
  ],
  audit: [
    ['aws/cloudtrail', 50],
    ['splunk', 30],
    ['self', 20],
  ],
  trace: [
    ['datadog/apm', 50],
    ['honeycomb', 40],
  ],
  'error-tracking': [
    ['sentry', 80],
    ['datadog/apm', 20],
  ],
  metrics: [
    ['datadog', 60],
    ['gcp/cloud-monitoring', 40],
  ],
};

// Id prefixes: short, because ids repeat in every flow and dominate the file size.
const SHORT = {
  database: 'db',
  'object-store': 'obj',
  queue: 'q',
  'dead-letter-queue': 'dlq',
  cache: 'cache',
  dataset: 'ds',
  model: 'ml',
  backup: 'bak',
  device: 'dvc',
  filesystem: 'fs',
  application: 'log',
  audit: 'audit',
  trace: 'trace',
  'error-tracking': 'err',
  metrics: 'mx',
};

// Kind mix ensures every kind appears at least once, then draws by weight.
function kindsFor(count, weights, rng) {
  const out = [];
  for (let i = 0; i < count; i++) out.push(i < weights.length ? weights[i][0] : rng.weighted(weights));
  return out;
}

function date(rng, fromYear, toYear) {
  const y = rng.int(fromYear, toYear);
  const m = String(rng.int(1, 12)).padStart(2, '0');
  const d = String(rng.int(1, 28)).padStart(2, '0');
  return `${y}-${m}-${d}`;
}

/** Build the map model (plain objects, insertion-ordered) for `n` nodes. */
function generateModel(n, seed) {
  const rng = makeRng((seed ^ Math.imul(n, 0x9e3779b1)) >>> 0);
  const nVendors = Math.max(NAMED_VENDORS.length, Math.round(n * 0.15));
  const nServices = Math.round(n * 0.15);
  const nStores = Math.round(n * 0.45);
  const nLogs = n - nVendors - nServices - nStores;
  const serials = {};
  const nextId = (prefix) => `${prefix}-${(serials[prefix] = (serials[prefix] ?? 0) + 1)}`;

  // Vendors
  const vendors = new Map();
  const vendorIds = [];
  for (let i = 0; i < nVendors; i++) {
    const named = NAMED_VENDORS[i];
    const id = named ? named.id : nextId('vendor');
    const role = named ? named.role : rng.chance(0.12) ? 'covered-entity' : 'business-associate';
    const status = named
      ? named.status
      : role === 'covered-entity'
        ? rng.weighted([
            ['signed', 70],
            ['not-required', 30],
          ])
        : rng.weighted([
            ['signed', 60],
            ['pending', 12],
            ['none', 20],
            ['not-required', 8],
          ]);
    const v = {};
    if (!named || rng.chance(0.5)) v.description = `${role === 'covered-entity' ? 'client' : 'vendor'} for ${rng.pick(DOMAINS)}`;
    v.role = role;
    const baa = { status };
    if (status === 'signed') {
      baa.signed = date(rng, 2019, 2025);
      if (named?.expires) baa.expires = named.expires;
      else if (rng.chance(0.5)) baa.expires = date(rng, 2024, 2029);
      if (named?.scope) baa.services = named.scope;
      else if (!named && rng.chance(0.2)) baa.services = ['api'];
      if (named?.doc) baa.document = named.doc;
      else if (rng.chance(0.4)) baa.document = `contracts/${id}-baa.pdf`;
    }
    v.baa = baa;
    if (i > 0 && role === 'business-associate' && rng.chance(0.25)) {
      // Subprocessors point at earlier vendors only: the chain is a DAG.
      v.subprocessors = rng.sample(vendorIds.slice(0, i), rng.int(1, 3));
    }
    if (named?.retains !== undefined) v.retains_data = named.retains;
    else if (rng.chance(0.1)) v.retains_data = rng.chance(0.3);
    vendors.set(id, v);
    vendorIds.push(id);
  }
  const genVendorIds = vendorIds.slice(NAMED_VENDORS.length).filter((id) => vendors.get(id).role === 'business-associate');

  const hostingFor = (kind) => {
    if (genVendorIds.length && rng.chance(0.08)) {
      const v = rng.pick(genVendorIds);
      return rng.chance(0.5) ? v : `${v}/api`;
    }
    return rng.weighted(HOSTING[kind]);
  };
  const environment = () => rng.weighted(ENV_WEIGHTS);
  const access = (strong) => ({
    unique_user_ids: strong || rng.chance(0.8),
    mfa: strong ? rng.chance(0.9) : rng.chance(0.5),
    session_timeout_minutes: rng.pick([15, 15, 30, 60, 480]),
    emergency_access: rng.chance(0.6),
    rbac: rng.chance(0.85),
  });
  const encryption = () => ({
    at_rest: rng.weighted([
      ['aes-256', 70],
      ['aes-128', 8],
      ['aes-192', 4],
      ['none', 18],
    ]),
    key: rng.weighted([
      ['provider-managed', 70],
      ['customer-managed', 30],
    ]),
  });

  // Logs first (audit_log targets), then stores (backup targets), then services.
  const logs = new Map();
  const logKinds = kindsFor(nLogs, LOG_KINDS, rng);
  const pools = {};
  const addPool = (name, id) => (pools[name] ??= []).push(id);
  for (const kind of logKinds) {
    const id = nextId(SHORT[kind]);
    const l = { kind };
    if (rng.chance(0.15)) l.description = `${kind} log for ${rng.pick(DOMAINS)}`;
    const env = environment();
    if (env) l.environment = env;
    l.hosting = hostingFor(kind);
    if (rng.chance(0.5)) l.retention_days = kind === 'audit' ? rng.pick([365, 2190, 2555]) : rng.pick([7, 14, 30, 90, 400]);
    if (kind === 'audit') l.tamper_evident = rng.chance(0.7);
    if (rng.chance(0.3)) l.encryption = encryption();
    logs.set(id, l);
    addPool(`log:${kind}`, id);
  }
  const auditLogs = pools['log:audit'];

  const stores = new Map();
  const storeKinds = kindsFor(nStores, STORE_KINDS, rng);
  const storeIdsByKind = {};
  for (const kind of storeKinds) {
    const id = nextId(SHORT[kind]);
    (storeIdsByKind[kind] ??= []).push(id);
  }
  const backupStores = storeIdsByKind.backup;
  const kindCursor = {};
  for (const kind of storeKinds) {
    const id = storeIdsByKind[kind][(kindCursor[kind] = (kindCursor[kind] ?? -1) + 1)];
    const s = { kind };
    if (rng.chance(0.15)) s.description = `${kind} for ${rng.pick(DOMAINS)}`;
    const env = environment();
    if (env) s.environment = env;
    s.hosting = hostingFor(kind);
    if (kind === 'device') {
      s.managed = rng.chance(0.7);
      if (rng.chance(0.5)) s.data = ['device-readings'];
    } else if (kind === 'database' && rng.chance(0.06)) {
      s.data = rng.chance(0.5) ? ['phi'] : ['lab-results', 'phi'];
    } else if (kind === 'dataset' && rng.chance(0.05)) {
      s.data = ['cohort-stats'];
    }
    if (['database', 'object-store', 'dataset', 'backup', 'filesystem'].includes(kind) && rng.chance(0.4)) {
      s.records = rng.pick([500, 12000, 250000, 1800000]);
    }
    if (kind !== 'device' && rng.chance(0.5)) s.encryption = encryption();
    if (['database', 'object-store', 'dataset', 'cache'].includes(kind) && rng.chance(0.3)) s.access = access(false);
    if (kind !== 'backup' && auditLogs && rng.chance(0.35)) s.audit_log = rng.pick(auditLogs);
    if (['database', 'object-store', 'dataset', 'model', 'filesystem'].includes(kind) && backupStores && rng.chance(0.45)) {
      s.backup = rng.pick(backupStores);
    }
    if (kind === 'object-store' || kind === 'backup') {
      s.public_access = rng.chance(0.93) ? 'blocked' : 'allowed';
      s.versioning = rng.chance(0.7);
    }
    stores.set(id, s);
    addPool(`store:${kind}`, id);
  }

  const services = new Map();
  for (let i = 0; i < nServices; i++) {
    const domain = rng.pick(DOMAINS);
    const interactive = rng.chance(0.3);
    const id = nextId(interactive ? 'web' : 'svc');
    const s = {};
    if (rng.chance(0.2)) s.description = `${interactive ? 'staff-facing' : 'backend'} ${domain} service`;
    const env = environment();
    if (env) s.environment = env;
    s.hosting = hostingFor('service');
    if (interactive) s.interactive = true;
    else if (rng.chance(0.1)) s.interactive = false;
    const origin = rng.next();
    if (origin < 0.05) s.data = ['phi'];
    else if (origin < 0.07) s.data = [rng.pick(['clinical-notes', 'claims', 'lab-results'])];
    else if (origin < 0.08) s.data = ['usage-metrics'];
    if (interactive) s.access = access(true);
    if (auditLogs && rng.chance(interactive ? 0.7 : 0.25)) s.audit_log = rng.pick(auditLogs);
    services.set(id, s);
    addPool('svc', id);
  }
  // Guarantee at least one PHI origin even for tiny maps.
  const firstSvc = services.values().next().value;
  if (firstSvc) firstSvc.data = ['phi'];

  // Flows: about three per node, drawn from realistic edge templates. Random sources and targets close cycles.
  const apiVendors = ['openai', 'twilio', 'mailgun', 'pagerduty', ...genVendorIds.slice(0, 50)].filter((v) => vendors.has(v));
  pools.vendor = apiVendors;
  const TEMPLATES = [
    ['svc', 'store:database', 14],
    ['svc', 'store:object-store', 6],
    ['svc', 'store:queue', 6],
    ['svc', 'store:cache', 5],
    ['store:database', 'svc', 6],
    ['store:queue', 'svc', 6],
    ['store:object-store', 'svc', 3],
    ['store:cache', 'svc', 2],
    ['svc', 'svc', 12],
    ['svc', 'log:application', 12],
    ['svc', 'log:trace', 5],
    ['svc', 'log:error-tracking', 5],
    ['svc', 'log:audit', 2],
    ['svc', 'log:metrics', 1],
    ['store:queue', 'store:dead-letter-queue', 3],
    ['store:dead-letter-queue', 'svc', 1],
    ['store:database', 'store:dataset', 3],
    ['store:dataset', 'store:model', 2],
    ['store:dataset', 'svc', 1],
    ['store:model', 'svc', 2],
    ['store:device', 'svc', 2],
    ['svc', 'store:device', 1],
    ['svc', 'vendor', 2],
    ['log:application', 'log:error-tracking', 1],
    ['store:database', 'store:database', 2],
    ['svc', 'store:filesystem', 1],
    ['store:object-store', 'store:dataset', 1],
  ].map(([a, b, w]) => [[a, b], w]);
  const nFlows = n * 3;
  const flows = [];
  const pairs = new Set();
  let guard = 0;
  while (flows.length < nFlows && guard++ < nFlows * 20) {
    const [fromPool, toPool] = rng.weighted(TEMPLATES);
    const A = pools[fromPool];
    const B = pools[toPool];
    if (!A?.length || !B?.length) continue;
    const from = rng.pick(A);
    const to = rng.pick(B);
    if (from === to) continue;
    const key = `${from}->${to}`;
    const f = { from, to };
    if (pairs.has(key)) {
      // A few parallel flows on the same pair, told apart by their own id; otherwise redraw.
      if (!rng.chance(0.05)) continue;
      f.id = `${from}-${to}-alt-${flows.length}`;
      if (pairs.has(f.id)) continue;
      pairs.add(f.id);
    } else {
      pairs.add(key);
    }
    const toKind = toPool.split(':')[1];
    if (toKind === 'application' || toKind === 'error-tracking' || toKind === 'trace') {
      const on = rng.weighted([
        ['normal', 55],
        ['error', 35],
        ['debug', 10],
      ]);
      if (on !== 'normal') f.on = on;
    } else if (toKind === 'dead-letter-queue') {
      f.on = 'retry';
    } else if (toKind === 'queue' && rng.chance(0.05)) {
      f.on = 'retry';
    }
    if (rng.chance(0.65))
      f.tls = rng.weighted([
        ['1.3', 45],
        ['1.2', 42],
        ['1.1', 3],
        ['1.0', 2],
        ['none', 8],
      ]);
    const d = rng.next();
    if (d < 0.03 || (toPool === 'store:dataset' && d < 0.4)) {
      f.deidentify = rng.chance(0.8) ? 'safe-harbor' : 'expert-determination';
    } else if (d < 0.09) {
      f.data = rng.chance(0.7) ? [rng.pick(PHI_CLASSES)] : rng.pick([['usage-metrics'], ['cohort-stats'], ['deidentified']]);
    }
    if (toPool === 'vendor' || rng.chance(0.02)) f.purpose = `${rng.pick(DOMAINS)} workflow`;
    flows.push(f);
  }

  return {
    version: 1,
    system: `synthetic-${n}`,
    // The old path stays in the text so the maps keep their bytes (and figures stay comparable).
    description: `Synthetic PHI map with ${n} nodes generated by test/bench/bench.mjs (seed ${seed})`,
    data_classes: DATA_CLASSES,
    environments: ENVIRONMENTS,
    vendors,
    services,
    stores,
    logs,
    flows,
  };
}

// Minimal YAML emitter: every scalar the generator produces is a safe plain scalar, except tls versions and
// booleans-as-strings, which get quoted. Styles:
//   compact  short nodes on one line in flow style, longer ones in block style (the bench's maps);
//   block    no flow collections at all, every mapping and list in block style;
//   flow     every node and flow on one line in flow style, however long.
function scalar(v) {
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (/^[0-9.]+$/.test(v) || /^(true|false|null|yes|no|on|off|~)$/i.test(v)) return `"${v}"`;
  return v;
}
function inline(v) {
  if (Array.isArray(v)) return `[${v.map(inline).join(', ')}]`;
  if (v && typeof v === 'object')
    return `{ ${Object.entries(v)
      .map(([k, x]) => `${k}: ${inline(x)}`)
      .join(', ')} }`;
  return scalar(v);
}
// Short nodes go on one line, longer ones in block style, as a formatter with a line width would write them.
function emitNode(lines, id, obj) {
  const one = `  ${id}: ${inline(obj)}`;
  if (one.length <= 120) {
    lines.push(one);
    return;
  }
  lines.push(`  ${id}:`);
  for (const [k, v] of Object.entries(obj)) {
    const line = `    ${k}: ${inline(v)}`;
    if (line.length > 120 && v && typeof v === 'object' && !Array.isArray(v)) {
      lines.push(`    ${k}:`);
      for (const [k2, v2] of Object.entries(v)) lines.push(`      ${k2}: ${inline(v2)}`);
    } else {
      lines.push(line);
    }
  }
}

const isCollection = (v) => v !== null && typeof v === 'object';
// Block style throughout. Empty collections still need flow syntax ([] / {}).
function emitBlock(lines, indent, key, v) {
  const pad = ' '.repeat(indent);
  if (!isCollection(v) || Object.keys(v).length === 0) {
    lines.push(`${pad}${key}: ${inline(v)}`);
    return;
  }
  lines.push(`${pad}${key}:`);
  if (Array.isArray(v)) emitBlockList(lines, indent + 2, v);
  else for (const [k, x] of Object.entries(v)) emitBlock(lines, indent + 2, k, x);
}
function emitBlockList(lines, indent, items) {
  const pad = ' '.repeat(indent);
  for (const item of items) {
    if (!isCollection(item) || Object.keys(item).length === 0) {
      lines.push(`${pad}- ${inline(item)}`);
      continue;
    }
    if (Array.isArray(item)) throw new Error('emitBlock: nested lists are not generated');
    // The first key shares the dash's line; the rest align under it.
    const sub = [];
    for (const [k, x] of Object.entries(item)) emitBlock(sub, indent + 2, k, x);
    sub[0] = `${pad}- ${sub[0].slice(indent + 2)}`;
    lines.push(...sub);
  }
}

function emitYaml(m, style = 'compact') {
  const lines = [`version: ${m.version}`, `system: ${m.system}`, `description: ${m.description}`, '', 'data_classes:'];
  const entry = style === 'block' ? (id, v) => emitBlock(lines, 2, id, v) : (id, v) => lines.push(`  ${id}: ${inline(v)}`);
  for (const [id, c] of Object.entries(m.data_classes)) entry(id, c);
  lines.push('', 'environments:');
  for (const [id, e] of Object.entries(m.environments)) entry(id, e);
  for (const section of ['vendors', 'services', 'stores', 'logs']) {
    lines.push('', `${section}:`);
    for (const [id, node] of m[section]) {
      if (style === 'compact') emitNode(lines, id, node);
      else entry(id, node);
    }
  }
  lines.push('', 'flows:');
  if (style === 'block') emitBlockList(lines, 2, m.flows);
  else for (const f of m.flows) lines.push(`  - ${inline(f)}`);
  lines.push('');
  return lines.join('\n');
}

// ---------------------------------------------------------------------------------------------------------------
// Validation of generated maps (independent of the generator: works on the parsed YAML)

/**
 * @param {any} doc a parsed map
 * @returns {import('./generate.d.mts').MapCheck}
 */
export function checkMap(doc) {
  const errors = [];
  const err = (msg) => errors.length < 50 && errors.push(msg);
  if (doc.version !== 1) err(`version is ${doc.version}, want 1`);
  const sections = ['vendors', 'services', 'stores', 'logs'];
  const owner = new Map();
  for (const s of sections) {
    for (const id of Object.keys(doc[s] ?? {})) {
      if (!ID_RE.test(id)) err(`bad id ${id}`);
      if (owner.has(id)) err(`duplicate id ${id} in ${owner.get(id)} and ${s}`);
      owner.set(id, s);
    }
  }
  const envs = doc.environments ?? {};
  const classes = new Set(['phi', 'deidentified', ...Object.keys(doc.data_classes ?? {})]);
  const counts = { vendors: 0, services: 0, stores: 0, logs: 0, flows: 0, origins: 0, phiOffEnvs: 0, cycles: false };
  for (const v of Object.values(envs)) if (v.phi_allowed === false) counts.phiOffEnvs++;
  const checkData = (where, data) => {
    for (const c of data ?? []) if (!classes.has(c)) err(`${where}: unknown data class ${c}`);
  };
  for (const s of sections) {
    for (const [id, node] of Object.entries(doc[s] ?? {})) {
      counts[s]++;
      if (s === 'vendors') {
        if (!['signed', 'pending', 'none', 'not-required'].includes(node.baa?.status)) err(`${id}: baa.status ${node.baa?.status}`);
        for (const sp of node.subprocessors ?? []) {
          if (owner.get(sp) !== 'vendors') err(`${id}: subprocessor ${sp} is not a vendor`);
          if (sp === id) err(`${id}: subprocessor of itself`);
        }
        continue;
      }
      if (node.environment !== undefined && !(node.environment in envs)) err(`${id}: environment ${node.environment} not declared`);
      if (node.hosting !== undefined && node.hosting !== 'self') {
        const v = node.hosting.split('/')[0];
        if (owner.get(v) !== 'vendors') err(`${id}: hosting ${node.hosting} names no vendor`);
      }
      if (node.audit_log !== undefined && owner.get(node.audit_log) !== 'logs') err(`${id}: audit_log ${node.audit_log} is not a log`);
      if (node.audit_log === id) err(`${id}: audit_log is itself`);
      if (node.backup !== undefined && owner.get(node.backup) !== 'stores') err(`${id}: backup ${node.backup} is not a store`);
      if (node.backup === id) err(`${id}: backup is itself`);
      if (node.data) {
        checkData(id, node.data);
        if (node.data.some((c) => c === 'phi' || doc.data_classes?.[c]?.phi === true)) counts.origins++;
      }
    }
  }
  const flowIds = new Set();
  const adj = new Map();
  for (const [i, f] of (doc.flows ?? []).entries()) {
    counts.flows++;
    if (!owner.has(f.from)) err(`flows[${i}]: from ${f.from} does not exist`);
    if (!owner.has(f.to)) err(`flows[${i}]: to ${f.to} does not exist`);
    if (f.from === f.to) err(`flows[${i}]: self-loop on ${f.from}`);
    const fid = f.id ?? `${f.from}->${f.to}`;
    if (flowIds.has(fid)) err(`flows[${i}]: duplicate flow id ${fid}`);
    flowIds.add(fid);
    checkData(`flows[${i}]`, f.data);
    if (!adj.has(f.from)) adj.set(f.from, []);
    adj.get(f.from).push(f.to);
  }
  counts.cycles = hasCycle(adj);
  if (!counts.cycles) err('no cycle in the flow graph');
  if (counts.origins === 0) err('no PHI origin');
  return { errors, counts };
}

function hasCycle(adj) {
  const color = new Map(); // 1 = on stack, 2 = done
  for (const start of adj.keys()) {
    if (color.has(start)) continue;
    const stack = [[start, 0]];
    color.set(start, 1);
    while (stack.length) {
      const top = stack[stack.length - 1];
      const next = adj.get(top[0]) ?? [];
      if (top[1] < next.length) {
        const to = next[top[1]++];
        const c = color.get(to);
        if (c === 1) return true;
        if (c === undefined) {
          color.set(to, 1);
          stack.push([to, 0]);
        }
      } else {
        color.set(top[0], 2);
        stack.pop();
      }
    }
  }
  return false;
}
