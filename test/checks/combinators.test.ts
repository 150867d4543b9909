/** any-of, all-of, referenced-node: checks made of checks, run through the context as the evaluator runs them. */
import { expect, it } from 'vitest';
import { ZodError } from 'zod';
import { runOn } from '../support/checks.js';
import { type CheckRow, describeTable, type InvalidOptions, rejectsOptions } from './tables.js';

const MAP = `
version: 1
vendors:
  aws:
    role: business-associate
    baa: { status: signed, signed: 2025-01-15 }
services:
  ehr-ingest:
    hosting: aws/ecs
    data: [phi]
    audit_log: audit-trail
    access: { rbac: true }
  scheduler:
    hosting: self
    audit_log: app-logs
stores:
  patient-db:
    kind: database
    hosting: aws/rds
    point_in_time_recovery: true
    encryption: { at_rest: aes-256, key: customer-managed }
    backup: db-snapshots
    audit_log: audit-trail
  db-snapshots:
    kind: backup
    hosting: aws/backup
    encryption: { at_rest: aes-128 }
  exports-bucket:
    kind: object-store
    hosting: aws/s3
    versioning: false
  clinic-laptop:
    kind: device
    managed: true
    encryption: { at_rest: aes-256 }
  lost-laptop:
    kind: device
    managed: false
    encryption: { at_rest: aes-256 }
logs:
  audit-trail: { kind: audit, retention_days: 2555 }
  app-logs: { kind: application }
flows:
  - { from: ehr-ingest, to: patient-db, tls: "1.2" }
  - { from: ehr-ingest, to: exports-bucket }
`;

const eq = (field: string, value: string | number | boolean, missing?: 'fail' | 'unknown' | 'pass') => ({
  function: 'field-equals',
  options: { field, value, ...(missing ? { missing } : {}) },
});
// integrity-protection, as rules/integrity-protection.yaml writes it.
const INTEGRITY = [eq('versioning', true), eq('object_lock', true), eq('point_in_time_recovery', true)];
const AES = { function: 'field-in', options: { field: 'encryption.at_rest', values: ['aes-128', 'aes-192', 'aes-256'] } };
// A check that does not apply to stores: the defineCheck guard makes it not-applicable there.
const VENDOR_ONLY = { function: 'baa-in-force' };

export const table: CheckRow[] = [
  // ---------------------------------------------------------------- any-of
  {
    name: 'pass: a later check passes (integrity-protection by point-in-time recovery)',
    map: MAP,
    target: 'patient-db',
    check: { function: 'any-of', options: { checks: INTEGRITY } },
    expected: { status: 'pass' },
    reads: [
      { subject: 'patient-db', field: 'versioning', provenance: 'undeclared' },
      { subject: 'patient-db', field: 'object_lock', provenance: 'undeclared' },
      { subject: 'patient-db', field: 'point_in_time_recovery', provenance: 'declared', value: true },
    ],
  },
  {
    name: 'pass: stops at the first pass, reading nothing after it',
    map: MAP,
    target: 'patient-db',
    check: { function: 'any-of', options: { checks: [eq('point_in_time_recovery', true), eq('versioning', true)] } },
    expected: { status: 'pass' },
    reads: [{ subject: 'patient-db', field: 'point_in_time_recovery', provenance: 'declared', value: true }],
  },
  {
    name: 'pass: the passing result is returned as is, with its args',
    map: MAP,
    target: 'ehr-ingest',
    check: { function: 'any-of', options: { checks: [eq('access.mfa', true), { function: 'field-present', options: { field: 'audit_log' } }] } },
    expected: { status: 'pass', args: { field: 'audit_log', value: 'audit-trail' } },
  },
  {
    name: 'fail: none passes, the first failure is reported (versioning: false)',
    map: MAP,
    target: 'exports-bucket',
    check: { function: 'any-of', options: { checks: INTEGRITY } },
    expected: { status: 'fail', reason: 'value', args: { field: 'versioning', value: 'false', expected: 'true' } },
  },
  {
    name: 'fail: the first failure, even when it is a missing field',
    map: MAP,
    target: 'exports-bucket',
    check: { function: 'any-of', options: { checks: [eq('object_lock', true), eq('versioning', true)] } },
    expected: { status: 'fail', reason: 'missing', args: { field: 'object_lock', value: 'undeclared', expected: 'true' } },
  },
  {
    name: 'unknown: an unknown outranks an earlier failure',
    map: MAP,
    target: 'exports-bucket',
    check: { function: 'any-of', options: { checks: [eq('versioning', true), eq('object_lock', true, 'unknown')] } },
    expected: { status: 'unknown', reason: 'missing', args: { field: 'object_lock', value: 'undeclared', expected: 'true' } },
  },
  {
    name: 'unknown: a nested check on an unavailable fact',
    map: MAP,
    target: 'exports-bucket',
    check: { function: 'any-of', options: { checks: [eq('versioning', true), eq('object_lock', true)] } },
    options: { observations: [{ subject: 'exports-bucket', field: 'object_lock', error: 'AccessDenied', source: 'aws:s3:GetObjectLockConfiguration' }] },
    expected: { status: 'unknown', reason: 'unavailable' },
    reads: [
      { subject: 'exports-bucket', field: 'versioning', provenance: 'declared', value: false },
      { subject: 'exports-bucket', field: 'object_lock', provenance: 'unavailable' },
    ],
  },
  {
    name: 'pass: a contradicted nested fact is judged by what was observed',
    map: MAP,
    target: 'exports-bucket',
    check: { function: 'any-of', options: { checks: INTEGRITY } },
    options: { observations: [{ subject: 'exports-bucket', field: 'versioning', observed: true, source: 'aws:s3:GetBucketVersioning' }] },
    expected: { status: 'pass' },
    reads: [{ subject: 'exports-bucket', field: 'versioning', provenance: 'contradicted', value: true }],
  },
  {
    name: 'fail: a nested check that does not apply is passed over, whatever its place',
    map: MAP,
    target: 'exports-bucket',
    check: { function: 'any-of', options: { checks: [eq('versioning', true), VENDOR_ONLY, eq('object_lock', true)] } },
    expected: { status: 'fail', reason: 'value', args: { field: 'versioning', value: 'false', expected: 'true' } },
  },
  {
    name: 'not-applicable: no nested check applies',
    map: MAP,
    target: 'exports-bucket',
    check: { function: 'any-of', options: { checks: [VENDOR_ONLY, VENDOR_ONLY] } },
    expected: { status: 'not-applicable' },
  },
  {
    name: 'pass: nested combinators (any-of inside any-of)',
    map: MAP,
    target: 'patient-db',
    check: { function: 'any-of', options: { checks: [eq('versioning', true), { function: 'any-of', options: { checks: INTEGRITY } }] } },
    expected: { status: 'pass' },
  },
  {
    name: 'fail: on a flow',
    map: MAP,
    target: 'ehr-ingest->exports-bucket',
    check: { function: 'any-of', options: { checks: [{ function: 'field-in', options: { field: 'tls', values: ['1.2', '1.3'] } }] } },
    expected: { status: 'fail', reason: 'missing', args: { field: 'tls', value: 'undeclared', expected: '1.2 or 1.3' } },
  },

  // ---------------------------------------------------------------- all-of
  {
    name: 'pass: every check passes (device-media-controls)',
    map: MAP,
    target: 'clinic-laptop',
    check: { function: 'all-of', options: { checks: [eq('managed', true), AES] } },
    expected: { status: 'pass' },
    reads: [
      { subject: 'clinic-laptop', field: 'managed', provenance: 'declared', value: true },
      { subject: 'clinic-laptop', field: 'encryption.at_rest', provenance: 'declared', value: 'aes-256' },
    ],
  },
  {
    name: 'pass: the first passing result is returned, with its args',
    map: MAP,
    target: 'patient-db',
    check: { function: 'all-of', options: { checks: [{ function: 'field-present', options: { field: 'backup' } }, AES] } },
    expected: { status: 'pass', args: { field: 'backup', value: 'db-snapshots' } },
  },
  {
    name: 'fail: the first failure, and nothing after it is read',
    map: MAP,
    target: 'lost-laptop',
    check: { function: 'all-of', options: { checks: [eq('managed', true), AES] } },
    expected: { status: 'fail', reason: 'value', args: { field: 'managed', value: 'false', expected: 'true' } },
    reads: [{ subject: 'lost-laptop', field: 'managed', provenance: 'declared', value: false }],
  },
  {
    name: 'fail: a failure outranks an earlier unknown',
    map: MAP,
    target: 'lost-laptop',
    check: { function: 'all-of', options: { checks: [eq('access.rbac', true, 'unknown'), eq('managed', true)] } },
    expected: { status: 'fail', reason: 'value', args: { field: 'managed', value: 'false', expected: 'true' } },
  },
  {
    name: 'unknown: no failure, one unknown',
    map: MAP,
    target: 'clinic-laptop',
    check: { function: 'all-of', options: { checks: [eq('managed', true), eq('access.rbac', true, 'unknown'), AES] } },
    expected: { status: 'unknown', reason: 'missing', args: { field: 'access.rbac', value: 'undeclared', expected: 'true' } },
  },
  {
    name: 'unknown: an unavailable fact in a nested check',
    map: MAP,
    target: 'clinic-laptop',
    check: { function: 'all-of', options: { checks: [eq('managed', true), AES] } },
    options: { observations: [{ subject: 'clinic-laptop', field: 'managed', error: 'device not enrolled in MDM', source: 'intune' }] },
    expected: { status: 'unknown', reason: 'unavailable' },
    reads: [
      { subject: 'clinic-laptop', field: 'managed', provenance: 'unavailable' },
      { subject: 'clinic-laptop', field: 'encryption.at_rest', provenance: 'declared', value: 'aes-256' },
    ],
  },
  {
    name: 'fail: a contradicted nested fact is judged by what was observed',
    map: MAP,
    target: 'clinic-laptop',
    check: { function: 'all-of', options: { checks: [eq('managed', true), AES] } },
    options: { observations: [{ subject: 'clinic-laptop', field: 'encryption.at_rest', observed: 'none', source: 'intune' }] },
    expected: { status: 'fail', reason: 'value', args: { field: 'encryption.at_rest', value: 'none', expected: 'aes-128 or aes-192 or aes-256' } },
  },
  {
    name: 'not-applicable: every nested check is not applicable',
    map: MAP,
    target: 'patient-db',
    check: { function: 'all-of', options: { checks: [VENDOR_ONLY, { function: 'baa-not-required-claim' }] } },
    expected: { status: 'not-applicable' },
  },
  {
    name: 'pass: a not-applicable check before a pass',
    map: MAP,
    target: 'patient-db',
    check: { function: 'all-of', options: { checks: [VENDOR_ONLY, AES] } },
    expected: { status: 'pass' },
  },
  {
    name: 'pass: a not-applicable check after a pass (order does not matter)',
    map: MAP,
    target: 'patient-db',
    check: { function: 'all-of', options: { checks: [AES, VENDOR_ONLY] } },
    expected: { status: 'pass' },
  },
  {
    name: 'fail: nested combinators (any-of inside all-of)',
    map: MAP,
    target: 'exports-bucket',
    check: { function: 'all-of', options: { checks: [{ function: 'any-of', options: { checks: INTEGRITY } }, AES] } },
    expected: { status: 'fail', reason: 'value', args: { field: 'versioning', value: 'false', expected: 'true' } },
  },

  // ---------------------------------------------------------------- referenced-node
  {
    name: 'pass: the named audit log is kind audit (audit-log-kind)',
    map: MAP,
    target: 'ehr-ingest',
    check: { function: 'referenced-node', options: { field: 'audit_log', check: eq('kind', 'audit') } },
    expected: { status: 'pass', args: { ref: 'audit-trail', ref_field: '' } },
    reads: [
      { subject: 'ehr-ingest', field: 'audit_log', provenance: 'declared', value: 'audit-trail' },
      { subject: 'audit-trail', field: 'kind', provenance: 'declared', value: 'audit' },
    ],
  },
  {
    name: 'fail: the named audit log is an application log; args name the reference',
    map: MAP,
    target: 'scheduler',
    check: { function: 'referenced-node', options: { field: 'audit_log', check: eq('kind', 'audit') } },
    expected: {
      status: 'fail',
      reason: 'value',
      args: { field: 'kind', value: 'application', expected: 'audit', ref: 'app-logs', ref_field: 'kind' },
    },
  },
  {
    name: 'pass: through `backup`, on a store',
    map: MAP,
    target: 'patient-db',
    check: { function: 'referenced-node', options: { field: 'backup', check: AES } },
    expected: { status: 'pass', args: { ref: 'db-snapshots', ref_field: '' } },
  },
  {
    name: 'fail: through `backup`, the backup keeps a provider-managed key only',
    map: MAP,
    target: 'patient-db',
    check: { function: 'referenced-node', options: { field: 'backup', check: eq('encryption.key', 'customer-managed') } },
    expected: {
      status: 'fail',
      reason: 'missing',
      args: { field: 'encryption.key', value: 'undeclared', expected: 'customer-managed', ref: 'db-snapshots', ref_field: 'encryption.key' },
    },
    reads: [
      { subject: 'patient-db', field: 'backup', provenance: 'declared', value: 'db-snapshots' },
      { subject: 'db-snapshots', field: 'encryption.key', provenance: 'undeclared' },
    ],
  },
  {
    name: 'unknown: the nested check is unknown on the referenced node',
    map: MAP,
    target: 'ehr-ingest',
    check: { function: 'referenced-node', options: { field: 'audit_log', check: eq('tamper_evident', true, 'unknown') } },
    expected: {
      status: 'unknown',
      reason: 'missing',
      args: { field: 'tamper_evident', value: 'undeclared', expected: 'true', ref: 'audit-trail', ref_field: 'tamper_evident' },
    },
  },
  {
    name: 'pass: combinators nested in the referenced check',
    map: MAP,
    target: 'ehr-ingest',
    check: {
      function: 'referenced-node',
      options: {
        field: 'audit_log',
        check: {
          function: 'all-of',
          options: { checks: [eq('kind', 'audit'), { function: 'field-at-least', options: { field: 'retention_days', min: 2190 } }] },
        },
      },
    },
    expected: { status: 'pass', args: { ref: 'audit-trail', ref_field: '' } },
  },
  {
    name: 'not-applicable: the reference is undeclared (audit-log-declared says so)',
    map: MAP,
    target: 'exports-bucket',
    check: { function: 'referenced-node', options: { field: 'audit_log', check: eq('kind', 'audit') } },
    expected: { status: 'not-applicable' },
    reads: [{ subject: 'exports-bucket', field: 'audit_log', provenance: 'undeclared' }],
  },
  {
    name: 'not-applicable: the nested check does not apply to the referenced node',
    map: MAP,
    target: 'patient-db',
    check: { function: 'referenced-node', options: { field: 'backup', check: VENDOR_ONLY } },
    expected: { status: 'not-applicable', args: { ref: 'db-snapshots', ref_field: '' } },
  },
  {
    name: 'unknown dangling: a live source names a log the map does not declare',
    map: MAP,
    target: 'ehr-ingest',
    check: { function: 'referenced-node', options: { field: 'audit_log', check: eq('kind', 'audit') } },
    options: { observations: [{ subject: 'ehr-ingest', field: 'audit_log', observed: 'cloudtrail-org', source: 'aws:cloudtrail' }] },
    expected: { status: 'unknown', reason: 'dangling', args: { field: 'audit_log', ref: 'cloudtrail-org' } },
    reads: [{ subject: 'ehr-ingest', field: 'audit_log', provenance: 'contradicted', value: 'cloudtrail-org' }],
  },
  {
    name: 'unknown unavailable: the reference could not be read',
    map: MAP,
    target: 'ehr-ingest',
    check: { function: 'referenced-node', options: { field: 'audit_log', check: eq('kind', 'audit') } },
    options: { observations: [{ subject: 'ehr-ingest', field: 'audit_log', error: 'AccessDenied', source: 'aws:cloudtrail' }] },
    expected: { status: 'unknown', reason: 'unavailable', args: { field: 'audit_log', value: 'unavailable', error: 'AccessDenied' } },
  },
  {
    name: 'not-applicable: a vendor is not a target it declares',
    map: MAP,
    target: 'aws',
    check: { function: 'referenced-node', options: { field: 'audit_log', check: eq('kind', 'audit') } },
    expected: { status: 'not-applicable' },
    reads: [],
  },
  {
    name: 'not-applicable: a flow is not a target it declares',
    map: MAP,
    target: 'ehr-ingest->patient-db',
    check: { function: 'referenced-node', options: { field: 'audit_log', check: eq('kind', 'audit') } },
    expected: { status: 'not-applicable' },
    reads: [],
  },
];

const invalid: InvalidOptions[] = [
  { name: 'an empty checks list', fn: 'any-of', options: { checks: [] } },
  { name: 'a nested check with an unknown key', fn: 'all-of', options: { checks: [{ function: 'field-equals', with: {} }] } },
  { name: 'a field other than audit_log or backup', fn: 'referenced-node', options: { field: 'hosting', check: eq('kind', 'audit') } },
  { name: 'no check', fn: 'referenced-node', options: { field: 'audit_log' } },
];

describeTable(import.meta.url, 'combinators', table, () => {
  rejectsOptions(MAP, 'patient-db', invalid);
  it('a nested check naming no known function throws (rules are validated at load)', () => {
    expect(() => runOn(MAP, 'patient-db', { function: 'any-of', options: { checks: [{ function: 'field-equal' }] } })).toThrow(
      /unknown check function "field-equal"/,
    );
  });
  it('nested options are validated when the nested check runs', () => {
    expect(() => runOn(MAP, 'patient-db', { function: 'all-of', options: { checks: [{ function: 'field-equals', options: { field: 'kind' } }] } })).toThrow(
      ZodError,
    );
  });
});
