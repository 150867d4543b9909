/**
 * hosting-eligible, baa-covers-hosting: a node on PROVIDER/SERVICE (or a flow into a vendor), against the catalog and
 * the vendor's BAA.
 */
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
  slack:
    plan: Enterprise Grid
    baa: { status: signed, signed: 2026-01-10 }
  team-chat:
    catalog: slack
    plan: pro
    baa: { status: signed }
  datadog:
    plan: enterprise
    baa: { status: signed, services: [logs] }
services:
  intake-api: { hosting: aws/ecs, data: [phi] }
  report-runner: { hosting: aws/app-runner }
  on-prem-etl: { hosting: self }
  migration-job: { hosting: aws/dms }
  sftp-drop: { hosting: aws/transfer }
  typo-job: { hosting: aws/dmss }
  legacy-vm: { hosting: aws }
  note-drafter: { hosting: azure/openai }
  vertex-scorer: { hosting: gcp/vertex-ai }
stores:
  scans-bucket: { kind: object-store, hosting: aws/s3 }
  patient-db: { kind: database, hosting: aws/rds-postgres }
  search-index: { kind: database, hosting: aws/opensearch }
  vps-disk: { kind: filesystem, hosting: aws/lightsail }
  replica-db: { kind: database, hosting: cloud/rds }
  offsite-copy: { kind: backup, hosting: hetzner/object-storage }
  box-copy: { kind: backup, hosting: hetzner/storage-box }
  cold-archive: { kind: backup, hosting: backblaze/b2 }
  blob-store: { kind: object-store, hosting: azure/blob-storage }
  warehouse: { kind: database, hosting: gcp/bigquery }
  file-share: { kind: filesystem }
logs:
  error-tracker: { kind: error-tracking, hosting: sentry }
  oncall-alerts: { kind: application, hosting: slack/incoming-webhook }
  care-channel: { kind: application, hosting: slack/messages }
  huddle-notes: { kind: application, hosting: slack/huddles }
  free-channel: { kind: application, hosting: team-chat/messages }
  dd-logs: { kind: application, hosting: datadog/logs }
flows:
  - { from: intake-api, to: scans-bucket, tls: "1.2" }
  - { id: alert-hook, from: intake-api, to: slack, tls: "1.2", purpose: "failed intakes posted to #oncall through an incoming webhook" }
  - { id: care-message, from: intake-api, to: slack, tls: "1.2", purpose: "a nurse's message to the care-team channel" }
  - { id: slack-sync, from: intake-api, to: slack, tls: "1.2" }
  - { id: slack-bot, from: intake-api, to: slack, tls: "1.2", description: "the triage bot posts a message in the channel" }
  - { id: dd-ship, from: intake-api, to: datadog, tls: "1.2", purpose: ship logs }
  - { id: dd-rum, from: intake-api, to: datadog, tls: "1.2", purpose: Log Management and RUM sessions }
  - { id: dd-plain, from: intake-api, to: datadog, tls: "1.2" }
  - { id: gcp-feed, from: intake-api, to: gcp, tls: "1.2", purpose: a webhook }
  - { id: aws-copy, from: intake-api, to: aws, tls: "1.2", purpose: copy to s3 }
`;

const SOURCE = 'https://aws.example/hipaa-eligible-services';
// A cloud catalog written for the test: the bundled lists change as providers add services.
const CLOUD = catalogOf({
  cloud: {
    providers: {
      aws: {
        name: 'Amazon Web Services',
        source: SOURCE,
        as_of: '2026-04-30',
        reviewed: '2026-05-01',
        listed: 4,
        eligible: {
          s3: { name: 'Amazon S3', note: 'Block public access.' },
          rds: { name: 'Amazon RDS', aliases: ['rds-postgres', 'postgres'] },
          ecs: { name: 'Amazon ECS' },
        },
        ineligible: {
          'app-runner': { name: 'AWS App Runner', note: 'Absent from the HIPAA list. ', source: 'https://roadmap.example/260', as_of: '2026-02-17' },
          lightsail: { name: 'Amazon Lightsail' },
        },
      },
      azure: { name: 'Microsoft Azure', source: 'https://azure.example/hipaa', as_of: 'undated', reviewed: '2026-05-01', eligible: {} },
    },
  },
});
const AWS = { provider: 'Amazon Web Services', provider_id: 'aws', source: SOURCE, as_of: '2026-04-30', dated: 'as of 2026-04-30', reviewed: '2026-05-01' };

// A vendor catalog for exact args: a chat vendor whose BAA, on one plan, covers messages and not webhooks.
const CHAT = catalogOf({
  vendors: {
    vendors: {
      slack: {
        name: 'Chat',
        category: 'collaboration',
        baa: 'plan-dependent',
        source: 'https://chat.example/hipaa',
        as_of: '2026-03-01',
        reviewed: '2026-05-01',
        plans: {
          'enterprise-grid': {
            name: 'Enterprise Grid',
            baa: 'available',
            services: {
              covered: { messages: { name: 'Messages', aliases: ['message'] } },
              excluded: {
                webhooks: { name: 'Incoming webhooks', aliases: ['incoming-webhook', 'webhook'], note: 'Apps are outside the BAA.' },
                workflows: { name: 'Workflows' },
              },
            },
          },
          pro: { name: 'Pro', baa: 'not-offered' },
        },
      },
    },
  },
});
const CHAT_TERMS = {
  terms: 'its BAA on Enterprise Grid',
  covered: 'Messages',
  source: 'https://chat.example/hipaa',
  as_of: '2026-03-01',
  dated: 'as of 2026-03-01',
};
const ON = { holds: 'holds', on: 'on' };
const TO = { holds: 'sends', on: 'to' };

export const table: CheckRow[] = [
  // ---------------------------------------------------------------- hosting-eligible
  {
    name: 'pass: aws/s3 is HIPAA-eligible (bundled catalog)',
    map: MAP,
    target: 'scans-bucket',
    check: { function: 'hosting-eligible' },
    expected: {
      status: 'pass',
      args: expect.objectContaining({ provider: 'Amazon Web Services', service: 's3', as_of: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) }),
    },
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
    name: 'pass: aws/dms, once missing from the catalog, is on the AWS list (bundled catalog)',
    map: MAP,
    target: 'migration-job',
    check: { function: 'hosting-eligible' },
    expected: { status: 'pass', args: expect.objectContaining({ service: 'dms', service_name: 'AWS Database Migration Service (DMS)' }) },
  },
  {
    name: 'pass: aws/transfer, the API name of Transfer Family (bundled catalog)',
    map: MAP,
    target: 'sftp-drop',
    check: { function: 'hosting-eligible' },
    expected: { status: 'pass', args: expect.objectContaining({ service: 'transfer', service_name: 'AWS Transfer Family' }) },
  },
  {
    name: 'pass: azure/openai (bundled catalog, an entry with its own source)',
    map: MAP,
    target: 'note-drafter',
    check: { function: 'hosting-eligible' },
    expected: {
      status: 'pass',
      args: expect.objectContaining({
        provider: 'Microsoft Azure',
        service: 'openai',
        source: expect.stringContaining('learn.microsoft.com'),
        as_of: '2025-05-12',
      }),
    },
  },
  {
    name: 'pass: gcp/vertex-ai, the old name of the agent platform (bundled catalog)',
    map: MAP,
    target: 'vertex-scorer',
    check: { function: 'hosting-eligible' },
    expected: { status: 'pass', args: expect.objectContaining({ provider: 'Google Cloud', service_name: 'Gemini Enterprise Agent Platform' }) },
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
    expected: { status: 'pass', args: { ...AWS, service: 's3', service_name: 'Amazon S3', note: 'Block public access' } },
  },
  {
    name: "fail not-eligible: the catalog lists the service as not eligible, with the entry's own source",
    map: MAP,
    target: 'report-runner',
    check: { function: 'hosting-eligible' },
    options: { catalog: CLOUD },
    expected: {
      status: 'fail',
      reason: 'not-eligible',
      args: {
        ...AWS,
        source: 'https://roadmap.example/260',
        as_of: '2026-02-17',
        dated: 'as of 2026-02-17',
        service: 'app-runner',
        service_name: 'AWS App Runner',
        note: 'Absent from the HIPAA list',
      },
    },
    reads: [
      { subject: 'report-runner', field: 'hosting', provenance: 'declared', value: 'aws/app-runner' },
      { subject: 'aws', field: 'catalog', provenance: 'undeclared' },
      { subject: 'aws/app-runner', field: 'hipaa-eligible', provenance: 'catalog', value: false },
    ],
  },
  {
    name: 'fail not-eligible: an entry with no note says the catalog lists it as not eligible',
    map: MAP,
    target: 'vps-disk',
    check: { function: 'hosting-eligible' },
    options: { catalog: CLOUD },
    expected: {
      status: 'fail',
      reason: 'not-eligible',
      args: { ...AWS, service: 'lightsail', service_name: 'Amazon Lightsail', note: 'the catalog lists it as not eligible' },
    },
  },
  {
    name: 'fail not-eligible: AWS App Runner (bundled catalog)',
    map: MAP,
    target: 'report-runner',
    check: { function: 'hosting-eligible' },
    expected: {
      status: 'fail',
      reason: 'not-eligible',
      args: expect.objectContaining({ service: 'app-runner', source: expect.stringContaining('apprunner-roadmap') }),
    },
  },
  {
    name: 'unknown unlisted: a service the catalog does not know is unknown, never "not eligible", with a did-you-mean',
    map: MAP,
    target: 'typo-job',
    check: { function: 'hosting-eligible' },
    expected: {
      status: 'unknown',
      reason: 'unlisted',
      args: expect.objectContaining({ service: 'dmss', lookup: 'did you mean "aws/dms"?', coverage: 'its copy of the list' }),
    },
    reads: [
      { subject: 'typo-job', field: 'hosting', provenance: 'declared', value: 'aws/dmss' },
      { subject: 'aws', field: 'catalog', provenance: 'undeclared' },
      { subject: 'aws/dmss', field: 'hipaa-eligible', provenance: 'catalog', value: undefined },
    ],
  },
  {
    name: 'unknown unlisted: aws/lightsail is on neither list of the bundled catalog',
    map: MAP,
    target: 'vps-disk',
    check: { function: 'hosting-eligible' },
    expected: {
      status: 'unknown',
      reason: 'unlisted',
      args: expect.objectContaining({ service: 'lightsail', lookup: 'no service the catalog knows has a similar name' }),
    },
  },
  {
    name: 'unknown unlisted: exact args, a partial list (fewer entries than the provider lists)',
    map: MAP,
    target: 'search-index',
    check: { function: 'hosting-eligible' },
    options: { catalog: CLOUD },
    expected: {
      status: 'unknown',
      reason: 'unlisted',
      args: {
        ...AWS,
        service: 'opensearch',
        service_name: 'opensearch',
        note: '',
        lookup: 'no service the catalog knows has a similar name',
        coverage: 'a partial copy of the list',
      },
    },
  },
  {
    name: "unknown unlisted: azure/blob-storage, off Azure's partial list (bundled catalog)",
    map: MAP,
    target: 'blob-store',
    check: { function: 'hosting-eligible' },
    expected: { status: 'unknown', reason: 'unlisted', args: expect.objectContaining({ provider: 'Microsoft Azure', coverage: 'a partial copy of the list' }) },
  },
  {
    name: "unknown unlisted: a provider whose list is empty (the catalog's fact is recorded)",
    map: MAP,
    target: 'blob-store',
    check: { function: 'hosting-eligible' },
    options: { catalog: CLOUD },
    expected: { status: 'unknown', reason: 'unlisted', args: expect.objectContaining({ provider: 'Microsoft Azure', as_of: 'undated', dated: 'undated' }) },
    reads: [
      { subject: 'blob-store', field: 'hosting', provenance: 'declared', value: 'azure/blob-storage' },
      { subject: 'azure', field: 'catalog', provenance: 'undeclared' },
      { subject: 'azure/blob-storage', field: 'hipaa-eligible', provenance: 'catalog', value: undefined },
    ],
  },
  {
    name: 'unknown no-service: hosting names a cloud provider and no service (eligibility is not skipped)',
    map: MAP,
    target: 'legacy-vm',
    check: { function: 'hosting-eligible' },
    options: { catalog: CLOUD },
    expected: { status: 'unknown', reason: 'no-service', args: { ...AWS, hosting: 'aws' } },
    reads: [
      { subject: 'legacy-vm', field: 'hosting', provenance: 'declared', value: 'aws' },
      { subject: 'aws', field: 'catalog', provenance: 'undeclared' },
      { subject: 'aws/', field: 'hipaa-eligible', provenance: 'catalog', value: undefined },
    ],
  },
  {
    name: 'unknown no-list: a provider the catalog has no list for, the service not in its BAA either',
    map: MAP,
    target: 'offsite-copy',
    check: { function: 'hosting-eligible' },
    expected: { status: 'unknown', reason: 'no-list', args: { provider: 'hetzner', service: 'object-storage' } },
    reads: [
      { subject: 'offsite-copy', field: 'hosting', provenance: 'declared', value: 'hetzner/object-storage' },
      { subject: 'hetzner', field: 'catalog', provenance: 'undeclared' },
      { subject: 'hetzner', field: 'baa.status', provenance: 'declared', value: 'signed' },
      { subject: 'hetzner', field: 'baa.services', provenance: 'declared', value: ['storage-box'] },
    ],
  },
  {
    name: 'unknown no-list: an empty BAA service list names nothing',
    map: MAP,
    target: 'cold-archive',
    check: { function: 'hosting-eligible' },
    expected: { status: 'unknown', reason: 'no-list', args: { provider: 'backblaze', service: 'b2' } },
  },
  {
    name: "pass: no list for the provider, but the signed BAA's own services name the service",
    map: MAP,
    target: 'box-copy',
    check: { function: 'hosting-eligible' },
    expected: { status: 'pass', args: { provider: 'hetzner', service: 'storage-box', source: "hetzner's BAA (baa.services)" } },
  },
  {
    name: 'not-applicable: a SaaS vendor the vendor catalog knows (the vendor rules judge it)',
    map: MAP,
    target: 'oncall-alerts',
    check: { function: 'hosting-eligible' },
    expected: { status: 'not-applicable' },
  },
  {
    name: 'not-applicable: a SaaS vendor with no service part',
    map: MAP,
    target: 'error-tracker',
    check: { function: 'hosting-eligible' },
    expected: { status: 'not-applicable' },
    reads: [
      { subject: 'error-tracker', field: 'hosting', provenance: 'declared', value: 'sentry' },
      { subject: 'sentry', field: 'catalog', provenance: 'undeclared' },
    ],
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

  // ---------------------------------------------------------------- baa-covers-hosting: the map's baa.services
  {
    name: "pass: the BAA's services list the hosting service",
    map: MAP,
    target: 'scans-bucket',
    check: { function: 'baa-covers-hosting' },
    expected: { status: 'pass', args: { vendor: 'aws', service: 's3', ...ON } },
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
    expected: { status: 'pass', args: { vendor: 'aws', service: 'rds-postgres', ...ON } },
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
    expected: { status: 'pass', args: { vendor: 'cloud', service: 'rds', ...ON } },
  },
  {
    name: 'pass: the aliases of a test catalog',
    map: MAP,
    target: 'patient-db',
    check: { function: 'baa-covers-hosting' },
    options: { catalog: CLOUD },
    expected: { status: 'pass', args: { vendor: 'aws', service: 'rds-postgres', ...ON } },
  },
  {
    name: 'fail out-of-scope: aws/opensearch, the BAA lists s3, rds and ecs',
    map: MAP,
    target: 'search-index',
    check: { function: 'baa-covers-hosting' },
    expected: { status: 'fail', reason: 'out-of-scope', args: { vendor: 'aws', service: 'opensearch', scope: 's3, rds, ecs', ...ON } },
  },
  {
    name: 'fail out-of-scope: a provider the catalog does not know, so no alias can match',
    map: MAP,
    target: 'offsite-copy',
    check: { function: 'baa-covers-hosting' },
    expected: { status: 'fail', reason: 'out-of-scope', args: { vendor: 'hetzner', service: 'object-storage', scope: 'storage-box', ...ON } },
  },
  {
    name: 'fail out-of-scope: an empty services list covers nothing',
    map: MAP,
    target: 'cold-archive',
    check: { function: 'baa-covers-hosting' },
    expected: { status: 'fail', reason: 'out-of-scope', args: { vendor: 'backblaze', service: 'b2', scope: 'nothing', ...ON } },
  },
  {
    name: 'fail out-of-scope: a contradicted scope is judged by what was observed',
    map: MAP,
    target: 'patient-db',
    check: { function: 'baa-covers-hosting' },
    options: { observations: [{ subject: 'aws', field: 'baa.services', observed: ['s3'], source: 'aws:artifact' }] },
    expected: { status: 'fail', reason: 'out-of-scope', args: { vendor: 'aws', service: 'rds-postgres', scope: 's3', ...ON } },
    reads: [
      { subject: 'patient-db', field: 'hosting', provenance: 'declared', value: 'aws/rds-postgres' },
      { subject: 'aws', field: 'baa.status', provenance: 'declared', value: 'signed' },
      { subject: 'aws', field: 'baa.services', provenance: 'contradicted', value: ['s3'] },
      { subject: 'aws', field: 'catalog', provenance: 'undeclared' },
    ],
  },
  {
    name: 'not-applicable: the BAA names no services and the catalog does not narrow the vendor',
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
      { subject: 'aws', field: 'catalog', provenance: 'undeclared' },
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

  // ---------------------------------------------------------------- baa-covers-hosting: what the catalog says the BAA covers
  {
    name: 'fail not-covered: Slack Enterprise Grid, a log on an incoming webhook (bundled catalog, plan by its published name)',
    map: MAP,
    target: 'oncall-alerts',
    check: { function: 'baa-covers-hosting' },
    expected: {
      status: 'fail',
      reason: 'not-covered',
      args: expect.objectContaining({
        vendor: 'slack',
        service: 'incoming-webhook',
        service_name: 'Incoming webhooks',
        terms: 'its BAA on Enterprise Grid',
        covered: 'Messages, File uploads',
      }),
    },
    reads: [
      { subject: 'oncall-alerts', field: 'hosting', provenance: 'declared', value: 'slack/incoming-webhook' },
      { subject: 'slack', field: 'baa.status', provenance: 'declared', value: 'signed' },
      { subject: 'slack', field: 'baa.services', provenance: 'undeclared' },
      { subject: 'slack', field: 'catalog', provenance: 'undeclared' },
      { subject: 'slack', field: 'vendor-catalog', provenance: 'catalog', value: { baa: 'plan-dependent', category: 'collaboration' } },
      { subject: 'slack', field: 'plan', provenance: 'declared', value: 'Enterprise Grid' },
    ],
  },
  {
    name: 'fail not-covered: exact args, with the excluded entry note as a clause',
    map: MAP,
    target: 'oncall-alerts',
    check: { function: 'baa-covers-hosting' },
    options: { catalog: CHAT },
    expected: {
      status: 'fail',
      reason: 'not-covered',
      args: { vendor: 'slack', service: 'incoming-webhook', ...ON, ...CHAT_TERMS, service_name: 'Incoming webhooks', note: '; Apps are outside the BAA' },
    },
  },
  {
    name: 'pass: Slack Enterprise Grid covers messages',
    map: MAP,
    target: 'care-channel',
    check: { function: 'baa-covers-hosting' },
    options: { catalog: CHAT },
    expected: { status: 'pass', args: { vendor: 'slack', service: 'messages', ...ON, ...CHAT_TERMS } },
  },
  {
    name: 'unknown unknown-service: a Slack feature the catalog does not list, with a did-you-mean when one is close',
    map: MAP,
    target: 'huddle-notes',
    check: { function: 'baa-covers-hosting' },
    options: { catalog: CHAT },
    expected: {
      status: 'unknown',
      reason: 'unknown-service',
      args: { vendor: 'slack', service: 'huddles', ...ON, ...CHAT_TERMS, lookup: 'no service the catalog knows has a similar name' },
    },
  },
  {
    name: 'not-applicable: a plan with no BAA has no coverage list (vendor-baa-availability reports the plan)',
    map: MAP,
    target: 'free-channel',
    check: { function: 'baa-covers-hosting' },
    options: { catalog: CHAT },
    expected: { status: 'not-applicable' },
  },
  {
    name: "pass: Datadog logs, in the map's own scope (the map wins over the catalog)",
    map: MAP,
    target: 'dd-logs',
    check: { function: 'baa-covers-hosting' },
    expected: { status: 'pass', args: { vendor: 'datadog', service: 'logs', ...ON } },
  },

  // ---------------------------------------------------------------- baa-covers-hosting: a flow straight into a vendor
  {
    name: 'fail not-covered: a flow into Slack labelled as an incoming webhook (bundled catalog)',
    map: MAP,
    target: 'alert-hook',
    check: { function: 'baa-covers-hosting' },
    expected: {
      status: 'fail',
      reason: 'not-covered',
      args: expect.objectContaining({ vendor: 'slack', service: 'webhooks', service_name: 'Incoming webhooks', holds: 'sends', on: 'to' }),
    },
    reads: [
      { subject: 'slack', field: 'baa.status', provenance: 'declared', value: 'signed' },
      { subject: 'slack', field: 'baa.services', provenance: 'undeclared' },
      { subject: 'slack', field: 'catalog', provenance: 'undeclared' },
      { subject: 'slack', field: 'vendor-catalog', provenance: 'catalog' },
      { subject: 'slack', field: 'plan', provenance: 'declared', value: 'Enterprise Grid' },
      { subject: 'alert-hook', field: 'purpose', provenance: 'declared' },
      { subject: 'alert-hook', field: 'description', provenance: 'undeclared' },
    ],
  },
  {
    name: 'fail not-covered: a bot that posts a message is an app (an excluded name wins over a covered one)',
    map: MAP,
    target: 'slack-bot',
    check: { function: 'baa-covers-hosting' },
    expected: { status: 'fail', reason: 'not-covered', args: expect.objectContaining({ service: 'apps' }) },
  },
  {
    name: 'pass: a flow that names a message',
    map: MAP,
    target: 'care-message',
    check: { function: 'baa-covers-hosting' },
    options: { catalog: CHAT },
    expected: { status: 'pass', args: { vendor: 'slack', service: 'messages', ...TO, ...CHAT_TERMS } },
  },
  {
    name: 'unknown service-unnamed: a flow into Slack that names no service',
    map: MAP,
    target: 'slack-sync',
    check: { function: 'baa-covers-hosting' },
    options: { catalog: CHAT },
    expected: { status: 'unknown', reason: 'service-unnamed', args: { vendor: 'slack', ...TO, ...CHAT_TERMS } },
  },
  {
    name: "pass: a flow that names a service in the map's own scope",
    map: MAP,
    target: 'dd-ship',
    check: { function: 'baa-covers-hosting' },
    expected: { status: 'pass', args: { vendor: 'datadog', service: 'logs', ...TO } },
  },
  {
    name: "pass: a flow into AWS that names s3, in the map's own scope",
    map: MAP,
    target: 'aws-copy',
    check: { function: 'baa-covers-hosting' },
    expected: { status: 'pass', args: { vendor: 'aws', service: 's3', ...TO } },
  },
  {
    name: "fail out-of-scope: a flow that names a service the catalog knows, outside the map's scope",
    map: MAP,
    target: 'dd-rum',
    check: { function: 'baa-covers-hosting' },
    options: {
      catalog: catalogOf({
        vendors: {
          vendors: {
            datadog: {
              name: 'Datadog',
              category: 'observability',
              baa: 'available',
              source: 'https://dd.example',
              as_of: 'undated',
              reviewed: '2026-05-01',
              services: { covered: { logs: { name: 'Log Management', aliases: ['log-management'] } }, excluded: { rum: { name: 'RUM' } } },
            },
          },
        },
      }),
    },
    expected: { status: 'fail', reason: 'out-of-scope', args: { vendor: 'datadog', service: 'rum', scope: 'logs', ...TO } },
  },
  {
    name: "not-applicable: a flow that names nothing, into a vendor the map's BAA scopes",
    map: MAP,
    target: 'dd-plain',
    check: { function: 'baa-covers-hosting' },
    expected: { status: 'not-applicable' },
  },
  {
    name: 'not-applicable: a flow into a vendor whose BAA is not signed',
    map: MAP,
    target: 'gcp-feed',
    check: { function: 'baa-covers-hosting' },
    expected: { status: 'not-applicable' },
  },
  {
    name: 'not-applicable: a flow into a node that is not a vendor',
    map: MAP,
    target: 'intake-api->scans-bucket',
    check: { function: 'baa-covers-hosting' },
    expected: { status: 'not-applicable' },
    reads: [],
  },
];

const invalid: InvalidOptions[] = [
  { name: 'any option (it takes none)', fn: 'hosting-eligible', options: { provider: 'aws' } },
  { name: 'any option (it takes none)', fn: 'baa-covers-hosting', options: { services: ['s3'] } },
];

describeTable(import.meta.url, 'hosting', table, () => {
  rejectsOptions(MAP, 'scans-bucket', invalid);
});
