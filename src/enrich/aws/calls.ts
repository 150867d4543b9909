/**
 * Every AWS call the live checks make, in one table: the SDK client and command that make it, the IAM permission it
 * needs, and what it is for. The scanner can make no call that is not here (calls.ts is the only way in), and
 * `phi-audit iam-policy` prints its policy from this table, so the policy is exactly what the scanner uses.
 */

export type ClientName = 's3' | 's3control' | 'kms' | 'cloudtrail' | 'iam' | 'logs' | 'rds' | 'sqs' | 'sagemaker' | 'bedrock' | 'sts';

export interface CallSpec {
  readonly client: ClientName;
  /** The SDK v3 command class. */
  readonly command: string;
  /** The IAM action the call needs; undefined when none does (sts:GetCallerIdentity). */
  readonly permission: string | undefined;
  /** Why the scanner makes it, for the README and `iam-policy --explain`. */
  readonly why: string;
  /** Made only by `discover`, not by `scan`. */
  readonly discoverOnly?: boolean;
}

export const CALLS = {
  'sts:GetCallerIdentity': {
    client: 'sts',
    command: 'GetCallerIdentityCommand',
    permission: undefined,
    why: 'confirm the credentials belong to the account the map names (no permission needed)',
  },
  's3:ListBuckets': {
    client: 's3',
    command: 'ListBucketsCommand',
    permission: 's3:ListAllMyBuckets',
    why: "each bucket's region, and buckets the map does not mention",
  },
  's3:GetBucketEncryption': {
    client: 's3',
    command: 'GetBucketEncryptionCommand',
    permission: 's3:GetEncryptionConfiguration',
    why: 'default encryption of PHI buckets and its KMS key',
  },
  's3:GetPublicAccessBlock': {
    client: 's3',
    command: 'GetPublicAccessBlockCommand',
    permission: 's3:GetBucketPublicAccessBlock',
    why: "a PHI bucket's Block Public Access settings",
  },
  's3:GetBucketPolicy': {
    client: 's3',
    command: 'GetBucketPolicyCommand',
    permission: 's3:GetBucketPolicy',
    why: 'whether the bucket policy denies requests without TLS (aws:SecureTransport false)',
  },
  's3:GetBucketPolicyStatus': {
    client: 's3',
    command: 'GetBucketPolicyStatusCommand',
    permission: 's3:GetBucketPolicyStatus',
    why: 'whether a bucket policy makes a PHI bucket public',
  },
  's3:GetBucketLogging': {
    client: 's3',
    command: 'GetBucketLoggingCommand',
    permission: 's3:GetBucketLogging',
    why: 'server access logging on PHI buckets',
  },
  's3:GetBucketVersioning': {
    client: 's3',
    command: 'GetBucketVersioningCommand',
    permission: 's3:GetBucketVersioning',
    why: 'versioning on PHI buckets (integrity)',
  },
  's3:GetObjectLockConfiguration': {
    client: 's3',
    command: 'GetObjectLockConfigurationCommand',
    permission: 's3:GetBucketObjectLockConfiguration',
    why: 'object lock on versioned PHI buckets and on buckets that hold audit logs',
  },
  's3control:GetPublicAccessBlock': {
    client: 's3control',
    command: 'GetPublicAccessBlockCommand',
    permission: 's3:GetAccountPublicAccessBlock',
    why: "the account's Block Public Access settings",
  },
  'kms:DescribeKey': {
    client: 'kms',
    command: 'DescribeKeyCommand',
    permission: 'kms:DescribeKey',
    why: 'who manages the key that encrypts PHI (customer or AWS)',
  },
  'kms:GetKeyRotationStatus': {
    client: 'kms',
    command: 'GetKeyRotationStatusCommand',
    permission: 'kms:GetKeyRotationStatus',
    why: 'automatic rotation of customer-managed keys that encrypt PHI',
  },
  'cloudtrail:DescribeTrails': {
    client: 'cloudtrail',
    command: 'DescribeTrailsCommand',
    permission: 'cloudtrail:DescribeTrails',
    why: 'the trails of each region: multi-region, log file validation, KMS encryption',
  },
  'cloudtrail:GetTrailStatus': {
    client: 'cloudtrail',
    command: 'GetTrailStatusCommand',
    permission: 'cloudtrail:GetTrailStatus',
    why: 'whether a trail is logging now',
  },
  'cloudtrail:GetEventSelectors': {
    client: 'cloudtrail',
    command: 'GetEventSelectorsCommand',
    permission: 'cloudtrail:GetEventSelectors',
    why: 'whether S3 data events cover every PHI bucket',
  },
  'iam:GetAccountSummary': {
    client: 'iam',
    command: 'GetAccountSummaryCommand',
    permission: 'iam:GetAccountSummary',
    why: 'root account MFA and root access keys',
  },
  'iam:GetAccountPasswordPolicy': {
    client: 'iam',
    command: 'GetAccountPasswordPolicyCommand',
    permission: 'iam:GetAccountPasswordPolicy',
    why: "the account's password policy",
  },
  'iam:GenerateCredentialReport': {
    client: 'iam',
    command: 'GenerateCredentialReportCommand',
    permission: 'iam:GenerateCredentialReport',
    why: 'ask IAM for a fresh credential report (one call per account)',
  },
  'iam:GetCredentialReport': {
    client: 'iam',
    command: 'GetCredentialReportCommand',
    permission: 'iam:GetCredentialReport',
    why: 'users with a console password and no MFA device',
  },
  'logs:DescribeLogGroups': {
    client: 'logs',
    command: 'DescribeLogGroupsCommand',
    permission: 'logs:DescribeLogGroups',
    why: 'KMS key and retention of log groups that hold PHI',
  },
  'rds:DescribeDBInstances': {
    client: 'rds',
    command: 'DescribeDBInstancesCommand',
    permission: 'rds:DescribeDBInstances',
    why: 'storage encryption, public accessibility, backups and deletion protection of PHI databases',
  },
  'rds:DescribeDBClusters': {
    client: 'rds',
    command: 'DescribeDBClustersCommand',
    permission: 'rds:DescribeDBClusters',
    why: 'the same for Aurora clusters',
  },
  'sqs:GetQueueUrl': {
    client: 'sqs',
    command: 'GetQueueUrlCommand',
    permission: 'sqs:GetQueueUrl',
    why: "a PHI queue's URL, from its name or ARN",
  },
  'sqs:GetQueueAttributes': {
    client: 'sqs',
    command: 'GetQueueAttributesCommand',
    permission: 'sqs:GetQueueAttributes',
    why: "a PHI queue's encryption and its dead-letter queue (a copy of failed messages)",
  },
  'sqs:ListQueues': {
    client: 'sqs',
    command: 'ListQueuesCommand',
    permission: 'sqs:ListQueues',
    why: 'queues the map does not mention (discover only)',
    discoverOnly: true,
  },
  'sagemaker:ListEndpoints': {
    client: 'sagemaker',
    command: 'ListEndpointsCommand',
    permission: 'sagemaker:ListEndpoints',
    why: 'endpoints the map does not mention (discover only)',
    discoverOnly: true,
  },
  'sagemaker:DescribeEndpoint': {
    client: 'sagemaker',
    command: 'DescribeEndpointCommand',
    permission: 'sagemaker:DescribeEndpoint',
    why: "an endpoint's configuration name",
  },
  'sagemaker:DescribeEndpointConfig': {
    client: 'sagemaker',
    command: 'DescribeEndpointConfigCommand',
    permission: 'sagemaker:DescribeEndpointConfig',
    why: 'data capture: whether the endpoint copies requests (PHI) to S3, and where',
  },
  'bedrock:GetModelInvocationLoggingConfiguration': {
    client: 'bedrock',
    command: 'GetModelInvocationLoggingConfigurationCommand',
    permission: 'bedrock:GetModelInvocationLoggingConfiguration',
    why: 'model invocation logging: whether prompts and completions (PHI) are copied to S3 or CloudWatch Logs, and where',
  },
} as const satisfies Record<string, CallSpec>;

export type Action = keyof typeof CALLS;

export interface PolicyStatement {
  readonly Sid: string;
  readonly Effect: 'Allow';
  readonly Action: readonly string[];
  readonly Resource: '*';
}

/** The read-only policy for exactly the calls in CALLS: one statement per service, actions sorted. */
export function iamPolicy(options: { discover?: boolean } = {}): { Version: '2012-10-17'; Statement: PolicyStatement[] } {
  const byService = new Map<string, Set<string>>();
  for (const spec of Object.values(CALLS) as CallSpec[]) {
    if (!spec.permission || (spec.discoverOnly && !options.discover)) continue;
    const service = spec.permission.split(':')[0]!;
    let set = byService.get(service);
    if (!set) byService.set(service, (set = new Set()));
    set.add(spec.permission);
  }
  const Statement = [...byService]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([service, actions]) => ({
      Sid: `PhiAuditRead${service.replace(/^./, (c) => c.toUpperCase()).replace(/-./g, (c) => c[1]!.toUpperCase())}`,
      Effect: 'Allow' as const,
      Action: [...actions].sort(),
      Resource: '*' as const,
    }));
  return { Version: '2012-10-17', Statement };
}
