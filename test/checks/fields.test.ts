/** field-equals, field-in, field-at-least, field-at-most, field-present: one fact of the target against a value. */
import { type CheckRow, describeTable, type InvalidOptions, rejectsOptions } from './tables.js';

// A patient portal on AWS: a well-kept database, a bucket with gaps, an audit trail and an application log.
const MAP = `
version: 1
vendors:
  aws:
    role: business-associate
    retains_data: false
    baa: { status: signed, signed: 2025-01-15, services: [s3, rds, ecs] }
services:
  portal:
    hosting: aws/ecs
    interactive: true
    data: [phi]
    audit_log: audit-trail
    access: { mfa: true, rbac: false, session_timeout_minutes: 30 }
  clinician-app:
    hosting: aws/ecs
    interactive: true
    access: { session_timeout_minutes: 10 }
stores:
  patient-db:
    kind: database
    hosting: aws/rds
    records: 1200
    public_access: blocked
    encryption: { at_rest: aes-256, key: customer-managed }
    access: { rbac: true, unique_user_ids: true }
  exports-bucket:
    kind: object-store
    hosting: aws/s3
    encryption: { at_rest: none }
logs:
  audit-trail: { kind: audit, retention_days: 2555, tamper_evident: true }
  app-logs: { kind: application, retention_days: 30 }
flows:
  - { from: portal, to: patient-db, tls: "1.3" }
  - { from: portal, to: exports-bucket }
  - { from: portal, to: app-logs, on: error, tls: "1.0" }
`;

const AES = ['aes-128', 'aes-192', 'aes-256'];
const denied = { error: 'AccessDenied: not authorized to perform rds:DescribeDBInstances', source: 'aws:rds' };

export const table: CheckRow[] = [
  // ---------------------------------------------------------------- field-equals
  {
    name: 'pass: the declared value equals `value`',
    map: MAP,
    target: 'patient-db',
    check: { function: 'field-equals', options: { field: 'access.rbac', value: true } },
    expected: { status: 'pass' },
    reads: [{ subject: 'patient-db', field: 'access.rbac', provenance: 'declared', value: true }],
  },
  {
    name: 'fail value: a different declared value',
    map: MAP,
    target: 'portal',
    check: { function: 'field-equals', options: { field: 'access.rbac', value: true } },
    expected: { status: 'fail', reason: 'value', args: { field: 'access.rbac', value: 'false', expected: 'true' } },
  },
  {
    name: 'fail value: no coercion, the text "true" is not the boolean true',
    map: MAP,
    target: 'patient-db',
    check: { function: 'field-equals', options: { field: 'access.rbac', value: 'true' } },
    expected: { status: 'fail', reason: 'value', args: { field: 'access.rbac', value: 'true', expected: 'true' } },
  },
  {
    name: 'fail missing: undeclared, with `missing` left to its default (fail)',
    map: MAP,
    target: 'exports-bucket',
    check: { function: 'field-equals', options: { field: 'access.rbac', value: true } },
    expected: { status: 'fail', reason: 'missing', args: { field: 'access.rbac', value: 'undeclared', expected: 'true' } },
    reads: [{ subject: 'exports-bucket', field: 'access.rbac', provenance: 'undeclared', value: undefined }],
  },
  {
    name: 'fail missing: undeclared, `missing: fail` given explicitly',
    map: MAP,
    target: 'exports-bucket',
    check: { function: 'field-equals', options: { field: 'access.unique_user_ids', value: true, missing: 'fail' } },
    expected: { status: 'fail', reason: 'missing', args: { field: 'access.unique_user_ids', value: 'undeclared', expected: 'true' } },
  },
  {
    name: 'unknown missing: undeclared with `missing: unknown`',
    map: MAP,
    target: 'exports-bucket',
    check: { function: 'field-equals', options: { field: 'access.rbac', value: true, missing: 'unknown' } },
    expected: { status: 'unknown', reason: 'missing', args: { field: 'access.rbac', value: 'undeclared', expected: 'true' } },
  },
  {
    name: 'pass: undeclared with `missing: pass` (public-access)',
    map: MAP,
    target: 'exports-bucket',
    check: { function: 'field-equals', options: { field: 'public_access', value: 'blocked', missing: 'pass' } },
    expected: { status: 'pass' },
  },
  {
    name: 'fail value: `missing: pass` does not excuse a declared wrong value',
    map: MAP.replace('public_access: blocked', 'public_access: allowed'),
    target: 'patient-db',
    check: { function: 'field-equals', options: { field: 'public_access', value: 'blocked', missing: 'pass' } },
    expected: { status: 'fail', reason: 'value', args: { field: 'public_access', value: 'allowed', expected: 'blocked' } },
  },
  {
    name: 'pass: a numeric value',
    map: MAP,
    target: 'patient-db',
    check: { function: 'field-equals', options: { field: 'records', value: 1200 } },
    expected: { status: 'pass' },
  },
  {
    name: 'pass: on a vendor',
    map: MAP,
    target: 'aws',
    check: { function: 'field-equals', options: { field: 'retains_data', value: false } },
    expected: { status: 'pass' },
    reads: [{ subject: 'aws', field: 'retains_data', provenance: 'declared', value: false }],
  },
  {
    name: 'fail value: on a flow (TLS 1.3 is not 1.2)',
    map: MAP,
    target: 'portal->patient-db',
    check: { function: 'field-equals', options: { field: 'tls', value: '1.2' } },
    expected: { status: 'fail', reason: 'value', args: { field: 'tls', value: '1.3', expected: '1.2' } },
  },
  {
    name: 'unknown unavailable: a live read failed, whatever the map declares',
    map: MAP,
    target: 'patient-db',
    check: { function: 'field-equals', options: { field: 'access.rbac', value: true } },
    options: { observations: [{ subject: 'patient-db', field: 'access.rbac', ...denied }] },
    expected: {
      status: 'unknown',
      reason: 'unavailable',
      args: { field: 'access.rbac', value: 'unavailable', expected: 'true', error: denied.error },
    },
    reads: [{ subject: 'patient-db', field: 'access.rbac', provenance: 'unavailable', value: undefined }],
  },
  {
    name: 'unknown unavailable: `missing: pass` does not turn a failed read into a pass',
    map: MAP,
    target: 'patient-db',
    check: { function: 'field-equals', options: { field: 'public_access', value: 'blocked', missing: 'pass' } },
    options: { observations: [{ subject: 'patient-db', field: 'public_access', ...denied }] },
    expected: { status: 'unknown', reason: 'unavailable' },
  },
  {
    name: 'fail value: a contradicted fact is judged by what was observed (declared true, observed false)',
    map: MAP,
    target: 'patient-db',
    check: { function: 'field-equals', options: { field: 'access.rbac', value: true } },
    options: { observations: [{ subject: 'patient-db', field: 'access.rbac', observed: false, source: 'aws:iam' }] },
    expected: { status: 'fail', reason: 'value', args: { field: 'access.rbac', value: 'false', expected: 'true' } },
    reads: [{ subject: 'patient-db', field: 'access.rbac', provenance: 'contradicted', value: false }],
  },
  {
    name: 'pass: a contradicted fact is judged by what was observed (declared false, observed true)',
    map: MAP,
    target: 'portal',
    check: { function: 'field-equals', options: { field: 'access.rbac', value: true } },
    options: { observations: [{ subject: 'portal', field: 'access.rbac', observed: true, source: 'aws:iam' }] },
    expected: { status: 'pass' },
    reads: [{ subject: 'portal', field: 'access.rbac', provenance: 'contradicted', value: true }],
  },
  {
    name: 'pass: an observation of a field the map leaves out is verified',
    map: MAP,
    target: 'exports-bucket',
    check: { function: 'field-equals', options: { field: 'public_access', value: 'blocked' } },
    options: { observations: [{ subject: 'exports-bucket', field: 'public_access', observed: 'blocked', source: 'aws:s3:GetPublicAccessBlock' }] },
    expected: { status: 'pass' },
    reads: [{ subject: 'exports-bucket', field: 'public_access', provenance: 'verified', value: 'blocked' }],
  },

  // ---------------------------------------------------------------- field-in
  {
    name: 'pass: the value is one of `values` (encryption-at-rest)',
    map: MAP,
    target: 'patient-db',
    check: { function: 'field-in', options: { field: 'encryption.at_rest', values: AES } },
    expected: { status: 'pass' },
    reads: [{ subject: 'patient-db', field: 'encryption.at_rest', provenance: 'declared', value: 'aes-256' }],
  },
  {
    name: 'fail value: none of `values`',
    map: MAP,
    target: 'exports-bucket',
    check: { function: 'field-in', options: { field: 'encryption.at_rest', values: AES } },
    expected: { status: 'fail', reason: 'value', args: { field: 'encryption.at_rest', value: 'none', expected: 'aes-128 or aes-192 or aes-256' } },
  },
  {
    name: 'pass: on a flow (transmission-tls)',
    map: MAP,
    target: 'portal->patient-db',
    check: { function: 'field-in', options: { field: 'tls', values: ['1.2', '1.3'] } },
    expected: { status: 'pass' },
  },
  {
    name: 'fail value: an error-path flow on TLS 1.0',
    map: MAP,
    target: 'portal->app-logs',
    check: { function: 'field-in', options: { field: 'tls', values: ['1.2', '1.3'] } },
    expected: { status: 'fail', reason: 'value', args: { field: 'tls', value: '1.0', expected: '1.2 or 1.3' } },
  },
  {
    name: 'fail missing: a flow with no tls (default mode)',
    map: MAP,
    target: 'portal->exports-bucket',
    check: { function: 'field-in', options: { field: 'tls', values: ['1.2', '1.3'] } },
    expected: { status: 'fail', reason: 'missing', args: { field: 'tls', value: 'undeclared', expected: '1.2 or 1.3' } },
    reads: [{ subject: 'portal->exports-bucket', field: 'tls', provenance: 'undeclared' }],
  },
  {
    name: 'unknown missing: `missing: unknown`',
    map: MAP,
    target: 'app-logs',
    check: { function: 'field-in', options: { field: 'encryption.at_rest', values: AES, missing: 'unknown' } },
    expected: { status: 'unknown', reason: 'missing', args: { field: 'encryption.at_rest', value: 'undeclared', expected: 'aes-128 or aes-192 or aes-256' } },
  },
  {
    name: 'pass: `missing: pass`',
    map: MAP,
    target: 'app-logs',
    check: { function: 'field-in', options: { field: 'encryption.at_rest', values: AES, missing: 'pass' } },
    expected: { status: 'pass' },
  },
  {
    name: 'unknown unavailable: a failed live read',
    map: MAP,
    target: 'exports-bucket',
    check: { function: 'field-in', options: { field: 'encryption.at_rest', values: AES } },
    options: { observations: [{ subject: 'exports-bucket', field: 'encryption.at_rest', error: 'NoSuchBucket', source: 'aws:s3:GetBucketEncryption' }] },
    expected: {
      status: 'unknown',
      reason: 'unavailable',
      args: { field: 'encryption.at_rest', value: 'unavailable', expected: 'aes-128 or aes-192 or aes-256', error: 'NoSuchBucket' },
    },
  },
  {
    name: 'pass: contradicted, the bucket declared none is observed encrypted',
    map: MAP,
    target: 'exports-bucket',
    check: { function: 'field-in', options: { field: 'encryption.at_rest', values: AES } },
    options: { observations: [{ subject: 'exports-bucket', field: 'encryption.at_rest', observed: 'aes-256', source: 'aws:s3:GetBucketEncryption' }] },
    expected: { status: 'pass' },
    reads: [{ subject: 'exports-bucket', field: 'encryption.at_rest', provenance: 'contradicted', value: 'aes-256' }],
  },

  // ---------------------------------------------------------------- field-at-least
  {
    name: 'pass: above `min` (audit-log-retention)',
    map: MAP,
    target: 'audit-trail',
    check: { function: 'field-at-least', options: { field: 'retention_days', min: 2190 } },
    expected: { status: 'pass' },
    reads: [{ subject: 'audit-trail', field: 'retention_days', provenance: 'declared', value: 2555 }],
  },
  {
    name: 'pass: exactly `min`',
    map: MAP,
    target: 'audit-trail',
    check: { function: 'field-at-least', options: { field: 'retention_days', min: 2555 } },
    expected: { status: 'pass' },
  },
  {
    name: 'fail value: below `min`',
    map: MAP,
    target: 'app-logs',
    check: { function: 'field-at-least', options: { field: 'retention_days', min: 2190 } },
    expected: { status: 'fail', reason: 'value', args: { field: 'retention_days', value: '30', expected: 'at least 2190' } },
  },
  {
    name: 'fail value: a value that is not a number',
    map: MAP,
    target: 'audit-trail',
    check: { function: 'field-at-least', options: { field: 'kind', min: 1 } },
    expected: { status: 'fail', reason: 'value', args: { field: 'kind', value: 'audit', expected: 'at least 1' } },
  },
  {
    name: 'fail missing: undeclared (default mode)',
    map: MAP,
    target: 'exports-bucket',
    check: { function: 'field-at-least', options: { field: 'records', min: 500 } },
    expected: { status: 'fail', reason: 'missing', args: { field: 'records', value: 'undeclared', expected: 'at least 500' } },
  },
  {
    name: 'unknown missing: `missing: unknown`',
    map: MAP,
    target: 'exports-bucket',
    check: { function: 'field-at-least', options: { field: 'records', min: 500, missing: 'unknown' } },
    expected: { status: 'unknown', reason: 'missing', args: { field: 'records', value: 'undeclared', expected: 'at least 500' } },
  },
  {
    name: 'pass: `missing: pass`',
    map: MAP,
    target: 'exports-bucket',
    check: { function: 'field-at-least', options: { field: 'records', min: 500, missing: 'pass' } },
    expected: { status: 'pass' },
  },
  {
    name: 'unknown unavailable: a failed live read',
    map: MAP,
    target: 'audit-trail',
    check: { function: 'field-at-least', options: { field: 'retention_days', min: 2190 } },
    options: { observations: [{ subject: 'audit-trail', field: 'retention_days', error: 'ThrottlingException', source: 'aws:logs' }] },
    expected: {
      status: 'unknown',
      reason: 'unavailable',
      args: { field: 'retention_days', value: 'unavailable', expected: 'at least 2190', error: 'ThrottlingException' },
    },
    reads: [{ subject: 'audit-trail', field: 'retention_days', provenance: 'unavailable', value: undefined }],
  },
  {
    name: 'fail value: contradicted, the trail is observed keeping 90 days',
    map: MAP,
    target: 'audit-trail',
    check: { function: 'field-at-least', options: { field: 'retention_days', min: 2190 } },
    options: { observations: [{ subject: 'audit-trail', field: 'retention_days', observed: 90, source: 'aws:logs:DescribeLogGroups' }] },
    expected: { status: 'fail', reason: 'value', args: { field: 'retention_days', value: '90', expected: 'at least 2190' } },
    reads: [{ subject: 'audit-trail', field: 'retention_days', provenance: 'contradicted', value: 90 }],
  },

  // ---------------------------------------------------------------- field-at-most
  {
    name: 'pass: below `max` (automatic-logoff)',
    map: MAP,
    target: 'clinician-app',
    check: { function: 'field-at-most', options: { field: 'access.session_timeout_minutes', max: 15 } },
    expected: { status: 'pass' },
  },
  {
    name: 'pass: exactly `max`',
    map: MAP,
    target: 'portal',
    check: { function: 'field-at-most', options: { field: 'access.session_timeout_minutes', max: 30 } },
    expected: { status: 'pass' },
  },
  {
    name: 'fail value: above `max`',
    map: MAP,
    target: 'portal',
    check: { function: 'field-at-most', options: { field: 'access.session_timeout_minutes', max: 15 } },
    expected: { status: 'fail', reason: 'value', args: { field: 'access.session_timeout_minutes', value: '30', expected: 'at most 15' } },
    reads: [{ subject: 'portal', field: 'access.session_timeout_minutes', provenance: 'declared', value: 30 }],
  },
  {
    name: 'fail value: a value that is not a number',
    map: MAP,
    target: 'portal',
    check: { function: 'field-at-most', options: { field: 'access.mfa', max: 15 } },
    expected: { status: 'fail', reason: 'value', args: { field: 'access.mfa', value: 'true', expected: 'at most 15' } },
  },
  {
    name: 'fail missing: undeclared (default mode)',
    map: MAP,
    target: 'patient-db',
    check: { function: 'field-at-most', options: { field: 'access.session_timeout_minutes', max: 15 } },
    expected: { status: 'fail', reason: 'missing', args: { field: 'access.session_timeout_minutes', value: 'undeclared', expected: 'at most 15' } },
  },
  {
    name: 'unknown missing: `missing: unknown`',
    map: MAP,
    target: 'patient-db',
    check: { function: 'field-at-most', options: { field: 'access.session_timeout_minutes', max: 15, missing: 'unknown' } },
    expected: { status: 'unknown', reason: 'missing', args: { field: 'access.session_timeout_minutes', value: 'undeclared', expected: 'at most 15' } },
  },
  {
    name: 'pass: `missing: pass`',
    map: MAP,
    target: 'patient-db',
    check: { function: 'field-at-most', options: { field: 'access.session_timeout_minutes', max: 15, missing: 'pass' } },
    expected: { status: 'pass' },
  },
  {
    name: 'unknown unavailable: a failed live read',
    map: MAP,
    target: 'portal',
    check: { function: 'field-at-most', options: { field: 'access.session_timeout_minutes', max: 15 } },
    options: { observations: [{ subject: 'portal', field: 'access.session_timeout_minutes', error: 'timeout after 10s', source: 'okta' }] },
    expected: {
      status: 'unknown',
      reason: 'unavailable',
      args: { field: 'access.session_timeout_minutes', value: 'unavailable', expected: 'at most 15', error: 'timeout after 10s' },
    },
  },
  {
    name: 'pass: contradicted, the portal is observed logging off after 10 minutes',
    map: MAP,
    target: 'portal',
    check: { function: 'field-at-most', options: { field: 'access.session_timeout_minutes', max: 15 } },
    options: { observations: [{ subject: 'portal', field: 'access.session_timeout_minutes', observed: 10, source: 'okta' }] },
    expected: { status: 'pass' },
    reads: [{ subject: 'portal', field: 'access.session_timeout_minutes', provenance: 'contradicted', value: 10 }],
  },

  // ---------------------------------------------------------------- field-present
  {
    name: 'pass: declared, with the value in args (audit-log-declared)',
    map: MAP,
    target: 'portal',
    check: { function: 'field-present', options: { field: 'audit_log' } },
    expected: { status: 'pass', args: { field: 'audit_log', value: 'audit-trail' } },
    reads: [{ subject: 'portal', field: 'audit_log', provenance: 'declared', value: 'audit-trail' }],
  },
  {
    name: 'pass: a list value is shown joined',
    map: MAP,
    target: 'aws',
    check: { function: 'field-present', options: { field: 'baa.services' } },
    expected: { status: 'pass', args: { field: 'baa.services', value: 's3, rds, ecs' } },
  },
  {
    name: 'pass: a declared false is present',
    map: MAP,
    target: 'portal',
    check: { function: 'field-present', options: { field: 'access.rbac' } },
    expected: { status: 'pass', args: { field: 'access.rbac', value: 'false' } },
  },
  {
    name: 'fail missing: undeclared (backup-exists)',
    map: MAP,
    target: 'patient-db',
    check: { function: 'field-present', options: { field: 'backup' } },
    expected: { status: 'fail', reason: 'missing', args: { field: 'backup' } },
    reads: [{ subject: 'patient-db', field: 'backup', provenance: 'undeclared', value: undefined }],
  },
  {
    name: 'pass: on a flow',
    map: MAP,
    target: 'portal->app-logs',
    check: { function: 'field-present', options: { field: 'on' } },
    expected: { status: 'pass', args: { field: 'on', value: 'error' } },
  },
  {
    name: 'pass: an observation fills a field the map leaves out (verified)',
    map: MAP,
    target: 'patient-db',
    check: { function: 'field-present', options: { field: 'backup' } },
    options: { observations: [{ subject: 'patient-db', field: 'backup', observed: 'exports-bucket', source: 'aws:backup' }] },
    expected: { status: 'pass', args: { field: 'backup', value: 'exports-bucket' } },
    reads: [{ subject: 'patient-db', field: 'backup', provenance: 'verified', value: 'exports-bucket' }],
  },
  // What every object or list inherits is no field of the record: never declared, so never a pass.
  ...['constructor', '__proto__', 'toString', 'encryption.constructor', 'access.hasOwnProperty', 'baa.services.length', 'baa.services.0'].map(
    (field): CheckRow => ({
      name: `fail missing: "${field}" names nothing a record inherits`,
      map: MAP,
      target: field.startsWith('baa') ? 'aws' : 'patient-db',
      check: { function: 'field-present', options: { field } },
      expected: { status: 'fail', reason: 'missing', args: { field } },
    }),
  ),
  {
    // Fails closed: a failed live read is unknown, never "missing".
    name: 'unknown unavailable: the fact could not be read',
    map: MAP,
    target: 'portal',
    check: { function: 'field-present', options: { field: 'audit_log' } },
    options: { observations: [{ subject: 'portal', field: 'audit_log', error: 'AccessDenied', source: 'aws:cloudtrail' }] },
    expected: { status: 'unknown', reason: 'unavailable', args: { field: 'audit_log', value: 'unavailable', error: 'AccessDenied' } },
    reads: [{ subject: 'portal', field: 'audit_log', provenance: 'unavailable', value: undefined }],
  },
];

// Options are validated as a rule file's are, when the check first runs.
const invalid: InvalidOptions[] = [
  { name: 'no value', fn: 'field-equals', options: { field: 'access.rbac' } },
  { name: 'a missing mode that does not exist', fn: 'field-equals', options: { field: 'access.rbac', value: true, missing: 'ignore' } },
  { name: 'an unknown option', fn: 'field-equals', options: { field: 'access.rbac', value: true, severity: 'high' } },
  { name: 'an empty values list', fn: 'field-in', options: { field: 'tls', values: [] } },
  { name: 'a text min', fn: 'field-at-least', options: { field: 'retention_days', min: '2190' } },
  { name: 'a text max', fn: 'field-at-most', options: { field: 'access.session_timeout_minutes', max: '15' } },
  { name: 'a missing mode (it has none)', fn: 'field-present', options: { field: 'backup', missing: 'pass' } },
];

describeTable(import.meta.url, 'fields', table, () => {
  rejectsOptions(MAP, 'patient-db', invalid);
});
