/**
 * SDK clients for the live checks, loaded only here and only when a live option is given (the CLI imports this module
 * dynamically). Credentials come from the SDK's default chain (or a named profile); an account with `role_arn` is read
 * through a role assumed with STS. Nothing here ever prints, records or returns a credential.
 *
 * Endpoints: the SDK honours AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE> by itself (how tests reach a local
 * server). Two clients need help there: S3 Control puts the account id in front of the host, and SQS sends each call
 * to the host of the queue URL it is given; both are pinned to the configured endpoint.
 */
import http from 'node:http';
import https from 'node:https';
import type { AccountRef } from './accounts.js';
import { CallError, type ClientFactory, type Scope, type SdkClient, type Semaphore } from './caller.js';
import type { ClientName } from './calls.js';
import { describeError } from './errors.js';

// Literal imports, so the bundler keeps each SDK package in a chunk of its own, loaded on first use.
const MODULES: Record<ClientName, () => Promise<Record<string, unknown>>> = {
  s3: () => import('@aws-sdk/client-s3'),
  s3control: () => import('@aws-sdk/client-s3-control'),
  kms: () => import('@aws-sdk/client-kms'),
  cloudtrail: () => import('@aws-sdk/client-cloudtrail'),
  iam: () => import('@aws-sdk/client-iam'),
  logs: () => import('@aws-sdk/client-cloudwatch-logs'),
  rds: () => import('@aws-sdk/client-rds'),
  sqs: () => import('@aws-sdk/client-sqs'),
  sagemaker: () => import('@aws-sdk/client-sagemaker'),
  bedrock: () => import('@aws-sdk/client-bedrock'),
  sts: () => import('@aws-sdk/client-sts'),
};

const CLIENT_CLASS: Record<ClientName, string> = {
  s3: 'S3Client',
  s3control: 'S3ControlClient',
  kms: 'KMSClient',
  cloudtrail: 'CloudTrailClient',
  iam: 'IAMClient',
  logs: 'CloudWatchLogsClient',
  rds: 'RDSClient',
  sqs: 'SQSClient',
  sagemaker: 'SageMakerClient',
  bedrock: 'BedrockClient',
  sts: 'STSClient',
};

const ENV_SUFFIX: Record<ClientName, string> = {
  s3: 'S3',
  s3control: 'S3_CONTROL',
  kms: 'KMS',
  cloudtrail: 'CLOUDTRAIL',
  iam: 'IAM',
  logs: 'CLOUDWATCH_LOGS',
  rds: 'RDS',
  sqs: 'SQS',
  sagemaker: 'SAGEMAKER',
  bedrock: 'BEDROCK',
  sts: 'STS',
};

type Credentials = { accessKeyId: string; secretAccessKey: string; sessionToken?: string; expiration?: Date } | (() => Promise<unknown>);
type Ctor = new (config: Record<string, unknown>) => SdkClient;

export interface SdkClientOptions {
  /** The accounts to read, by the map's account id. */
  readonly accounts: ReadonlyMap<string, AccountRef>;
  /** --profile: the starting profile for accounts that name none. */
  readonly profile?: string | undefined;
  readonly concurrency: number;
  readonly timeoutMs: number;
  /** Shared with the caller, so AssumeRole counts against the same bound. */
  readonly gate: Semaphore;
  /** Counts calls made here (AssumeRole), beside the caller's own. */
  readonly onCall: (action: string) => void;
  /** The environment (AWS_ENDPOINT_URL...), read by the CLI and handed in. */
  readonly env: NodeJS.ProcessEnv;
}

/** The endpoint the environment configures for a client, if any. */
function configuredEndpoint(name: ClientName, env: NodeJS.ProcessEnv): string | undefined {
  const specific = env[`AWS_ENDPOINT_URL_${ENV_SUFFIX[name]}`];
  if (specific) return specific;
  if (name === 's3control' && env.AWS_ENDPOINT_URL_S3) return env.AWS_ENDPOINT_URL_S3;
  return env.AWS_ENDPOINT_URL || undefined;
}

type Chain = (init: { profile?: string }) => unknown;
async function chain(): Promise<Chain> {
  const m = (await import('@aws-sdk/credential-providers')) as { fromNodeProviderChain?: Chain; default?: { fromNodeProviderChain: Chain } };
  return m.fromNodeProviderChain ?? m.default!.fromNodeProviderChain;
}

export function sdkClients(options: SdkClientOptions): ClientFactory {
  const env = options.env;
  const agents = {
    httpAgent: new http.Agent({ keepAlive: true, maxSockets: options.concurrency }),
    httpsAgent: new https.Agent({ keepAlive: true, maxSockets: options.concurrency }),
  };
  const modules = new Map<ClientName, Promise<Record<string, unknown>>>();
  const load = (name: ClientName) => {
    let m = modules.get(name);
    // A bundled CommonJS package may come back with its exports under `default`.
    if (!m) modules.set(name, (m = MODULES[name]().then((x) => (CLIENT_CLASS[name] in x ? x : ((x as { default?: Record<string, unknown> }).default ?? x)))));
    return m;
  };
  const clients = new Map<string, Promise<SdkClient>>();
  const credentials = new Map<string, Promise<Credentials>>();

  const make = async (name: ClientName, region: string, creds: Credentials | undefined): Promise<SdkClient> => {
    const mod = await load(name);
    const endpoint = configuredEndpoint(name, env);
    const config: Record<string, unknown> = { region, requestHandler: agents, maxAttempts: 3, ...(creds ? { credentials: creds } : {}) };
    // Reads only: no request checksums to compute or answers to validate, and no S3 Express sessions to look for.
    if (name === 's3')
      Object.assign(config, {
        followRegionRedirects: true,
        requestChecksumCalculation: 'WHEN_REQUIRED',
        responseChecksumValidation: 'WHEN_REQUIRED',
        disableS3ExpressSessionAuth: true,
        ...(endpoint ? { forcePathStyle: true } : {}),
      });
    if (name === 's3control' && endpoint) config.endpointProvider = () => ({ url: new URL(endpoint) });
    if (name === 'sqs') config.useQueueUrlAsEndpoint = false;
    return new (mod[CLIENT_CLASS[name]] as Ctor)(config);
  };

  // The starting credentials of a profile, or the default chain; then the account's role, when it names one.
  const baseCredentials = async (profile: string | undefined): Promise<Credentials | undefined> => {
    if (!profile) return undefined;
    return (await chain())({ profile }) as Credentials;
  };

  const credentialsFor = (account: AccountRef, region: string): Promise<Credentials> => {
    let c = credentials.get(account.id);
    if (!c) {
      c = (async () => {
        const base = await baseCredentials(account.profile ?? options.profile);
        if (!account.roleArn) {
          if (base) return base;
          return (await chain())({}) as Credentials;
        }
        const sts = await make('sts', region, base);
        const { AssumeRoleCommand } = (await load('sts')) as { AssumeRoleCommand: new (i: unknown) => unknown };
        await options.gate.acquire();
        try {
          const out = (await sts.send(new AssumeRoleCommand({ RoleArn: account.roleArn, RoleSessionName: 'phi-audit', DurationSeconds: 3600 }), {
            abortSignal: AbortSignal.timeout(options.timeoutMs),
          })) as { Credentials?: { AccessKeyId?: string; SecretAccessKey?: string; SessionToken?: string; Expiration?: Date } };
          const k = out.Credentials;
          if (!k?.AccessKeyId || !k.SecretAccessKey)
            throw new CallError('sts:GetCallerIdentity', 'NoCredentials', `AssumeRole ${account.roleArn} returned no credentials`);
          return { accessKeyId: k.AccessKeyId, secretAccessKey: k.SecretAccessKey, ...(k.SessionToken ? { sessionToken: k.SessionToken } : {}) };
        } catch (err) {
          if (err instanceof CallError) throw err;
          const d = describeError(err, 'sts:AssumeRole', options.timeoutMs);
          throw new CallError('sts:GetCallerIdentity', d.code, `could not assume ${account.roleArn} for account ${account.id}: ${d.message}`, d.status);
        } finally {
          options.gate.release();
          options.onCall('sts:AssumeRole');
        }
      })();
      credentials.set(account.id, c);
    }
    return c;
  };

  return {
    client(scope: Scope, name: ClientName) {
      const key = `${scope.account}\u0000${scope.region}\u0000${name}`;
      let c = clients.get(key);
      if (!c) {
        const account = options.accounts.get(scope.account);
        if (!account) throw new Error(`no account ${scope.account}`);
        c = credentialsFor(account, scope.region).then((creds) => make(name, scope.region, creds));
        clients.set(key, c);
      }
      return c;
    },
    async command(name, command, input) {
      const mod = await load(name);
      return new (mod[command] as new (i: unknown) => unknown)(input);
    },
  };
}
