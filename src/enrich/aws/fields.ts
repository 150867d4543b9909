/**
 * Facts the live checks observe that a map has no field for (rules read them with `live-fact`). The rest are the
 * map's own field names (`encryption.at_rest`, `public_access`, `versioning` ...), so the existing rules judge them.
 */
export const LIVE = {
  /** Bucket: the policy denies requests without TLS (aws:SecureTransport false). */
  tlsRequired: 'aws.tls_required',
  /** Bucket: S3 server access logging is on. */
  accessLogging: 'aws.access_logging',
  /** Bucket: a trail that is logging records S3 data events (reads) for it. */
  dataEvents: 'aws.data_events',
  /** Customer-managed key: automatic rotation. */
  keyRotation: 'aws.key_rotation',
  /** Database: deletion protection. */
  deletionProtection: 'aws.deletion_protection',
  /** Database: automated backup retention in days. */
  backupRetention: 'aws.backup_retention_days',
  /** Service or queue: copies AWS makes of PHI that the map does not declare as PHI-holding nodes. */
  undeclaredCopies: 'aws.undeclared_phi_copies',
  /** Store or log holding PHI on AWS: false when no `resource` ties it to one. */
  located: 'aws.located',
  /** AWS vendor (account-wide, every account of the run): */
  rootMfa: 'aws.root_mfa',
  rootAccessKeys: 'aws.root_access_keys',
  consoleUsersWithoutMfa: 'aws.console_users_without_mfa',
  passwordMinLength: 'aws.password_min_length',
  trailLogging: 'aws.trail_logging',
  trailValidation: 'aws.trail_log_validation',
  trailKms: 'aws.trail_kms',
  unmappedBuckets: 'aws.unmapped_buckets',
} as const;
