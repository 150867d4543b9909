/** backup-matches-source: a backup kept no weaker than the node it copies. */
import { type CheckRow, describeTable, type InvalidOptions, rejectsOptions } from './tables.js';

const MAP = `
version: 1
vendors:
  aws:
    baa: { status: signed, signed: 2025-01-15, services: [rds, s3, backup] }
services:
  intake:
    hosting: aws/ecs
    data: [phi]
    backup: intake-snapshots
    encryption: { at_rest: aes-128 }
stores:
  patient-db:
    kind: database
    hosting: aws/rds
    backup: vault
    encryption: { at_rest: aes-256, key: customer-managed }
    access: { unique_user_ids: true, mfa: true, rbac: true }
  vault:
    kind: backup
    hosting: aws/backup
    public_access: blocked
    encryption: { at_rest: aes-256, key: customer-managed }
    access: { unique_user_ids: true, mfa: true, rbac: true }
  claims-db:
    kind: database
    backup: nightly-dumps
    encryption: { at_rest: aes-256, key: customer-managed }
    access: { rbac: true, mfa: true }
  nightly-dumps:
    kind: backup
    hosting: aws/s3
    public_access: allowed
    encryption: { at_rest: aes-128, key: provider-managed }
    access: { rbac: false }
  scans-bucket:
    kind: object-store
    backup: scans-replica
    encryption: { at_rest: aes-192 }
  scans-replica:
    kind: backup
  legacy-db:
    kind: database
    backup: legacy-copy
  legacy-copy:
    kind: backup
    encryption: { at_rest: none }
  intake-snapshots:
    kind: backup
    encryption: { at_rest: aes-256 }
  scratch:
    kind: filesystem
logs:
  app-logs: { kind: application }
flows:
  - { from: intake, to: patient-db, tls: "1.2" }
  - { from: intake, to: claims-db, tls: "1.2" }
`;

export const table: CheckRow[] = [
  {
    name: 'pass: the backup matches its source on every safeguard',
    map: MAP,
    target: 'patient-db',
    check: { function: 'backup-matches-source' },
    expected: { status: 'pass', args: { backup: 'vault' } },
    reads: [
      { subject: 'patient-db', field: 'backup', provenance: 'declared', value: 'vault' },
      { subject: 'patient-db', field: 'encryption.at_rest', provenance: 'declared', value: 'aes-256' },
      { subject: 'vault', field: 'encryption.at_rest', provenance: 'declared', value: 'aes-256' },
      { subject: 'patient-db', field: 'encryption.key', provenance: 'declared', value: 'customer-managed' },
      { subject: 'vault', field: 'encryption.key', provenance: 'declared', value: 'customer-managed' },
      { subject: 'vault', field: 'public_access', provenance: 'declared', value: 'blocked' },
      { subject: 'vault', field: 'access.unique_user_ids', provenance: 'declared', value: true },
      { subject: 'patient-db', field: 'access.unique_user_ids', provenance: 'declared', value: true },
      { subject: 'vault', field: 'access.mfa', provenance: 'declared', value: true },
      { subject: 'patient-db', field: 'access.mfa', provenance: 'declared', value: true },
      { subject: 'vault', field: 'access.rbac', provenance: 'declared', value: true },
      { subject: 'patient-db', field: 'access.rbac', provenance: 'declared', value: true },
    ],
  },
  {
    name: 'pass: a backup stronger than its source (a service backed up)',
    map: MAP,
    target: 'intake',
    check: { function: 'backup-matches-source' },
    expected: { status: 'pass', args: { backup: 'intake-snapshots' } },
  },
  {
    name: 'pass: as weak as its source (the source rules report the source)',
    map: MAP,
    target: 'legacy-db',
    check: { function: 'backup-matches-source' },
    expected: { status: 'pass', args: { backup: 'legacy-copy' } },
  },
  {
    name: 'fail weaker: every kind of gap at once, in order',
    map: MAP,
    target: 'claims-db',
    check: { function: 'backup-matches-source' },
    expected: {
      status: 'fail',
      reason: 'weaker',
      args: {
        backup: 'nightly-dumps',
        gaps: [
          'encryption at rest is aes-128 (source: aes-256)',
          'key is provider-managed (source: customer-managed)',
          'public access is allowed',
          'access.mfa is undeclared (source: true)',
          'access.rbac is false (source: true)',
        ].join('; '),
      },
    },
  },
  {
    name: 'fail weaker: the backup declares no encryption',
    map: MAP,
    target: 'scans-bucket',
    check: { function: 'backup-matches-source' },
    expected: { status: 'fail', reason: 'weaker', args: { backup: 'scans-replica', gaps: 'encryption at rest is undeclared (source: aes-192)' } },
  },
  {
    name: 'fail weaker: a contradicted backup encryption is judged by what was observed',
    map: MAP,
    target: 'patient-db',
    check: { function: 'backup-matches-source' },
    options: { observations: [{ subject: 'vault', field: 'encryption.at_rest', observed: 'none', source: 'aws:backup:DescribeBackupVault' }] },
    expected: { status: 'fail', reason: 'weaker', args: { backup: 'vault', gaps: 'encryption at rest is none (source: aes-256)' } },
  },
  {
    name: "fail weaker: an observed value outside the map's vocabulary counts as no encryption",
    map: MAP,
    target: 'patient-db',
    check: { function: 'backup-matches-source' },
    options: { observations: [{ subject: 'vault', field: 'encryption.at_rest', observed: 'AES256', source: 'aws:s3:GetBucketEncryption' }] },
    expected: { status: 'fail', reason: 'weaker', args: { backup: 'vault', gaps: 'encryption at rest is AES256 (source: aes-256)' } },
  },
  {
    // Current behaviour (reported): an unreadable value on the backup is reported as "undeclared", not unknown.
    name: 'fail weaker: an unavailable backup encryption is a gap worded undeclared',
    map: MAP,
    target: 'patient-db',
    check: { function: 'backup-matches-source' },
    options: { observations: [{ subject: 'vault', field: 'encryption.at_rest', error: 'AccessDenied', source: 'aws:backup' }] },
    expected: { status: 'fail', reason: 'weaker', args: { backup: 'vault', gaps: 'encryption at rest is undeclared (source: aes-256)' } },
  },
  {
    // Fails closed: an unreadable source encryption is unknown, never a pass.
    name: 'unknown unavailable: the source encryption could not be read',
    map: MAP,
    target: 'scans-bucket',
    check: { function: 'backup-matches-source' },
    options: { observations: [{ subject: 'scans-bucket', field: 'encryption.at_rest', error: 'AccessDenied', source: 'aws:s3' }] },
    expected: { status: 'unknown', reason: 'unavailable', args: { field: 'encryption.at_rest', value: 'unavailable', error: 'AccessDenied' } },
  },
  {
    name: 'not-applicable: no backup declared (backup-exists reports it)',
    map: MAP,
    target: 'scratch',
    check: { function: 'backup-matches-source' },
    expected: { status: 'not-applicable' },
    reads: [{ subject: 'scratch', field: 'backup', provenance: 'undeclared' }],
  },
  {
    // A live source can name what the loader would reject: a log, or a node the map does not declare.
    name: 'not-applicable: the observed backup is not a store',
    map: MAP,
    target: 'patient-db',
    check: { function: 'backup-matches-source' },
    options: { observations: [{ subject: 'patient-db', field: 'backup', observed: 'app-logs', source: 'aws:backup' }] },
    expected: { status: 'not-applicable' },
  },
  {
    // Current behaviour (reported): referenced-node gives unknown `dangling` for the same situation.
    name: 'not-applicable: the observed backup is not in the map',
    map: MAP,
    target: 'patient-db',
    check: { function: 'backup-matches-source' },
    options: { observations: [{ subject: 'patient-db', field: 'backup', observed: 'dr-vault-us-west-2', source: 'aws:backup' }] },
    expected: { status: 'not-applicable' },
    reads: [{ subject: 'patient-db', field: 'backup', provenance: 'contradicted', value: 'dr-vault-us-west-2' }],
  },
  {
    name: 'not-applicable: a vendor is not a target it declares',
    map: MAP,
    target: 'aws',
    check: { function: 'backup-matches-source' },
    expected: { status: 'not-applicable' },
    reads: [],
  },
  {
    name: 'not-applicable: a flow is not a target it declares',
    map: MAP,
    target: 'intake->patient-db',
    check: { function: 'backup-matches-source' },
    expected: { status: 'not-applicable' },
    reads: [],
  },
];

const invalid: InvalidOptions[] = [{ name: 'any option (it takes none)', fn: 'backup-matches-source', options: { compare: ['encryption'] } }];

describeTable(import.meta.url, 'backup', table, () => {
  rejectsOptions(MAP, 'patient-db', invalid);
});
