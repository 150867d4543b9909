/** declares-deidentification, data-use-agreement, has-outgoing-flow: what a flow claims it strips, under what agreement, and which paths leave a node. */
import { type CheckRow, describeTable, type InvalidOptions, rejectsOptions } from './tables.js';

// Intake holds two PHI classes and one that is not PHI; each flow out of it narrows what moves a different way.
const MAP = `
version: 1
data_classes:
  clinical-notes: { phi: true }
  usage-events: { phi: false }
vendors:
  llm:
    catalog: openai
    plan: api
    baa: { status: signed }
    data: [usage-events]
services:
  intake:
    data: [phi, clinical-notes, usage-events]
  summarizer: {}
  deid-job: {}
  cron: {}
stores:
  notes-db: { kind: database }
  warehouse: { kind: database }
  archive: { kind: backup }
  retry-queue: { kind: dead-letter-queue }
logs:
  metrics: { kind: metrics }
  app-logs: { kind: application }
  debug-logs: { kind: application }
flows:
  - { from: intake, to: notes-db, tls: "1.2" }
  - { from: intake, to: summarizer, data: [clinical-notes], tls: "1.2" }
  - { from: intake, to: metrics, data: [usage-events], tls: "1.2" }
  - { from: intake, to: archive, data: [phi, clinical-notes, usage-events], tls: "1.2" }
  - { from: intake, to: deid-job, data: [], tls: "1.2" }
  - { from: notes-db, to: warehouse, data: [phi], deidentify: safe-harbor, tls: "1.2" }
  - { from: summarizer, to: app-logs, on: error }
  - { from: summarizer, to: llm, data: [clinical-notes], tls: "1.3" }
  - { from: intake, to: retry-queue, on: retry, tls: "1.2" }
  - { from: deid-job, to: debug-logs, on: debug }
  - { from: llm, to: metrics, data: [usage-events], tls: "1.2" }
  - { from: cron, to: deid-job, data: [usage-events] }
  - { from: intake, to: debug-logs, data: [usage-events], basis: "event counters only, no identifiers", tls: "1.2" }
  - { from: intake, to: llm, data: [phi], deidentify: limited-data-set, tls: "1.3" }
  - { from: notes-db, to: archive, deidentify: { method: limited-data-set, evidence: docs/lds.md }, tls: "1.2" }
`;

export const table: CheckRow[] = [
  // ---------------------------------------------------------------- declares-deidentification
  {
    name: 'not-applicable: the flow carries every PHI class its source holds',
    map: MAP,
    target: 'intake->archive',
    check: { function: 'declares-deidentification' },
    expected: { status: 'not-applicable' },
    reads: [],
  },
  {
    name: 'not-applicable: a minimum-necessary selection (still carries some PHI) is no claim',
    map: MAP,
    target: 'intake->summarizer',
    check: { function: 'declares-deidentification' },
    expected: { status: 'not-applicable' },
    reads: [],
  },
  {
    name: 'not-applicable: a source with no PHI drops none',
    map: MAP,
    target: 'cron->deid-job',
    check: { function: 'declares-deidentification' },
    expected: { status: 'not-applicable' },
  },
  {
    name: 'not-applicable: no `data:` (the flow carries everything)',
    map: MAP,
    target: 'intake->notes-db',
    check: { function: 'declares-deidentification' },
    expected: { status: 'not-applicable' },
  },
  {
    name: 'not-applicable: a limited data set stays PHI',
    map: MAP,
    target: 'intake->llm',
    check: { function: 'declares-deidentification' },
    expected: { status: 'not-applicable' },
  },
  {
    name: 'fail stripped: carries no PHI from a PHI holder, with neither a method nor a basis',
    map: MAP,
    target: 'intake->metrics',
    check: { function: 'declares-deidentification' },
    expected: { status: 'fail', reason: 'stripped', args: { dropped: 'clinical-notes, phi' } },
    reads: [
      { subject: 'intake->metrics', field: 'deidentify', provenance: 'undeclared' },
      { subject: 'intake->metrics', field: 'basis', provenance: 'undeclared' },
    ],
  },
  {
    name: 'fail stripped: `data: []` carries nothing',
    map: MAP,
    target: 'intake->deid-job',
    check: { function: 'declares-deidentification' },
    expected: { status: 'fail', reason: 'stripped', args: { dropped: 'clinical-notes, phi' } },
  },
  {
    name: 'pass: a `deidentify:` method is named',
    map: MAP,
    target: 'notes-db->warehouse',
    check: { function: 'declares-deidentification' },
    expected: { status: 'pass', args: { method: 'safe-harbor' } },
    reads: [{ subject: 'notes-db->warehouse', field: 'deidentify', provenance: 'declared', value: 'safe-harbor' }],
  },
  {
    name: 'pass: a `basis:` says why no PHI is in it',
    map: MAP,
    target: 'intake->debug-logs',
    check: { function: 'declares-deidentification' },
    expected: { status: 'pass', args: { basis: 'event counters only, no identifiers' } },
    reads: [
      { subject: 'intake->debug-logs', field: 'deidentify', provenance: 'undeclared' },
      { subject: 'intake->debug-logs', field: 'basis', provenance: 'declared' },
    ],
  },
  {
    name: 'pass: an observed method supports the claim',
    map: MAP,
    target: 'intake->metrics',
    check: { function: 'declares-deidentification' },
    options: { observations: [{ subject: 'intake->metrics', field: 'deidentify', observed: 'expert-determination', source: 'privacy-office' }] },
    expected: { status: 'pass', args: { method: 'expert-determination' } },
    reads: [{ subject: 'intake->metrics', field: 'deidentify', provenance: 'verified', value: 'expert-determination' }],
  },
  {
    name: 'not-applicable: a node is not a target it declares',
    map: MAP,
    target: 'intake',
    check: { function: 'declares-deidentification' },
    expected: { status: 'not-applicable' },
    reads: [],
  },

  // ---------------------------------------------------------------- data-use-agreement
  {
    name: 'fail missing: a limited data set to a vendor that declares no agreement',
    map: MAP,
    target: 'intake->llm',
    check: { function: 'data-use-agreement' },
    expected: { status: 'fail', reason: 'missing', args: { recipient: 'llm', status: 'undeclared' } },
    reads: [
      { subject: 'intake->llm', field: 'deidentify', provenance: 'declared', value: 'limited-data-set' },
      { subject: 'llm', field: 'dua.status', provenance: 'undeclared' },
    ],
  },
  {
    name: 'fail not-signed: the agreement is pending',
    map: MAP,
    target: 'intake->llm',
    check: { function: 'data-use-agreement' },
    options: { observations: [{ subject: 'llm', field: 'dua.status', observed: 'pending', source: 'legal-register' }] },
    expected: { status: 'fail', reason: 'not-signed', args: { recipient: 'llm', status: 'pending' } },
  },
  {
    name: 'fail not-yet: signed after --as-of',
    map: MAP,
    target: 'intake->llm',
    check: { function: 'data-use-agreement' },
    options: {
      asOf: '2026-01-01',
      observations: [
        { subject: 'llm', field: 'dua.status', observed: 'signed', source: 'legal-register' },
        { subject: 'llm', field: 'dua.signed', observed: '2026-03-01', source: 'legal-register' },
      ],
    },
    expected: { status: 'fail', reason: 'not-yet', args: { recipient: 'llm', status: 'signed', signed: '2026-03-01', as_of: '2026-01-01' } },
  },
  {
    name: 'pass: a signed agreement in force',
    map: MAP,
    target: 'intake->llm',
    check: { function: 'data-use-agreement' },
    options: { observations: [{ subject: 'llm', field: 'dua.status', observed: 'signed', source: 'legal-register' }] },
    expected: { status: 'pass', args: { recipient: 'llm' } },
  },
  {
    name: 'not-applicable: a limited data set kept inside (the recipient is not a vendor), written as a mapping',
    map: MAP,
    target: 'notes-db->archive',
    check: { function: 'data-use-agreement' },
    expected: { status: 'not-applicable' },
    reads: [{ subject: 'notes-db->archive', field: 'deidentify', provenance: 'declared' }],
  },
  {
    name: 'not-applicable: a node is not a target it declares',
    map: MAP,
    target: 'llm',
    check: { function: 'data-use-agreement' },
    expected: { status: 'not-applicable' },
    reads: [],
  },
  {
    name: 'not-applicable: not a limited data set',
    map: MAP,
    target: 'intake->notes-db',
    check: { function: 'data-use-agreement' },
    expected: { status: 'not-applicable' },
  },

  // ---------------------------------------------------------------- has-outgoing-flow
  {
    name: 'pass: an on: error flow (failure-path-declared)',
    map: MAP,
    target: 'summarizer',
    check: { function: 'has-outgoing-flow', options: { on: ['error', 'retry'] } },
    expected: { status: 'pass', args: { on: 'error or retry' } },
    reads: [{ subject: 'summarizer->app-logs', field: 'on', provenance: 'declared', value: 'error' }],
  },
  {
    name: 'pass: an on: retry flow, found after flows with no `on:`',
    map: MAP,
    target: 'intake',
    check: { function: 'has-outgoing-flow', options: { on: ['error', 'retry'] } },
    expected: { status: 'pass', args: { on: 'error or retry' } },
    reads: [
      { subject: 'intake->notes-db', field: 'on', provenance: 'undeclared' },
      { subject: 'intake->summarizer', field: 'on', provenance: 'undeclared' },
      { subject: 'intake->metrics', field: 'on', provenance: 'undeclared' },
      { subject: 'intake->archive', field: 'on', provenance: 'undeclared' },
      { subject: 'intake->deid-job', field: 'on', provenance: 'undeclared' },
      { subject: 'intake->retry-queue', field: 'on', provenance: 'declared', value: 'retry' },
    ],
  },
  {
    name: 'pass: a flow with no `on:` counts as normal',
    map: MAP,
    target: 'cron',
    check: { function: 'has-outgoing-flow', options: { on: ['normal'] } },
    expected: { status: 'pass', args: { on: 'normal' } },
  },
  {
    name: 'pass: on a vendor',
    map: MAP,
    target: 'llm',
    check: { function: 'has-outgoing-flow', options: { on: ['normal'] } },
    expected: { status: 'pass', args: { on: 'normal' } },
  },
  {
    name: 'fail none: a debug flow is not an error or retry path',
    map: MAP,
    target: 'deid-job',
    check: { function: 'has-outgoing-flow', options: { on: ['error', 'retry'] } },
    expected: { status: 'fail', reason: 'none', args: { on: 'error or retry' } },
    reads: [{ subject: 'deid-job->debug-logs', field: 'on', provenance: 'declared', value: 'debug' }],
  },
  {
    name: 'fail none: only normal flows',
    map: MAP,
    target: 'cron',
    check: { function: 'has-outgoing-flow', options: { on: ['error', 'retry'] } },
    expected: { status: 'fail', reason: 'none', args: { on: 'error or retry' } },
  },
  {
    name: 'fail none: no flows out at all',
    map: MAP,
    target: 'warehouse',
    check: { function: 'has-outgoing-flow', options: { on: ['error', 'retry'] } },
    expected: { status: 'fail', reason: 'none', args: { on: 'error or retry' } },
    reads: [],
  },
  {
    name: 'pass: a contradicted `on:` is judged by what was observed',
    map: MAP,
    target: 'cron',
    check: { function: 'has-outgoing-flow', options: { on: ['retry'] } },
    options: { observations: [{ subject: 'cron->deid-job', field: 'on', observed: 'retry', source: 'sqs:redrive-policy' }] },
    expected: { status: 'pass', args: { on: 'retry' } },
    reads: [{ subject: 'cron->deid-job', field: 'on', provenance: 'verified', value: 'retry' }],
  },
  {
    // Fails closed: a flow whose `on:` could not be read cannot make the check pass.
    name: 'unknown unavailable: an outgoing flow’s `on:` could not be read',
    map: MAP,
    target: 'cron',
    check: { function: 'has-outgoing-flow', options: { on: ['normal'] } },
    options: { observations: [{ subject: 'cron->deid-job', field: 'on', error: 'timeout', source: 'sqs:redrive-policy' }] },
    expected: { status: 'unknown', reason: 'unavailable', args: { field: 'on', value: 'unavailable', error: 'timeout' } },
    reads: [{ subject: 'cron->deid-job', field: 'on', provenance: 'unavailable' }],
  },
  {
    name: 'not-applicable: a flow is not a target it declares',
    map: MAP,
    target: 'intake->notes-db',
    check: { function: 'has-outgoing-flow', options: { on: ['error', 'retry'] } },
    expected: { status: 'not-applicable' },
    reads: [],
  },
];

const invalid: InvalidOptions[] = [
  { name: 'no `on`', fn: 'has-outgoing-flow', options: {} },
  { name: 'an empty `on`', fn: 'has-outgoing-flow', options: { on: [] } },
  { name: 'a condition that does not exist', fn: 'has-outgoing-flow', options: { on: ['failure'] } },
  { name: 'any option (it takes none)', fn: 'declares-deidentification', options: { method: 'safe-harbor' } },
];

describeTable(import.meta.url, 'flows', table, () => {
  rejectsOptions(MAP, 'intake', invalid);
});
