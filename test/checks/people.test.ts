/** access-lifecycle, audit-log-reviewed: access reviewed and removed in time, and someone reading the audit log. */
import { type CheckRow, describeTable, type InvalidOptions, rejectsOptions } from './tables.js';

const MAP = `
version: 1
vendors:
  okta: { baa: { status: signed } }
services:
  ehr-api:
    hosting: self
    interactive: true
    data: [phi]
    access: { rbac: true, review_interval_days: 90, deprovisioning: automated }
    audit_log: access-audit
  review-app:
    hosting: self
    interactive: true
    access: { rbac: true, review_interval_days: 365, deprovisioning: manual }
  batch-job:
    hosting: self
    access: { rbac: true }
  legacy-admin:
    hosting: self
    interactive: true
    access: { review_interval_days: 180 }
  admin-console:
    hosting: self
    interactive: true
stores:
  notes-db:
    kind: database
    hosting: self
    access: { review_interval_days: 30 }
logs:
  access-audit: { kind: audit, review: { method: siem } }
  db-audit: { kind: audit, review: { method: manual, interval_days: 7 } }
  hand-audit: { kind: audit, review: { method: manual } }
  quarterly-audit: { kind: audit, review: { method: manual, interval_days: 90 } }
  alert-audit: { kind: audit, review: { method: alerting, interval_days: 60 } }
  silent-audit: { kind: audit }
flows:
  - { from: ehr-api, to: notes-db, tls: "1.3" }
`;

export const table: CheckRow[] = [
  // ---------------------------------------------------------------- access-lifecycle
  {
    name: 'pass: reviewed every 90 days, deprovisioned automatically',
    map: MAP,
    target: 'ehr-api',
    check: { function: 'access-lifecycle' },
    expected: { status: 'pass', args: { interval: '90', deprovisioning: 'automated' } },
    reads: [
      { subject: 'ehr-api', field: 'interactive', provenance: 'declared', value: true },
      { subject: 'ehr-api', field: 'access.review_interval_days', provenance: 'declared', value: 90 },
      { subject: 'ehr-api', field: 'access.deprovisioning', provenance: 'declared', value: 'automated' },
    ],
  },
  {
    name: 'fail interval: reviewed yearly',
    map: MAP,
    target: 'review-app',
    check: { function: 'access-lifecycle' },
    expected: { status: 'fail', reason: 'interval', args: { value: 365, expected: 90, note: '' } },
  },
  {
    name: 'pass: reviewed yearly, under a rule that allows it',
    map: MAP,
    target: 'review-app',
    check: { function: 'access-lifecycle', options: { max_review_days: 365 } },
    expected: { status: 'pass', args: { interval: '365', deprovisioning: 'manual' } },
  },
  {
    name: 'fail interval: the note names what is also undeclared',
    map: MAP,
    target: 'legacy-admin',
    check: { function: 'access-lifecycle' },
    expected: {
      status: 'fail',
      reason: 'interval',
      args: { value: 180, expected: 90, note: '; the map does not say how access ends when someone leaves (access.deprovisioning)' },
    },
  },
  {
    name: 'not-applicable: a service nobody logs in to',
    map: MAP,
    target: 'batch-job',
    check: { function: 'access-lifecycle' },
    expected: { status: 'not-applicable' },
    reads: [{ subject: 'batch-job', field: 'interactive', provenance: 'undeclared' }],
  },
  {
    name: 'fail missing: neither declared',
    map: MAP,
    target: 'admin-console',
    check: { function: 'access-lifecycle' },
    expected: {
      status: 'fail',
      reason: 'missing',
      args: {
        field: 'access.review_interval_days and access.deprovisioning',
        value: 'undeclared',
        what: 'how often access to it is reviewed (access.review_interval_days), nor how access ends when someone leaves (access.deprovisioning)',
      },
    },
    reads: [
      { subject: 'admin-console', field: 'interactive', provenance: 'declared', value: true },
      { subject: 'admin-console', field: 'access.review_interval_days', provenance: 'undeclared', value: undefined },
      { subject: 'admin-console', field: 'access.deprovisioning', provenance: 'undeclared', value: undefined },
    ],
  },
  {
    name: 'fail missing: a service nobody logs in to, under a rule that judges every service',
    map: MAP,
    target: 'batch-job',
    check: { function: 'access-lifecycle', options: { services: 'all' } },
    expected: {
      status: 'fail',
      reason: 'missing',
      args: {
        field: 'access.review_interval_days and access.deprovisioning',
        value: 'undeclared',
        what: 'how often access to it is reviewed (access.review_interval_days), nor how access ends when someone leaves (access.deprovisioning)',
      },
    },
  },
  {
    name: 'fail missing: reviewed, but deprovisioning undeclared',
    map: MAP,
    target: 'notes-db',
    check: { function: 'access-lifecycle' },
    expected: {
      status: 'fail',
      reason: 'missing',
      args: { field: 'access.deprovisioning', value: 'undeclared', what: 'how access ends when someone leaves (access.deprovisioning)' },
    },
  },
  {
    name: 'unknown unavailable: the review interval could not be read',
    map: MAP,
    target: 'ehr-api',
    check: { function: 'access-lifecycle' },
    options: { observations: [{ subject: 'ehr-api', field: 'access.review_interval_days', error: 'AccessDenied on identitystore:ListGroups', source: 'aws' }] },
    expected: {
      status: 'unknown',
      reason: 'unavailable',
      args: { field: 'access.review_interval_days', value: 'unavailable', error: 'AccessDenied on identitystore:ListGroups' },
    },
  },
  {
    name: 'not-applicable: a vendor is not a target it declares',
    map: MAP,
    target: 'okta',
    check: { function: 'access-lifecycle' },
    expected: { status: 'not-applicable' },
    reads: [],
  },

  // ---------------------------------------------------------------- audit-log-reviewed
  {
    name: 'pass: a SIEM, no interval needed',
    map: MAP,
    target: 'access-audit',
    check: { function: 'audit-log-reviewed' },
    expected: { status: 'pass', args: { method: 'siem' } },
    reads: [
      { subject: 'access-audit', field: 'review.method', provenance: 'declared', value: 'siem' },
      { subject: 'access-audit', field: 'review.interval_days', provenance: 'undeclared', value: undefined },
    ],
  },
  {
    name: 'pass: a weekly manual review',
    map: MAP,
    target: 'db-audit',
    check: { function: 'audit-log-reviewed' },
    expected: { status: 'pass', args: { method: 'manual', interval: '7' } },
  },
  {
    name: 'fail missing: no review declared',
    map: MAP,
    target: 'silent-audit',
    check: { function: 'audit-log-reviewed' },
    expected: { status: 'fail', reason: 'missing', args: { field: 'review.method', value: 'undeclared' } },
    reads: [{ subject: 'silent-audit', field: 'review.method', provenance: 'undeclared', value: undefined }],
  },
  {
    name: 'fail missing: a manual review with no interval',
    map: MAP,
    target: 'hand-audit',
    check: { function: 'audit-log-reviewed' },
    expected: { status: 'fail', reason: 'missing', args: { field: 'review.interval_days', value: 'undeclared', method: 'manual' } },
  },
  {
    name: 'fail interval: a manual review every 90 days',
    map: MAP,
    target: 'quarterly-audit',
    check: { function: 'audit-log-reviewed' },
    expected: { status: 'fail', reason: 'interval', args: { method: 'manual', value: 90, expected: 30 } },
  },
  {
    name: 'fail interval: alerting whose reports are read every 60 days',
    map: MAP,
    target: 'alert-audit',
    check: { function: 'audit-log-reviewed' },
    expected: { status: 'fail', reason: 'interval', args: { method: 'alerting', value: 60, expected: 30 } },
  },
  {
    name: 'pass: a quarterly manual review, under a rule that allows it',
    map: MAP,
    target: 'quarterly-audit',
    check: { function: 'audit-log-reviewed', options: { max_interval_days: 90 } },
    expected: { status: 'pass', args: { method: 'manual', interval: '90' } },
  },
  {
    name: 'not-applicable: a store is not a target it declares',
    map: MAP,
    target: 'notes-db',
    check: { function: 'audit-log-reviewed' },
    expected: { status: 'not-applicable' },
    reads: [],
  },
];

const invalid: InvalidOptions[] = [
  { name: 'a review interval of 0 days', fn: 'access-lifecycle', options: { max_review_days: 0 } },
  { name: 'an unknown option', fn: 'access-lifecycle', options: { max_days: 90 } },
  { name: 'an unknown `services`', fn: 'access-lifecycle', options: { services: 'batch' } },
  { name: 'a fractional interval', fn: 'audit-log-reviewed', options: { max_interval_days: 7.5 } },
];

describeTable(import.meta.url, 'people', table, () => {
  rejectsOptions(MAP, 'ehr-api', invalid);
});
