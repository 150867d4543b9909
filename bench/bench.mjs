#!/usr/bin/env node
// Performance bench for `phi-audit scan`.
//
// Generates deterministic synthetic PHI maps (200 / 1,000 / 10,000 / 50,000 nodes) into .bench/, then times
// `phi-audit scan` as a child process against two floors measured in the same run:
//   - parse-only: a Node process that reads the same file and calls YAML.parse() (the cost we cannot avoid);
//   - import floor: a Node process that only imports the CLI's dependencies (startup cost we cannot avoid).
// Wall time comes from process.hrtime.bigint() around the child; peak RSS from GNU time's %M.
// It reports figures and PASS/FAIL per target; it exits non-zero only when a child crashed (exit code not 0/1).
//
// Usage: node bench/bench.mjs [--quick] [--sizes 200,1000] [--runs N] [--seed N] [--check] [--help]
// Env:   PHI_AUDIT_BIN=path/to/cli.js (default: the package's bin, dist/bin/phi-audit.js), PHI_BENCH_TIMEOUT_MS (default 900000)

import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..');
const OUT_DIR = path.join(ROOT, '.bench');
const DEFAULT_SIZES = [200, 1000, 10000, 50000];
const CLI_DEPS = ['commander', 'zod', 'yaml', 'chalk', 'fast-glob', 'ignore'];
const GNU_TIME = '/usr/bin/time';
const MARK = '__PHI_BENCH_TIME__';
const TIMEOUT_MS = Number(process.env.PHI_BENCH_TIMEOUT_MS ?? 15 * 60 * 1000);
const ID_RE = /^[a-z0-9][a-z0-9._-]*$/;

// ---------------------------------------------------------------------------------------------------------------
// Arguments

function parseArgs(argv) {
  const opts = { quick: false, check: false, sizes: DEFAULT_SIZES, runs: null, seed: 0x5eed };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[++i];
      if (v === undefined) usage(`${a} needs a value`);
      return v;
    };
    if (a === '--quick') opts.quick = true;
    else if (a === '--check') opts.check = true;
    else if (a === '--sizes' || a.startsWith('--sizes=')) {
      opts.sizes = value()
        .split(',')
        .map((s) => Number(s.trim().replace(/_/g, '')));
      if (opts.sizes.some((n) => !Number.isInteger(n) || n < 100)) usage('--sizes takes integers >= 100, e.g. 200,1000');
    } else if (a === '--runs' || a.startsWith('--runs=')) {
      opts.runs = Number(value());
      if (!Number.isInteger(opts.runs) || opts.runs < 1) usage('--runs takes a positive integer');
    } else if (a === '--seed' || a.startsWith('--seed=')) {
      opts.seed = Number(value()) >>> 0;
    } else if (a === '--help' || a === '-h') usage(null);
    else usage(`unknown argument ${a}`);
  }
  return opts;
}

function usage(err) {
  const text = `usage: node bench/bench.mjs [--quick] [--sizes 200,1000,10000,50000] [--runs N] [--seed N] [--check]
  --quick    one run per measurement
  --sizes    node counts to generate and measure
  --runs     force N runs per size (default 5 for <=1,000 nodes, 3 for <=10,000, 2 above)
  --check    generate the maps and validate them (references, ids), no timing
env: PHI_AUDIT_BIN (default: the package's bin, dist/bin/phi-audit.js), PHI_BENCH_TIMEOUT_MS (default 900000)`;
  if (err) {
    console.error(`bench: ${err}\n${text}`);
    process.exit(2);
  }
  console.log(text);
  process.exit(0);
}

// ---------------------------------------------------------------------------------------------------------------
// Deterministic generator

function mulberry32(seed) {
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

const DOMAINS = ['intake', 'billing', 'scheduling', 'portal', 'notes', 'labs', 'pharmacy', 'claims', 'imaging',
  'messaging', 'analytics', 'auth', 'search', 'reporting', 'triage', 'referrals', 'telehealth', 'consent'];

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
const ENV_WEIGHTS = [['prod', 45], ['staging', 12], ['research', 4], ['dev', 10], ['ci', 3], [null, 26]];

// Named vendors, the services they host and their BAA. Vendor ids beyond these are generated.
const NAMED_VENDORS = [
  { id: 'aws', role: 'business-associate', status: 'signed', scope: ['s3', 'rds', 'ecs', 'sqs', 'cloudwatch-logs', 'cloudtrail', 'kms', 'backup'], doc: 'contracts/aws-baa.pdf' },
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

const STORE_KINDS = [['database', 24], ['object-store', 15], ['queue', 12], ['dead-letter-queue', 5], ['cache', 10],
  ['dataset', 10], ['model', 5], ['backup', 10], ['device', 6], ['filesystem', 3]];
const LOG_KINDS = [['application', 45], ['audit', 20], ['trace', 20], ['error-tracking', 10], ['metrics', 5]];

const HOSTING = {
  service: [['aws/ecs', 30], ['aws/lambda', 10], ['gcp/gke', 15], ['azure/aks', 5], ['self', 15]],
  database: [['aws/rds', 40], ['gcp/cloud-sql', 15], ['azure/sql', 5], ['snowflake', 5], ['self', 10]],
  'object-store': [['aws/s3', 60], ['gcp/gcs', 20], ['azure/blob', 5]],
  queue: [['aws/sqs', 50], ['gcp/pubsub', 25], ['azure/service-bus', 5], ['self', 5]],
  'dead-letter-queue': [['aws/sqs', 70], ['gcp/pubsub', 30]],
  cache: [['aws/elasticache', 50], ['self', 30]],
  dataset: [['gcp/bigquery', 40], ['snowflake', 40], ['aws/s3', 10]],
  model: [['aws/sagemaker', 40], ['gcp/vertex-ai', 30], ['openai', 10], ['self', 10]],
  backup: [['aws/backup', 50], ['aws/s3', 30], ['gcp/gcs', 20]],
  device: [['self', 100]],
  filesystem: [['aws/efs', 50], ['self', 50]],
  application: [['aws/cloudwatch-logs', 40], ['datadog/logs', 30], ['gcp/cloud-logging', 15], ['self', 5]],
  audit: [['aws/cloudtrail', 50], ['splunk', 30], ['self', 20]],
  trace: [['datadog/apm', 50], ['honeycomb', 40]],
  'error-tracking': [['sentry', 80], ['datadog/apm', 20]],
  metrics: [['datadog', 60], ['gcp/cloud-monitoring', 40]],
};

// Id prefixes: short, because ids repeat in every flow and dominate the file size.
const SHORT = {
  database: 'db', 'object-store': 'obj', queue: 'q', 'dead-letter-queue': 'dlq', cache: 'cache', dataset: 'ds',
  model: 'ml', backup: 'bak', device: 'dvc', filesystem: 'fs', application: 'log', audit: 'audit',
  trace: 'trace', 'error-tracking': 'err', metrics: 'mx',
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
        ? rng.weighted([['signed', 70], ['not-required', 30]])
        : rng.weighted([['signed', 60], ['pending', 12], ['none', 20], ['not-required', 8]]);
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
    at_rest: rng.weighted([['aes-256', 70], ['aes-128', 8], ['aes-192', 4], ['none', 18]]),
    key: rng.weighted([['provider-managed', 70], ['customer-managed', 30]]),
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
    ['svc', 'store:database', 14], ['svc', 'store:object-store', 6], ['svc', 'store:queue', 6], ['svc', 'store:cache', 5],
    ['store:database', 'svc', 6], ['store:queue', 'svc', 6], ['store:object-store', 'svc', 3], ['store:cache', 'svc', 2],
    ['svc', 'svc', 12], ['svc', 'log:application', 12], ['svc', 'log:trace', 5], ['svc', 'log:error-tracking', 5],
    ['svc', 'log:audit', 2], ['svc', 'log:metrics', 1], ['store:queue', 'store:dead-letter-queue', 3],
    ['store:dead-letter-queue', 'svc', 1], ['store:database', 'store:dataset', 3], ['store:dataset', 'store:model', 2],
    ['store:dataset', 'svc', 1], ['store:model', 'svc', 2], ['store:device', 'svc', 2], ['svc', 'store:device', 1],
    ['svc', 'vendor', 2], ['log:application', 'log:error-tracking', 1], ['store:database', 'store:database', 2],
    ['svc', 'store:filesystem', 1], ['store:object-store', 'store:dataset', 1],
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
      const on = rng.weighted([['normal', 55], ['error', 35], ['debug', 10]]);
      if (on !== 'normal') f.on = on;
    } else if (toKind === 'dead-letter-queue') {
      f.on = 'retry';
    } else if (toKind === 'queue' && rng.chance(0.05)) {
      f.on = 'retry';
    }
    if (rng.chance(0.65)) f.tls = rng.weighted([['1.3', 45], ['1.2', 42], ['1.1', 3], ['1.0', 2], ['none', 8]]);
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
// booleans-as-strings, which get quoted. Nested mappings and lists are written in flow style to keep files compact.
function scalar(v) {
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (/^[0-9.]+$/.test(v) || /^(true|false|null|yes|no|on|off|~)$/i.test(v)) return `"${v}"`;
  return v;
}
function inline(v) {
  if (Array.isArray(v)) return `[${v.map(inline).join(', ')}]`;
  if (v && typeof v === 'object') return `{ ${Object.entries(v).map(([k, x]) => `${k}: ${inline(x)}`).join(', ')} }`;
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

function emitYaml(m) {
  const lines = [`version: ${m.version}`, `system: ${m.system}`, `description: ${m.description}`, '', 'data_classes:'];
  for (const [id, c] of Object.entries(m.data_classes)) lines.push(`  ${id}: ${inline(c)}`);
  lines.push('', 'environments:');
  for (const [id, e] of Object.entries(m.environments)) lines.push(`  ${id}: ${inline(e)}`);
  for (const section of ['vendors', 'services', 'stores', 'logs']) {
    lines.push('', `${section}:`);
    for (const [id, node] of m[section]) emitNode(lines, id, node);
  }
  lines.push('', 'flows:');
  for (const f of m.flows) lines.push(`  - ${inline(f)}`);
  lines.push('');
  return lines.join('\n');
}

// ---------------------------------------------------------------------------------------------------------------
// Validation of generated maps (independent of the generator: works on the parsed YAML)

function checkMap(doc) {
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
  for (const [e, v] of Object.entries(envs)) if (v.phi_allowed === false) counts.phiOffEnvs++;
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

// ---------------------------------------------------------------------------------------------------------------
// Measurement

let gnuTime = null;
async function probeGnuTime() {
  if (!existsSync(GNU_TIME)) return false;
  const r = await run([GNU_TIME, '-f', `${MARK} %e %M`, 'true'], { raw: true });
  return r.stderr.includes(MARK);
}

// Runs argv[0] with args; returns { ms, rssKiB, code, signal, stdout, stderr, timedOut }.
function run(argv, { raw = false } = {}) {
  const full = !raw && gnuTime ? [GNU_TIME, '-f', `${MARK} %e %M`, ...argv] : argv;
  return new Promise((resolve) => {
    const t0 = process.hrtime.bigint();
    // detached: own process group, so a timeout can kill GNU time and the node child together.
    const child = spawn(full[0], full.slice(1), { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const out = [];
    const errs = [];
    let outLen = 0;
    child.stdout.on('data', (b) => {
      if (outLen < 1 << 20) out.push(b);
      outLen += b.length;
    });
    child.stderr.on('data', (b) => errs.push(b));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {}
    }, TIMEOUT_MS);
    let t1 = null;
    child.on('exit', () => {
      t1 = process.hrtime.bigint();
    });
    child.on('error', (e) => {
      clearTimeout(timer);
      resolve({ ms: NaN, rssKiB: null, code: null, signal: null, stdout: '', stderr: String(e), timedOut });
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const ms = Number((t1 ?? process.hrtime.bigint()) - t0) / 1e6;
      let stderr = Buffer.concat(errs).toString('utf8');
      let rssKiB = null;
      let timeWall = null;
      if (!raw && gnuTime) {
        // GNU time writes after the child is done, so its line is the last occurrence of the marker.
        const at = stderr.lastIndexOf(MARK);
        if (at >= 0) {
          const m = /^\s*([0-9.]+)\s+(\d+)/.exec(stderr.slice(at + MARK.length));
          if (m) {
            timeWall = Number(m[1]);
            rssKiB = Number(m[2]);
          }
          stderr = stderr
            .slice(0, at)
            .replace(/\n?Command (exited with non-zero status \d+|terminated by signal \d+)\n?$/, '');
        }
      }
      resolve({ ms, timeWall, rssKiB, code, signal, stdout: Buffer.concat(out).toString('utf8'), stderr, timedOut });
    });
  });
}

const median = (xs) => {
  const s = xs.filter((x) => x !== null && !Number.isNaN(x)).sort((a, b) => a - b);
  if (!s.length) return null;
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};
const rel = (p) => (p.startsWith(ROOT + path.sep) ? path.relative(ROOT, p) : p);
const mib = (kib) => (kib === null ? null : kib / 1024);

function describeFailure(what, r) {
  const why = r.timedOut
    ? `timed out after ${TIMEOUT_MS} ms`
    : r.signal
      ? `killed by signal ${r.signal}`
      : `exit code ${r.code}`;
  const tail = (r.stderr || '').trim().split('\n').slice(-30).join('\n    ');
  return `${what}: ${why}\n    ${tail || '(no stderr)'}`;
}

// ---------------------------------------------------------------------------------------------------------------
// Output

function fmt(v, digits = 0) {
  if (v === null || v === undefined || Number.isNaN(v)) return '—';
  return v.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

function table(rows, headers) {
  const cells = [headers, ...rows];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => String(r[i]).length)));
  const line = (r) => r.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join('  ');
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

// ---------------------------------------------------------------------------------------------------------------
// Main

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  mkdirSync(OUT_DIR, { recursive: true });

  // 1. Generate.
  const maps = [];
  for (const n of opts.sizes) {
    const t0 = process.hrtime.bigint();
    const model = generateModel(n, opts.seed);
    const text = emitYaml(model);
    const file = path.join(OUT_DIR, `phi-map-${n}.yaml`);
    writeFileSync(file, text);
    const genMs = Number(process.hrtime.bigint() - t0) / 1e6;
    maps.push({ n, file, flows: model.flows.length, bytes: Buffer.byteLength(text) });
    console.error(`generated ${path.relative(ROOT, file)}: ${fmt(n)} nodes, ${fmt(model.flows.length)} flows, ${fmt(Buffer.byteLength(text) / 1e6, 2)} MB in ${fmt(genMs)} ms`);
  }

  if (opts.check) {
    let bad = 0;
    for (const m of maps) {
      const doc = YAML.parse(readFileSync(m.file, 'utf8'), { maxAliasCount: -1 });
      const { errors, counts } = checkMap(doc);
      console.log(`${path.relative(ROOT, m.file)}: ${JSON.stringify(counts)}`);
      for (const e of errors) console.log(`  ERROR ${e}`);
      if (errors.length) bad++;
    }
    console.log(bad ? `check: ${bad} map(s) invalid` : 'check: all maps valid');
    process.exit(bad ? 1 : 0);
  }

  // 2. Measure.
  const binRel = process.env.PHI_AUDIT_BIN || JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).bin['phi-audit'];
  const bin = path.resolve(ROOT, binRel);
  if (!existsSync(bin)) {
    console.error(`bench: ${bin} does not exist. Run \`npm run build\` first (or \`npm run bench\`), or set PHI_AUDIT_BIN.`);
    process.exit(1);
  }
  gnuTime = await probeGnuTime();
  if (!gnuTime) console.error(`bench: WARNING ${GNU_TIME} (GNU time with -f) not usable; peak RSS will not be measured.`);

  const parseScript = path.join(OUT_DIR, 'parse-only.mjs');
  writeFileSync(parseScript, "import { readFileSync } from 'node:fs';\nimport YAML from 'yaml';\nYAML.parse(readFileSync(process.argv[2], 'utf8'));\n");
  const importScript = path.join(OUT_DIR, 'import-floor.mjs');
  writeFileSync(importScript, CLI_DEPS.map((d) => `import '${d}';`).join('\n') + '\n');

  const failures = [];
  const node = process.execPath;
  const loadBefore = os.loadavg();

  // Import floor: once, median of 7 (after one warm-up run).
  const importRuns = [];
  const importN = 7; // cheap, and the 200-node target depends on it: no --quick reduction
  for (let i = 0; i <= importN; i++) {
    const r = await run([node, importScript]);
    if (r.code !== 0) {
      failures.push(describeFailure('import floor', r));
      break;
    }
    if (i > 0) importRuns.push(r);
  }
  const importFloor = {
    runs: importN,
    ms: importRuns.map((r) => r.ms),
    median_ms: median(importRuns.map((r) => r.ms)),
    median_rss_mib: mib(median(importRuns.map((r) => r.rssKiB))),
  };
  console.error(`import floor: ${fmt(importFloor.median_ms, 1)} ms (median of ${importRuns.length})`);

  const results = [];
  for (const m of maps) {
    const runs = opts.runs ?? (opts.quick ? 1 : m.n <= 1000 ? 5 : m.n <= 10000 ? 3 : 2);
    const scanArgv = [node, bin, 'scan', m.file, '--format', 'json', '--output', '/dev/null', '--fail-on', 'critical'];
    const scans = [];
    const parses = [];
    let crashed = false;
    // Interleave scan and parse runs so that machine noise hits both alike.
    for (let i = 0; i < runs && !crashed; i++) {
      const s = await run(scanArgv);
      if (s.code !== 0 && s.code !== 1) {
        failures.push(describeFailure(`scan ${m.n} nodes (${scanArgv.slice(1).map(rel).join(' ')})`, s));
        console.error(`bench: SCAN FAILED\n${failures.at(-1)}`);
        crashed = true;
        break;
      }
      scans.push(s);
      const p = await run([node, parseScript, m.file]);
      if (p.code !== 0) {
        failures.push(describeFailure(`parse-only ${m.n} nodes`, p));
        crashed = true;
        break;
      }
      parses.push(p);
      console.error(`  ${fmt(m.n)} nodes run ${i + 1}/${runs}: scan ${fmt(s.ms)} ms ${fmt(mib(s.rssKiB), 0)} MiB (exit ${s.code}), parse-only ${fmt(p.ms)} ms ${fmt(mib(p.rssKiB), 0)} MiB`);
    }
    const r = {
      nodes: m.n,
      flows: m.flows,
      file: path.relative(ROOT, m.file),
      bytes: m.bytes,
      runs,
      crashed,
      scan: {
        ms: scans.map((x) => x.ms),
        rss_kib: scans.map((x) => x.rssKiB),
        exit_codes: scans.map((x) => x.code),
        median_ms: median(scans.map((x) => x.ms)),
        median_rss_mib: mib(median(scans.map((x) => x.rssKiB))),
        max_rss_mib: scans.length && gnuTime ? mib(Math.max(...scans.map((x) => x.rssKiB ?? 0))) : null,
      },
      parse_only: {
        ms: parses.map((x) => x.ms),
        rss_kib: parses.map((x) => x.rssKiB),
        median_ms: median(parses.map((x) => x.ms)),
        median_rss_mib: mib(median(parses.map((x) => x.rssKiB))),
      },
    };
    r.ratio_scan_parse = r.scan.median_ms !== null && r.parse_only.median_ms ? r.scan.median_ms / r.parse_only.median_ms : null;
    r.ratio_scan_import = r.scan.median_ms !== null && importFloor.median_ms ? r.scan.median_ms / importFloor.median_ms : null;
    results.push(r);
  }

  // 3. Report.
  const rows = results.map((r) => [
    fmt(r.nodes),
    fmt(r.flows),
    `${fmt(r.bytes / 1e6, 2)} MB`,
    fmt(r.scan.median_ms),
    fmt(r.scan.median_rss_mib),
    fmt(r.parse_only.median_ms),
    fmt(r.parse_only.median_rss_mib),
    fmt(r.ratio_scan_parse, 2),
    r.nodes === 200 ? fmt(r.ratio_scan_import, 2) : '—',
    String(r.runs),
  ]);
  console.log('');
  console.log(`phi-audit bench — ${path.relative(ROOT, bin) || bin}, node ${process.version}, ${os.cpus()[0]?.model ?? '?'} x${os.cpus().length}, ${os.platform()}`);
  console.log(`import floor (${CLI_DEPS.join(', ')}): ${fmt(importFloor.median_ms, 1)} ms median of ${importRuns.length}`);
  console.log('');
  console.log(table(rows, ['nodes', 'flows', 'file', 'scan ms', 'scan MiB', 'parse ms', 'parse MiB', 'scan/parse', 'scan/import', 'runs']));
  console.log('');

  const bySize = new Map(results.map((r) => [r.nodes, r]));
  const targets = [];
  const target = (name, n, test) => {
    const r = bySize.get(n);
    let status;
    let detail;
    if (!r) [status, detail] = ['SKIP', `${fmt(n)} nodes not measured`];
    else if (r.crashed) [status, detail] = ['FAIL', 'scan crashed'];
    else [status, detail] = test(r);
    targets.push({ name, nodes: n, status, detail });
  };
  for (const n of [10000, 50000]) {
    target(`${fmt(n)} nodes: scan wall <= 1.5 x parse-only wall`, n, (r) => [
      r.ratio_scan_parse !== null && r.ratio_scan_parse <= 1.5 ? 'PASS' : 'FAIL',
      `${fmt(r.scan.median_ms)} ms vs ${fmt(r.parse_only.median_ms)} ms = ${fmt(r.ratio_scan_parse, 2)}x`,
    ]);
  }
  target('50,000 nodes: scan peak RSS <= 1 GiB', 50000, (r) =>
    r.scan.max_rss_mib === null
      ? ['SKIP', 'peak RSS not measured (no GNU time)']
      : [r.scan.max_rss_mib <= 1024 ? 'PASS' : 'FAIL', `max ${fmt(r.scan.max_rss_mib)} MiB over ${r.scan.ms.length} run(s)`],
  );
  target('200 nodes: scan wall <= 2 x import floor', 200, (r) => [
    r.ratio_scan_import !== null && r.ratio_scan_import <= 2 ? 'PASS' : 'FAIL',
    `${fmt(r.scan.median_ms)} ms vs ${fmt(importFloor.median_ms)} ms = ${fmt(r.ratio_scan_import, 2)}x`,
  ]);
  for (const t of targets) console.log(`${t.status.padEnd(4)}  ${t.name}  (${t.detail})`);
  const loadAfter = os.loadavg();
  const busy = Math.max(loadBefore[0], loadAfter[0]) > os.cpus().length;
  if (busy) {
    console.log(`\nWARNING: load average ${loadBefore[0].toFixed(1)} -> ${loadAfter[0].toFixed(1)} on ${os.cpus().length} CPUs: other work was running, absolute times are inflated (ratios less so).`);
  }

  const out = {
    generated_at: new Date().toISOString(),
    node: process.version,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    cpu: `${os.cpus()[0]?.model ?? '?'} x${os.cpus().length}`,
    total_mem_mib: Math.round(os.totalmem() / 2 ** 20),
    bin: path.relative(ROOT, bin) || bin,
    seed: opts.seed,
    quick: opts.quick,
    rss_measured: gnuTime,
    load_average: { before: loadBefore, after: os.loadavg() },
    import_floor: importFloor,
    sizes: results,
    targets,
    failures,
  };
  writeFileSync(path.join(OUT_DIR, 'results.json'), JSON.stringify(out, null, 2) + '\n');
  console.log(`\nresults written to ${path.relative(ROOT, path.join(OUT_DIR, 'results.json'))}`);

  if (failures.length) {
    console.error('\n!!! BENCH FAILURES: a child process crashed !!!');
    for (const f of failures) console.error(`- ${f}`);
    process.exit(1);
  }
}

await main();
