/** vendor-reached, subcontractor-baa-in-force, baa-disposition: whose agreement a BAA is, and the end of one. */
import { expect, it } from 'vitest';
import { createFactStore, type Fact } from '../../src/enrich/facts.js';
import { checkContext } from '../../src/evaluate/evaluate.js';
import { propagate } from '../../src/graph/propagate.js';
import { mapOf } from '../support/audit.js';
import { AS_OF, catalogOf } from '../support/checks.js';
import { type CheckRow, describeTable, type InvalidOptions, rejectsOptions } from './tables.js';

/**
 * A chain of vendors: scribe-co and datadog receive PHI from our nodes and pass it to their subprocessors. gcp is a
 * subprocessor of scribe-co and also hosts a bucket of ours; azure is a subprocessor that also gets a flow of ours;
 * openai reaches speech-cloud too, so speech-cloud has two parents.
 */
const CHAIN = `
version: 1
vendors:
  northbay-health:
    role: covered-entity
    data: [phi]
    baa: { status: signed }
  scribe-co:
    baa: { status: signed }
    subprocessors: [speech-cloud, gcp]
  openai:
    baa: { status: signed }
    subprocessors: [speech-cloud, azure]
  datadog:
    baa: { status: signed }
    subprocessors: [dd-hosting]
  speech-cloud: {}
  dd-hosting:
    baa: { status: signed, signed: 2025-01-01, expires: 2026-01-01 }
  gcp:
    baa: { status: pending }
  azure:
    baa: { status: signed }
  idle-sub:
    baa: { status: none }
  treating-clinic:
    role: treatment-provider
  quiet-vendor:
    subprocessors: [idle-sub]
services:
  ehr-ingest:
    hosting: self
stores:
  audio-bucket: { kind: object-store, hosting: gcp/cloud-storage }
logs:
  traces: { kind: trace, hosting: datadog/apm }
flows:
  - { from: northbay-health, to: ehr-ingest, tls: "1.2" }
  - { from: ehr-ingest, to: scribe-co, tls: "1.2" }
  - { from: ehr-ingest, to: openai, tls: "1.2" }
  - { from: ehr-ingest, to: traces, tls: "1.2" }
  - { from: ehr-ingest, to: audio-bucket, tls: "1.2" }
  - { from: ehr-ingest, to: azure, tls: "1.2" }
`;

/** A subprocessor whose parent is a treatment provider's sub: the treatment provider exception holds down the chain. */
const TREATMENT = `
version: 1
vendors:
  hospital:
    role: covered-entity
    data: [phi]
    baa: { status: signed }
  scribe-co:
    baa: { status: signed }
    subprocessors: [outside-reader]
  outside-reader:
    role: treatment-provider
services:
  ehr-ingest: { hosting: self }
flows:
  - { from: hospital, to: ehr-ingest, tls: "1.2" }
  - { from: ehr-ingest, to: scribe-co, tls: "1.2" }
`;

const TERMINATED = `
version: 1
vendors:
  old-scribe:
    baa: { status: signed, signed: 2023-01-01, terminated: 2026-03-31 }
  returned-scribe:
    baa: { status: signed, signed: 2023-01-01, terminated: ${AS_OF}, disposition: returned }
  stuck-archive:
    baa: { status: signed, signed: 2023-01-01, terminated: 2026-01-15, disposition: infeasible }
  leaving-soon:
    baa: { status: signed, signed: 2023-01-01, terminated: 2026-12-31 }
  current: { baa: { status: signed } }
stores:
  notes-db: { kind: database, hosting: self, data: [phi] }
flows:
  - { from: notes-db, to: current, tls: "1.2" }
`;

export const table: CheckRow[] = [
  // ---------------------------------------------------------------- vendor-reached
  {
    name: 'pass direct: a flow carries PHI to it, nothing read',
    map: CHAIN,
    target: 'scribe-co',
    check: { function: 'vendor-reached', options: { through: 'direct' } },
    expected: { status: 'pass' },
    reads: [],
  },
  {
    name: 'pass direct: PHI starts there (a covered entity)',
    map: CHAIN,
    target: 'northbay-health',
    check: { function: 'vendor-reached', options: { through: 'direct' } },
    expected: { status: 'pass' },
  },
  {
    name: 'pass direct: a node holding PHI is hosted on it, though a vendor also names it a subprocessor',
    map: CHAIN,
    target: 'gcp',
    check: { function: 'vendor-reached', options: { through: 'direct' } },
    expected: { status: 'pass' },
    reads: [
      { subject: 'northbay-health', field: 'subprocessors', provenance: 'undeclared' },
      { subject: 'scribe-co', field: 'subprocessors', provenance: 'declared', value: ['speech-cloud', 'gcp'] },
      { subject: 'openai', field: 'subprocessors', provenance: 'declared' },
      { subject: 'datadog', field: 'subprocessors', provenance: 'declared' },
      { subject: 'speech-cloud', field: 'subprocessors', provenance: 'undeclared' },
      { subject: 'dd-hosting', field: 'subprocessors', provenance: 'undeclared' },
      { subject: 'gcp', field: 'subprocessors', provenance: 'undeclared' },
      { subject: 'azure', field: 'subprocessors', provenance: 'undeclared' },
      { subject: 'ehr-ingest', field: 'hosting', provenance: 'declared', value: 'self' },
      { subject: 'audio-bucket', field: 'hosting', provenance: 'declared', value: 'gcp/cloud-storage' },
      { subject: 'traces', field: 'hosting', provenance: 'declared', value: 'datadog/apm' },
    ],
  },
  {
    name: 'pass direct: a flow of ours reaches it, though a vendor also names it a subprocessor',
    map: CHAIN,
    target: 'azure',
    check: { function: 'vendor-reached', options: { through: 'direct' } },
    expected: { status: 'pass' },
  },
  {
    name: 'fail direct: asked for subprocessors, but a flow reaches it',
    map: CHAIN,
    target: 'scribe-co',
    check: { function: 'vendor-reached', options: { through: 'subprocessors' } },
    expected: { status: 'fail', reason: 'direct' },
  },
  {
    name: 'pass subprocessors: reached only through two parents, named in map order',
    map: CHAIN,
    target: 'speech-cloud',
    check: { function: 'vendor-reached', options: { through: 'subprocessors' } },
    expected: { status: 'pass', args: { parent: 'scribe-co', parents: 'scribe-co, openai' } },
  },
  {
    name: 'fail subprocessors: asked for direct, but only a parent reaches it',
    map: CHAIN,
    target: 'dd-hosting',
    check: { function: 'vendor-reached', options: { through: 'direct' } },
    expected: { status: 'fail', reason: 'subprocessors', args: { parent: 'datadog', parents: 'datadog' } },
  },
  {
    name: 'pass direct: holds no PHI (a parent that holds none passes none on)',
    map: CHAIN,
    target: 'idle-sub',
    check: { function: 'vendor-reached', options: { through: 'direct' } },
    expected: { status: 'pass' },
    reads: [],
  },
  {
    name: 'not-applicable: a store is not a target it declares',
    map: CHAIN,
    target: 'audio-bucket',
    check: { function: 'vendor-reached', options: { through: 'direct' } },
    expected: { status: 'not-applicable' },
    reads: [],
  },

  // ---------------------------------------------------------------- subcontractor-baa-in-force
  {
    name: 'fail missing: no subcontractor BAA recorded, both parents named',
    map: CHAIN,
    target: 'speech-cloud',
    check: { function: 'subcontractor-baa-in-force' },
    expected: { status: 'fail', reason: 'missing', args: { status: 'undeclared', parent: 'scribe-co', parents: 'scribe-co, openai' } },
  },
  {
    name: 'fail expired: the parent names it, its subcontractor BAA has lapsed',
    map: CHAIN,
    target: 'dd-hosting',
    check: { function: 'subcontractor-baa-in-force' },
    expected: { status: 'fail', reason: 'expired', args: { status: 'signed', expires: '2026-01-01', as_of: AS_OF, parent: 'datadog', parents: 'datadog' } },
    reads: [
      { subject: 'northbay-health', field: 'subprocessors', provenance: 'undeclared' },
      { subject: 'scribe-co', field: 'subprocessors', provenance: 'declared' },
      { subject: 'openai', field: 'subprocessors', provenance: 'declared' },
      { subject: 'datadog', field: 'subprocessors', provenance: 'declared', value: ['dd-hosting'] },
      { subject: 'speech-cloud', field: 'subprocessors', provenance: 'undeclared' },
      { subject: 'dd-hosting', field: 'subprocessors', provenance: 'undeclared' },
      { subject: 'gcp', field: 'subprocessors', provenance: 'undeclared' },
      { subject: 'azure', field: 'subprocessors', provenance: 'undeclared' },
      { subject: 'ehr-ingest', field: 'hosting', provenance: 'declared' },
      { subject: 'audio-bucket', field: 'hosting', provenance: 'declared' },
      { subject: 'traces', field: 'hosting', provenance: 'declared' },
      { subject: 'dd-hosting', field: 'baa.status', provenance: 'declared', value: 'signed' },
      { subject: 'dd-hosting', field: 'baa.terminated', provenance: 'undeclared' },
      { subject: 'dd-hosting', field: 'baa.signed', provenance: 'declared' },
      { subject: 'dd-hosting', field: 'baa.expires', provenance: 'declared', value: '2026-01-01' },
      // A failure is checked against the treatment-provider exception.
      { subject: 'dd-hosting', field: 'role', provenance: 'undeclared' },
    ],
  },
  {
    name: 'pass: the subcontractor BAA is in force, the parent named',
    map: CHAIN,
    target: 'dd-hosting',
    check: { function: 'subcontractor-baa-in-force' },
    options: { asOf: '2025-06-01' },
    expected: { status: 'pass', args: { status: 'signed', parent: 'datadog', parents: 'datadog' } },
  },
  {
    name: 'not-applicable: reached directly (hosting), so the BAA is ours (baa-in-force)',
    map: CHAIN,
    target: 'gcp',
    check: { function: 'subcontractor-baa-in-force' },
    expected: { status: 'not-applicable' },
  },
  {
    name: 'not-applicable: a treatment provider down the chain needs no BAA',
    map: TREATMENT,
    target: 'outside-reader',
    check: { function: 'subcontractor-baa-in-force' },
    expected: { status: 'not-applicable' },
  },
  {
    name: 'not-applicable: a flow is not a target it declares',
    map: CHAIN,
    target: 'ehr-ingest->scribe-co',
    check: { function: 'subcontractor-baa-in-force' },
    expected: { status: 'not-applicable' },
    reads: [],
  },

  // ---------------------------------------------------------------- baa-disposition
  {
    name: 'fail missing: terminated before --as-of, no disposition recorded',
    map: TERMINATED,
    target: 'old-scribe',
    check: { function: 'baa-disposition' },
    expected: { status: 'fail', reason: 'missing', args: { terminated: '2026-03-31', field: 'baa.disposition', value: 'undeclared' } },
    reads: [
      { subject: 'old-scribe', field: 'baa.terminated', provenance: 'declared', value: '2026-03-31' },
      { subject: 'old-scribe', field: 'baa.disposition', provenance: 'undeclared', value: undefined },
    ],
  },
  {
    name: 'pass: returned, terminated on the --as-of date',
    map: TERMINATED,
    target: 'returned-scribe',
    check: { function: 'baa-disposition' },
    expected: { status: 'pass', args: { terminated: AS_OF, disposition: 'returned' } },
  },
  {
    name: 'pass: infeasible (the BAA protections extend to what is kept)',
    map: TERMINATED,
    target: 'stuck-archive',
    check: { function: 'baa-disposition' },
    expected: { status: 'pass', args: { terminated: '2026-01-15', disposition: 'infeasible' } },
  },
  {
    name: 'not-applicable: the termination is still ahead',
    map: TERMINATED,
    target: 'leaving-soon',
    check: { function: 'baa-disposition' },
    expected: { status: 'not-applicable' },
  },
  {
    name: 'fail missing: the same BAA once --as-of passes its termination',
    map: TERMINATED,
    target: 'leaving-soon',
    check: { function: 'baa-disposition' },
    options: { asOf: '2027-01-04' },
    expected: { status: 'fail', reason: 'missing', args: { terminated: '2026-12-31', field: 'baa.disposition', value: 'undeclared' } },
  },
  {
    name: 'not-applicable: never terminated',
    map: TERMINATED,
    target: 'current',
    check: { function: 'baa-disposition' },
    expected: { status: 'not-applicable' },
    reads: [{ subject: 'current', field: 'baa.terminated', provenance: 'undeclared' }],
  },
  {
    name: 'unknown unavailable: the termination date could not be read',
    map: TERMINATED,
    target: 'current',
    check: { function: 'baa-disposition' },
    options: { observations: [{ subject: 'current', field: 'baa.terminated', error: 'contracts-db unreachable', source: 'contracts-db' }] },
    expected: { status: 'unknown', reason: 'unavailable', args: { field: 'baa.terminated', value: 'unavailable', error: 'contracts-db unreachable' } },
  },
  {
    name: 'not-applicable: a store is not a target it declares',
    map: TERMINATED,
    target: 'notes-db',
    check: { function: 'baa-disposition' },
    expected: { status: 'not-applicable' },
    reads: [],
  },
];

const invalid: InvalidOptions[] = [
  { name: 'no `through`', fn: 'vendor-reached', options: {} },
  { name: 'an unknown `through`', fn: 'vendor-reached', options: { through: 'hosting' } },
  { name: 'any option (it takes none)', fn: 'subcontractor-baa-in-force', options: { parent: 'datadog' } },
  { name: 'any option (it takes none)', fn: 'baa-disposition', options: { grace_days: 30 } },
];

describeTable(import.meta.url, 'agreements', table, () => {
  rejectsOptions(CHAIN, 'gcp', invalid);

  it('works out every arrival once per run; later verdicts read only the facts they rest on', () => {
    const map = mapOf(CHAIN);
    const reads: Fact[] = [];
    const { ctx, nodes } = checkContext({ map, phi: propagate(map), facts: createFactStore(map), catalog: catalogOf({}), asOf: AS_OF }, (fact) => {
      reads.push(fact);
    });
    const reached = (id: string) => ctx.check({ function: 'vendor-reached', options: { through: 'subprocessors' } }, nodes.get(id)!);
    expect(reached('dd-hosting')).toMatchObject({ status: 'pass', args: { parent: 'datadog' } });
    expect(reads.length).toBeGreaterThan(5);
    reads.length = 0;
    expect(reached('speech-cloud')).toMatchObject({ status: 'pass', args: { parents: 'scribe-co, openai' } });
    expect(reads.map((f) => `${f.subject}.${f.field}`)).toEqual(['scribe-co.subprocessors', 'openai.subprocessors']);
    reads.length = 0;
    expect(reached('gcp')).toMatchObject({ status: 'fail', reason: 'direct' });
    expect(reads.map((f) => `${f.subject}.${f.field}`)).toEqual(['audio-bucket.hosting']);
  });
});
