/** environment-allows-phi, phi-absent: where PHI may be at all. */
import { type CheckRow, describeTable, type InvalidOptions, rejectsOptions } from './tables.js';

const MAP = `
version: 1
data_classes:
  clinical-notes: { phi: true }
  usage-events: { phi: false }
environments:
  prod: { phi_allowed: true }
  staging: { phi_allowed: false }
vendors:
  aws:
    baa: { status: signed, signed: 2025-01-15 }
  datadog:
    baa: { status: signed }
services:
  intake: { environment: prod, hosting: aws/ecs, data: [phi, clinical-notes, usage-events] }
  staging-api: { environment: staging, hosting: aws/ecs }
  demo-api: { environment: staging }
  deid-job: { environment: prod }
stores:
  notes-db: { kind: database, environment: prod, hosting: aws/rds }
  staging-db: { kind: database, environment: staging }
  readmission-model: { kind: model, environment: prod }
  warehouse: { kind: database }
logs:
  app-logs: { kind: application, environment: prod }
  usage-metrics: { kind: metrics, hosting: datadog/metrics }
flows:
  - { from: intake, to: notes-db, tls: "1.2" }
  - { from: intake, to: staging-db, tls: "1.2" }
  - { from: intake, to: app-logs, on: error, tls: "1.2" }
  - { from: notes-db, to: readmission-model, data: [clinical-notes], tls: "1.2" }
  - { from: notes-db, to: deid-job, tls: "1.2" }
  - { from: deid-job, to: warehouse, deidentify: safe-harbor, tls: "1.2" }
  - { from: intake, to: usage-metrics, data: [usage-events], tls: "1.2" }
`;

export const table: CheckRow[] = [
  // ---------------------------------------------------------------- environment-allows-phi
  {
    name: 'pass: an environment that allows PHI',
    map: MAP,
    target: 'notes-db',
    check: { function: 'environment-allows-phi' },
    expected: { status: 'pass', args: { environment: 'prod' } },
    reads: [{ subject: 'notes-db', field: 'environment', provenance: 'declared', value: 'prod' }],
  },
  {
    name: 'fail not-allowed: PHI copied into staging (environment-isolation)',
    map: MAP,
    target: 'staging-db',
    check: { function: 'environment-allows-phi' },
    expected: { status: 'fail', reason: 'not-allowed', args: { environment: 'staging' } },
  },
  {
    name: "fail not-allowed: on a service; the function does not look at PHI (the rule's applies_to does)",
    map: MAP,
    target: 'demo-api',
    check: { function: 'environment-allows-phi' },
    expected: { status: 'fail', reason: 'not-allowed', args: { environment: 'staging' } },
  },
  {
    name: 'not-applicable: no environment',
    map: MAP,
    target: 'warehouse',
    check: { function: 'environment-allows-phi' },
    expected: { status: 'not-applicable' },
    reads: [{ subject: 'warehouse', field: 'environment', provenance: 'undeclared' }],
  },
  {
    name: 'unknown dangling: a live source places the node in an environment the map does not declare',
    map: MAP,
    target: 'notes-db',
    check: { function: 'environment-allows-phi' },
    options: { observations: [{ subject: 'notes-db', field: 'environment', observed: 'sandbox', source: 'aws:organizations' }] },
    expected: { status: 'unknown', reason: 'dangling', args: { environment: 'sandbox' } },
    reads: [{ subject: 'notes-db', field: 'environment', provenance: 'contradicted', value: 'sandbox' }],
  },
  {
    name: 'fail not-allowed: a contradicted environment is judged by what was observed',
    map: MAP,
    target: 'notes-db',
    check: { function: 'environment-allows-phi' },
    options: { observations: [{ subject: 'notes-db', field: 'environment', observed: 'staging', source: 'aws:organizations' }] },
    expected: { status: 'fail', reason: 'not-allowed', args: { environment: 'staging' } },
  },
  {
    // Fails closed: an unreadable environment is unknown, not undeclared.
    name: 'unknown unavailable: the environment could not be read',
    map: MAP,
    target: 'staging-db',
    check: { function: 'environment-allows-phi' },
    options: { observations: [{ subject: 'staging-db', field: 'environment', error: 'AccessDenied', source: 'aws:organizations' }] },
    expected: { status: 'unknown', reason: 'unavailable', args: { field: 'environment', value: 'unavailable', error: 'AccessDenied' } },
    reads: [{ subject: 'staging-db', field: 'environment', provenance: 'unavailable' }],
  },
  {
    name: 'not-applicable: a vendor is not a target it declares',
    map: MAP,
    target: 'aws',
    check: { function: 'environment-allows-phi' },
    expected: { status: 'not-applicable' },
    reads: [],
  },
  {
    name: 'not-applicable: a flow is not a target it declares',
    map: MAP,
    target: 'intake->staging-db',
    check: { function: 'environment-allows-phi' },
    expected: { status: 'not-applicable' },
    reads: [],
  },

  // ---------------------------------------------------------------- phi-absent
  {
    name: 'pass: a metrics log that gets only usage events (telemetry-phi)',
    map: MAP,
    target: 'usage-metrics',
    check: { function: 'phi-absent' },
    expected: { status: 'pass' },
    reads: [],
  },
  {
    name: 'pass: a store fed only through a de-identifying flow',
    map: MAP,
    target: 'warehouse',
    check: { function: 'phi-absent' },
    expected: { status: 'pass' },
  },
  {
    name: 'pass: a de-identifying flow carries no PHI',
    map: MAP,
    target: 'deid-job->warehouse',
    check: { function: 'phi-absent' },
    expected: { status: 'pass' },
  },
  {
    name: 'pass: a node with nothing flowing in',
    map: MAP,
    target: 'demo-api',
    check: { function: 'phi-absent' },
    expected: { status: 'pass' },
  },
  {
    name: 'fail present: an error path brings PHI into an application log',
    map: MAP,
    target: 'app-logs',
    check: { function: 'phi-absent' },
    expected: { status: 'fail', reason: 'present', args: { classes: 'clinical-notes, phi' } },
  },
  {
    name: 'fail present: a model trained on clinical notes (model-artifact-phi)',
    map: MAP,
    target: 'readmission-model',
    check: { function: 'phi-absent' },
    expected: { status: 'fail', reason: 'present', args: { classes: 'clinical-notes' } },
  },
  {
    name: 'fail present: a vendor holds what is hosted on it',
    map: MAP,
    target: 'aws',
    check: { function: 'phi-absent' },
    expected: { status: 'fail', reason: 'present', args: { classes: 'clinical-notes, phi' } },
  },
  {
    name: 'fail present: a flow carries PHI',
    map: MAP,
    target: 'notes-db->readmission-model',
    check: { function: 'phi-absent' },
    expected: { status: 'fail', reason: 'present', args: { classes: 'clinical-notes' } },
    reads: [],
  },
];

const invalid: InvalidOptions[] = [
  { name: 'any option (it takes none)', fn: 'phi-absent', options: { classes: ['phi'] } },
  { name: 'any option (it takes none)', fn: 'environment-allows-phi', options: { environment: 'prod' } },
];

describeTable(import.meta.url, 'phi', table, () => {
  rejectsOptions(MAP, 'notes-db', invalid);
});
