/** hosting-eligible, baa-covers-hosting: a node on PROVIDER/SERVICE, against the catalog and the provider's BAA. */
import { expect } from 'vitest';
import { catalogOf } from '../support/checks.js';
import { type CheckRow, describeTable, type InvalidOptions, rejectsOptions } from './tables.js';

const MAP = `
version: 1
vendors:
  aws:
    role: business-associate
    baa: { status: signed, signed: 2025-01-15, services: [s3, rds, ecs] }
  cloud:
    description: a second AWS organization, declared under its own name
    catalog: aws
    baa: { status: signed, services: [postgres] }
  hetzner:
    baa: { status: signed, services: [storage-box] }
  backblaze:
    baa: { status: signed, services: [] }
  azure:
    baa: { status: signed }
  gcp:
    baa: { status: pending }
  sentry:
    baa: { status: signed }
services:
  intake-api: { hosting: aws/ecs, data: [phi] }
  report-runner: { hosting: aws/app-runner }
  on-prem-etl: { hosting: self }
stores:
  scans-bucket: { kind: object-store, hosting: aws/s3 }
  patient-db: { kind: database, hosting: aws/rds-postgres }
  search-index: { kind: database, hosting: aws/opensearch }
  vps-disk: { kind: filesystem, hosting: aws/lightsail }
  replica-db: { kind: database, hosting: cloud/rds }
  offsite-copy: { kind: backup, hosting: hetzner/object-storage }
  cold-archive: { kind: backup, hosting: backblaze/b2 }
  blob-store: { kind: object-store, hosting: azure/blob-storage }
  warehouse: { kind: database, hosting: gcp/bigquery }
  file-share: { kind: filesystem }
logs:
  error-tracker: { kind: error-tracking, hosting: sentry }
flows:
  - { from: intake-api, to: scans-bucket, tls: "1.2" }
`;

const SOURCE = 'https://aws.example/hipaa-eligible-services';
// A cloud catalog written for the test: the bundled lists change as providers add services.
const CLOUD = catalogOf({
  cloud: {
    providers: {
      aws: {
        name: 'Amazon Web Services',
        source: SOURCE,
        checked: '2026-05-01',
        eligible: {
          s3: { name: 'Amazon S3', note: 'Block public access.' },
          rds: { name: 'Amazon RDS', aliases: ['rds-postgres', 'postgres'] },
          ecs: { name: 'Amazon ECS' },
        },
        not_eligible: { 'app-runner': { name: 'AWS App Runner', note: 'Absent from the HIPAA list. ' } },
      },
      azure: { name: 'Microsoft Azure', source: 'https://azure.example/hipaa', checked: '2026-05-01', eligible: {} },
    },
  },
});
const AWS = { provider: 'Amazon Web Services', source: SOURCE, checked: '2026-05-01' };

export const table: CheckRow[] = [
  // ---------------------------------------------------------------- hosting-eligible
  {
    name: 'pass: aws/s3 is HIPAA-eligible (bundled catalog)',
    map: MAP,
    target: 'scans-bucket',
    check: { function: 'hosting-eligible' },
    expected: { status: 'pass', args: expect.objectContaining({ provider: 'Amazon Web Services', service: 's3' }) },
    reads: [
      { subject: 'scans-bucket', field: 'hosting', provenance: 'declared', value: 'aws/s3' },
      { subject: 'aws', field: 'catalog', provenance: 'undeclared' },
      { subject: 'aws/s3', field: 'hipaa-eligible', provenance: 'catalog', value: true },
    ],
  },
  {
    name: 'pass: a catalog alias, aws/rds-postgres (bundled catalog)',
    map: MAP,
    target: 'patient-db',
    check: { function: 'hosting-eligible' },
    expected: { status: 'pass', args: expect.objectContaining({ provider: 'Amazon Web Services', service: 'rds-postgres' }) },
  },
  {
    name: "pass: the vendor's `catalog:` names the provider (cloud is aws; bundled catalog)",
    map: MAP,
    target: 'replica-db',
    check: { function: 'hosting-eligible' },
    expected: { status: 'pass', args: expect.objectContaining({ provider: 'Amazon Web Services', service: 'rds' }) },
    reads: [
      { subject: 'replica-db', field: 'hosting', provenance: 'declared', value: 'cloud/rds' },
      { subject: 'cloud', field: 'catalog', provenance: 'declared', value: 'aws' },
      { subject: 'aws/rds', field: 'hipaa-eligible', provenance: 'catalog', value: true },
    ],
  },
  {
    name: 'pass: exact args, the note without its final period',
    map: MAP,
    target: 'scans-bucket',
    check: { function: 'hosting-eligible' },
    options: { catalog: CLOUD },
    expected: { status: 'pass', args: { ...AWS, service: 's3', note: 'Block public access' } },
  },
  {
    name: 'fail not-eligible: the catalog lists the service as not eligible',
    map: MAP,
    target: 'report-runner',
    check: { function: 'hosting-eligible' },
    options: { catalog: CLOUD },
    expected: { status: 'fail', reason: 'not-eligible', args: { ...AWS, service: 'app-runner', note: 'Absent from the HIPAA list' } },
    reads: [
      { subject: 'report-runner', field: 'hosting', provenance: 'declared', value: 'aws/app-runner' },
      { subject: 'aws', field: 'catalog', provenance: 'undeclared' },
      { subject: 'aws/app-runner', field: 'hipaa-eligible', provenance: 'catalog', value: false },
    ],
  },
  {
    name: 'fail unlisted: the provider is known, the service is on neither list',
    map: MAP,
    target: 'vps-disk',
    check: { function: 'hosting-eligible' },
    options: { catalog: CLOUD },
    expected: { status: 'fail', reason: 'unlisted', args: { ...AWS, service: 'lightsail', note: '' } },
  },
  {
    name: 'fail unlisted: a contradicted hosting is judged by what was observed',
    map: MAP,
    target: 'scans-bucket',
    check: { function: 'hosting-eligible' },
    options: { catalog: CLOUD, observations: [{ subject: 'scans-bucket', field: 'hosting', observed: 'aws/lightsail', source: 'aws:resource-explorer' }] },
    expected: { status: 'fail', reason: 'unlisted', args: { ...AWS, service: 'lightsail', note: '' } },
    reads: [
      { subject: 'scans-bucket', field: 'hosting', provenance: 'contradicted', value: 'aws/lightsail' },
      { subject: 'aws', field: 'catalog', provenance: 'undeclared' },
      { subject: 'aws/lightsail', field: 'hipaa-eligible', provenance: 'catalog', value: false },
    ],
  },
  {
    name: "not-applicable: the provider's list is not filled in (no catalog fact recorded)",
    map: MAP,
    target: 'blob-store',
    check: { function: 'hosting-eligible' },
    options: { catalog: CLOUD },
    expected: { status: 'not-applicable' },
    reads: [
      { subject: 'blob-store', field: 'hosting', provenance: 'declared', value: 'azure/blob-storage' },
      { subject: 'azure', field: 'catalog', provenance: 'undeclared' },
    ],
  },
  {
    name: 'not-applicable: a provider the catalog does not know',
    map: MAP,
    target: 'offsite-copy',
    check: { function: 'hosting-eligible' },
    expected: { status: 'not-applicable' },
  },
  {
    name: 'not-applicable: a SaaS vendor with no service part',
    map: MAP,
    target: 'error-tracker',
    check: { function: 'hosting-eligible' },
    expected: { status: 'not-applicable' },
    reads: [{ subject: 'error-tracker', field: 'hosting', provenance: 'declared', value: 'sentry' }],
  },
  {
    name: 'not-applicable: hosting: self',
    map: MAP,
    target: 'on-prem-etl',
    check: { function: 'hosting-eligible' },
    expected: { status: 'not-applicable' },
  },
  {
    name: 'not-applicable: no hosting',
    map: MAP,
    target: 'file-share',
    check: { function: 'hosting-eligible' },
    expected: { status: 'not-applicable' },
  },
  {
    name: 'unknown unavailable: the hosting could not be read',
    map: MAP,
    target: 'scans-bucket',
    check: { function: 'hosting-eligible' },
    options: { observations: [{ subject: 'scans-bucket', field: 'hosting', error: 'AccessDenied', source: 'aws:resource-explorer' }] },
    expected: { status: 'unknown', reason: 'unavailable', args: { field: 'hosting', value: 'unavailable', error: 'AccessDenied' } },
    reads: [{ subject: 'scans-bucket', field: 'hosting', provenance: 'unavailable' }],
  },
  {
    name: 'not-applicable: a vendor is not a target it declares',
    map: MAP,
    target: 'aws',
    check: { function: 'hosting-eligible' },
    expected: { status: 'not-applicable' },
    reads: [],
  },
  {
    name: 'not-applicable: a flow is not a target it declares',
    map: MAP,
    target: 'intake-api->scans-bucket',
    check: { function: 'hosting-eligible' },
    expected: { status: 'not-applicable' },
    reads: [],
  },

  // ---------------------------------------------------------------- baa-covers-hosting
  {
    name: "pass: the BAA's services list the hosting service",
    map: MAP,
    target: 'scans-bucket',
    check: { function: 'baa-covers-hosting' },
    expected: { status: 'pass', args: { vendor: 'aws', service: 's3' } },
    reads: [
      { subject: 'scans-bucket', field: 'hosting', provenance: 'declared', value: 'aws/s3' },
      { subject: 'aws', field: 'baa.status', provenance: 'declared', value: 'signed' },
      { subject: 'aws', field: 'baa.services', provenance: 'declared', value: ['s3', 'rds', 'ecs'] },
    ],
  },
  {
    name: 'pass: the BAA lists rds, the node is on its alias rds-postgres',
    map: MAP,
    target: 'patient-db',
    check: { function: 'baa-covers-hosting' },
    expected: { status: 'pass', args: { vendor: 'aws', service: 'rds-postgres' } },
    reads: [
      { subject: 'patient-db', field: 'hosting', provenance: 'declared', value: 'aws/rds-postgres' },
      { subject: 'aws', field: 'baa.status', provenance: 'declared', value: 'signed' },
      { subject: 'aws', field: 'baa.services', provenance: 'declared', value: ['s3', 'rds', 'ecs'] },
      { subject: 'aws', field: 'catalog', provenance: 'undeclared' },
    ],
  },
  {
    name: "pass: the BAA lists an alias (postgres) of the node's service, through `catalog:`",
    map: MAP,
    target: 'replica-db',
    check: { function: 'baa-covers-hosting' },
    expected: { status: 'pass', args: { vendor: 'cloud', service: 'rds' } },
  },
  {
    name: 'pass: the aliases of a test catalog',
    map: MAP,
    target: 'patient-db',
    check: { function: 'baa-covers-hosting' },
    options: { catalog: CLOUD },
    expected: { status: 'pass', args: { vendor: 'aws', service: 'rds-postgres' } },
  },
  {
    name: 'fail out-of-scope: aws/opensearch, the BAA lists s3, rds and ecs',
    map: MAP,
    target: 'search-index',
    check: { function: 'baa-covers-hosting' },
    expected: { status: 'fail', reason: 'out-of-scope', args: { vendor: 'aws', service: 'opensearch', scope: 's3, rds, ecs' } },
  },
  {
    name: 'fail out-of-scope: a provider the catalog does not know, so no alias can match',
    map: MAP,
    target: 'offsite-copy',
    check: { function: 'baa-covers-hosting' },
    expected: { status: 'fail', reason: 'out-of-scope', args: { vendor: 'hetzner', service: 'object-storage', scope: 'storage-box' } },
  },
  {
    name: 'fail out-of-scope: an empty services list covers nothing',
    map: MAP,
    target: 'cold-archive',
    check: { function: 'baa-covers-hosting' },
    expected: { status: 'fail', reason: 'out-of-scope', args: { vendor: 'backblaze', service: 'b2', scope: 'nothing' } },
  },
  {
    name: 'fail out-of-scope: a contradicted scope is judged by what was observed',
    map: MAP,
    target: 'patient-db',
    check: { function: 'baa-covers-hosting' },
    options: { observations: [{ subject: 'aws', field: 'baa.services', observed: ['s3'], source: 'aws:artifact' }] },
    expected: { status: 'fail', reason: 'out-of-scope', args: { vendor: 'aws', service: 'rds-postgres', scope: 's3' } },
    reads: [
      { subject: 'patient-db', field: 'hosting', provenance: 'declared', value: 'aws/rds-postgres' },
      { subject: 'aws', field: 'baa.status', provenance: 'declared', value: 'signed' },
      { subject: 'aws', field: 'baa.services', provenance: 'contradicted', value: ['s3'] },
      { subject: 'aws', field: 'catalog', provenance: 'undeclared' },
    ],
  },
  {
    name: 'not-applicable: the BAA names no services (it covers the whole vendor)',
    map: MAP,
    target: 'blob-store',
    check: { function: 'baa-covers-hosting' },
    expected: { status: 'not-applicable' },
  },
  {
    name: 'not-applicable: the BAA is not signed (baa-in-force reports it)',
    map: MAP,
    target: 'warehouse',
    check: { function: 'baa-covers-hosting' },
    expected: { status: 'not-applicable' },
  },
  {
    // Fails closed: an unreadable scope is unknown, not "covers the whole vendor".
    name: 'unknown unavailable: the scope could not be read',
    map: MAP,
    target: 'search-index',
    check: { function: 'baa-covers-hosting' },
    options: { observations: [{ subject: 'aws', field: 'baa.services', error: 'AccessDenied', source: 'aws:artifact' }] },
    expected: { status: 'unknown', reason: 'unavailable', args: { field: 'baa.services', value: 'unavailable', error: 'AccessDenied' } },
    reads: [
      { subject: 'search-index', field: 'hosting', provenance: 'declared' },
      { subject: 'aws', field: 'baa.status', provenance: 'declared' },
      { subject: 'aws', field: 'baa.services', provenance: 'unavailable' },
    ],
  },
  {
    name: 'not-applicable: a SaaS vendor with no service part',
    map: MAP,
    target: 'error-tracker',
    check: { function: 'baa-covers-hosting' },
    expected: { status: 'not-applicable' },
  },
  {
    name: 'not-applicable: hosting: self',
    map: MAP,
    target: 'on-prem-etl',
    check: { function: 'baa-covers-hosting' },
    expected: { status: 'not-applicable' },
  },
  {
    name: 'not-applicable: no hosting',
    map: MAP,
    target: 'file-share',
    check: { function: 'baa-covers-hosting' },
    expected: { status: 'not-applicable' },
    reads: [{ subject: 'file-share', field: 'hosting', provenance: 'undeclared' }],
  },
  {
    name: 'not-applicable: a vendor is not a target it declares',
    map: MAP,
    target: 'aws',
    check: { function: 'baa-covers-hosting' },
    expected: { status: 'not-applicable' },
    reads: [],
  },
  {
    name: 'not-applicable: a flow is not a target it declares',
    map: MAP,
    target: 'intake-api->scans-bucket',
    check: { function: 'baa-covers-hosting' },
    expected: { status: 'not-applicable' },
  },
];

const invalid: InvalidOptions[] = [
  { name: 'any option (it takes none)', fn: 'hosting-eligible', options: { provider: 'aws' } },
  { name: 'any option (it takes none)', fn: 'baa-covers-hosting', options: { services: ['s3'] } },
];

describeTable(import.meta.url, 'hosting', table, () => {
  rejectsOptions(MAP, 'scans-bucket', invalid);
});
