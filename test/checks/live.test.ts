/** live-fact: a fact only a live check can read (no map field holds it), judged only when one did. */
import { type CheckRow, describeTable, rejectsOptions } from './tables.js';

// An AWS-hosted bucket and the AWS vendor, whose account-wide facts a live scan observes.
const MAP = `
version: 1
vendors:
  aws:
    role: business-associate
    baa: { status: signed, signed: 2025-01-15 }
services:
  ingest: { hosting: aws/ecs, data: [phi] }
stores:
  extracts: { kind: object-store, hosting: aws/s3, resource: ehr-extracts }
flows:
  - { from: ingest, to: extracts, tls: "1.3" }
`;

const seen = (subject: string, field: string, observed: unknown) => ({ subject, field, observed, source: 'test: live answer' });

export const table: CheckRow[] = [
  {
    name: 'pass: the observed fact equals `equals`',
    map: MAP,
    target: 'aws',
    check: { function: 'live-fact', options: { field: 'aws.root_mfa', equals: true } },
    options: { observations: [seen('aws', 'aws.root_mfa', true)] },
    expected: { status: 'pass' },
    reads: [{ subject: 'aws', field: 'aws.root_mfa', provenance: 'verified', value: true }],
  },
  {
    name: 'fail value: the observed fact differs, named in the arguments',
    map: MAP,
    target: 'aws',
    check: { function: 'live-fact', options: { field: 'aws.root_mfa', equals: true } },
    options: { observations: [seen('aws', 'aws.root_mfa', false)] },
    expected: { status: 'fail', reason: 'value', args: { field: 'aws.root_mfa', value: 'false', count: 0 } },
  },
  {
    name: 'not applicable without live evidence: the map cannot declare it',
    map: MAP,
    target: 'extracts',
    check: { function: 'live-fact', options: { field: 'aws.tls_required', equals: true } },
    expected: { status: 'not-applicable' },
    reads: [{ subject: 'extracts', field: 'aws.tls_required', provenance: 'undeclared', value: undefined }],
  },
  {
    name: 'unknown unavailable: the live check could not read it',
    map: MAP,
    target: 'extracts',
    check: { function: 'live-fact', options: { field: 'aws.tls_required', equals: true } },
    options: { observations: [{ subject: 'extracts', field: 'aws.tls_required', error: 'AccessDenied on s3:GetBucketPolicy', source: 's3:GetBucketPolicy' }] },
    expected: {
      status: 'unknown',
      reason: 'unavailable',
      args: { field: 'aws.tls_required', value: 'unavailable', error: 'AccessDenied on s3:GetBucketPolicy' },
    },
  },
  {
    name: 'pass: an empty list',
    map: MAP,
    target: 'aws',
    check: { function: 'live-fact', options: { field: 'aws.console_users_without_mfa', empty: true } },
    options: { observations: [seen('aws', 'aws.console_users_without_mfa', [])] },
    expected: { status: 'pass' },
  },
  {
    name: 'fail value: a list that is not empty, with its count',
    map: MAP,
    target: 'aws',
    check: { function: 'live-fact', options: { field: 'aws.console_users_without_mfa', empty: true } },
    options: { observations: [seen('aws', 'aws.console_users_without_mfa', ['prod/bob', 'prod/carol'])] },
    expected: { status: 'fail', reason: 'value', args: { field: 'aws.console_users_without_mfa', value: 'prod/bob, prod/carol', count: 2 } },
  },
  {
    name: 'pass: a number at least `at_least`',
    map: MAP,
    target: 'aws',
    check: { function: 'live-fact', options: { field: 'aws.password_min_length', at_least: 14 } },
    options: { observations: [seen('aws', 'aws.password_min_length', 14)] },
    expected: { status: 'pass' },
  },
  {
    name: 'fail value: a number below `at_least`',
    map: MAP,
    target: 'aws',
    check: { function: 'live-fact', options: { field: 'aws.password_min_length', at_least: 14 } },
    options: { observations: [seen('aws', 'aws.password_min_length', 8)] },
    expected: { status: 'fail', reason: 'value', args: { field: 'aws.password_min_length', value: '8', count: 0 } },
  },
];

describeTable(import.meta.url, 'live', table, () => {
  rejectsOptions(MAP, 'aws', [
    { fn: 'live-fact', name: 'two comparisons', options: { field: 'aws.root_mfa', equals: true, empty: true } },
    { fn: 'live-fact', name: 'no comparison', options: { field: 'aws.root_mfa' } },
    { fn: 'live-fact', name: 'a field that is no live fact', options: { field: 'encryption', equals: true } },
  ]);
});
