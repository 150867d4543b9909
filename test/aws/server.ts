/**
 * A local AWS server for tests: one node:http server on 127.0.0.1 that answers the real AWS SDK v3 clients at the
 * wire level (S3 + S3 Control, IAM, STS, CloudTrail, KMS, CloudWatch Logs, RDS, SQS, SageMaker, Bedrock), its state
 * read from a fixture, with faults injectable per test. API and fixture format: test/aws/README.md.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type Account, checkFault, type FaultRule, type Fixture, normalize, readFixture, type State } from './fixture.js';
import { AwsError, faultError, type Protocol, type Reply, renderError, renderOk } from './protocol.js';
import { type Ctx, resourceOf, routeRestJson, routeS3, SERVICES, type ServiceName, type Session } from './services.js';

export type { FaultRule, Fixture } from './fixture.js';

export interface AwsServerOptions {
  /** A fixture file (YAML or JSON), e.g. fixtures/aws/two-accounts.yaml. */
  fixture?: string;
  /** Or the fixture itself (e.g. from test/aws/scale.ts). */
  state?: Fixture;
  /** Milliseconds added to every call (overrides the fixture's latencyMs). */
  latencyMs?: number;
}

/** One call the server received (a retry is a second call). */
export interface CallRecord {
  seq: number;
  service: ServiceName;
  action: string;
  /** Account name in the fixture (undefined when the key was unknown or missing). */
  account: string | undefined;
  accountId: string | undefined;
  region: string | undefined;
  /** Bucket, trail, key, log group, DB, queue, endpoint, user or role the call is about. */
  resource: string | undefined;
  /** Set when the answer is sent: the HTTP status, the error code, the fault applied. */
  status?: number;
  code?: string;
  fault?: FaultRule['kind'];
}

export interface AwsStats {
  total: number;
  /** `service:Action` → count. */
  byAction: Record<string, number>;
  /** Account name → count. */
  byAccount: Record<string, number>;
  inFlight: number;
  peakInFlight: number;
}

export interface Faults {
  /** Adds a rule; returns a function that removes it. */
  add(rule: FaultRule): () => void;
  /** Removes every rule (the fixture's too). */
  clear(): void;
  list(): FaultRule[];
  /** Sets the latency added to every call. */
  setLatency(ms: number): void;
  throttle(action: string, times?: number, match?: Match): () => void;
  serverError(action: string, times?: number, match?: Match & { status?: number }): () => void;
  accessDenied(action: string, match?: Match): () => void;
  expiredToken(action?: string, match?: Match): () => void;
  hang(action: string, match?: Match): () => void;
  closeConnection(action: string, match?: Match): () => void;
  /** Makes every session AssumeRole issued so far expired (their calls answer ExpiredToken). */
  expireSessions(): void;
}

type Match = Pick<FaultRule, 'account' | 'region' | 'resource' | 'times'>;

export interface AwsServer {
  url: string;
  port: number;
  /**
   * Environment for a child process (CLI) signing as the account (name in the fixture; default the first), isolated
   * from any real AWS configuration. A value `undefined` means "unset it": delete those keys before spawning.
   */
  env(account?: string, options?: { region?: string }): Record<string, string | undefined>;
  /** The account's base credentials and default region, for SDK clients in the test process. */
  credentials(account?: string): { accessKeyId: string; secretAccessKey: string; region: string; accountId: string };
  /** The ARN of a role in the fixture: roleArn('prod', 'phi-audit-read'). */
  roleArn(account: string, role: string): string;
  faults: Faults;
  stats(): AwsStats;
  /** The calls received, in order (optionally only those matching). */
  calls(filter?: Partial<CallRecord>): CallRecord[];
  /** Clears counts, the call log and the in-flight peak (to the requests in flight now). */
  reset(): void;
  /** The live state (mutate it to change what the server answers). */
  state: State;
  close(): Promise<void>;
}

interface Pending {
  req: IncomingMessage;
  res: ServerResponse;
  body: string;
}

export async function startAwsServer(options: AwsServerOptions = {}): Promise<AwsServer> {
  let state: State;
  try {
    state = normalize(options.state ?? (options.fixture ? readFixture(options.fixture) : { accounts: {} }));
  } catch (e) {
    throw new Error(`${options.fixture ?? 'state'}: ${(e as Error).message}`);
  }
  if (options.latencyMs !== undefined) state.latencyMs = options.latencyMs;
  const faults: FaultRule[] = state.faults;
  const sessions = new Map<string, Session>();
  const log: CallRecord[] = [];
  let stats = emptyStats();
  const sockets = new Set<Socket>();
  const home = mkdtempSync(path.join(tmpdir(), 'phi-audit-aws-'));
  let url = '';

  const keyOwner = (key: string): Session | undefined => {
    const s = sessions.get(key);
    if (s) return s;
    for (const a of state.accounts.values()) {
      if (a.accessKeys.has(key)) return { account: a, arn: `arn:aws:iam::${a.id}:user/${a.user}`, userId: `AIDA${a.id}`, expires: Infinity };
    }
    return undefined;
  };

  const server = createServer((req, res) => {
    stats.inFlight++;
    stats.peakInFlight = Math.max(stats.peakInFlight, stats.inFlight);
    res.on('close', () => stats.inFlight--);
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      handle({ req, res, body: Buffer.concat(chunks).toString('utf8') }).catch((e: unknown) => {
        if (!res.headersSent) send(res, renderError('json', new AwsError('InternalFailure', 500, `local server bug: ${String(e)}`)));
      });
    });
  });
  // Node closes idle keep-alive sockets after 5 s; a client reusing one just then meets ECONNRESET. Keep them longer.
  server.keepAliveTimeout = 30_000;
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });

  async function handle({ req, res, body }: Pending): Promise<void> {
    const u = new URL(req.url ?? '/', 'http://local');
    const auth = /Credential=([^/]+)\/\d+\/([^/]+)\/([^/]+)\/aws4_request/.exec(String(req.headers.authorization ?? ''));
    const target = String(req.headers['x-amz-target'] ?? '');
    if (!auth) {
      const protocol: Protocol = target ? 'json' : String(req.headers['content-type']).includes('form') ? 'query' : 'rest-xml';
      return send(res, renderError(protocol, faultError(protocol, 'missingAuth')));
    }
    const [, key = '', region = '', signing = ''] = auth;
    const service = (signing === 's3' && u.pathname.startsWith('/v20180820/') ? 's3control' : signing) as ServiceName;
    const def = Object.hasOwn(SERVICES, service) ? SERVICES[service] : undefined;
    if (!def) return send(res, renderError('json', new AwsError('UnknownService', 400, `local server: no service ${signing}`)));
    const params = parseParams(def.protocol, u, body);
    let action: string | undefined;
    if (def.protocol === 'query') action = String(params.Action ?? '');
    else if (def.protocol === 'json' || def.protocol === 'sqs') action = target.slice(target.lastIndexOf('.') + 1);
    else if (service === 's3' || service === 's3control') action = routeS3(service, req.method ?? 'GET', u, params);
    else action = routeRestJson(service, req.method ?? 'GET', u.pathname);
    const session = keyOwner(key);
    const record: CallRecord = {
      seq: log.length + 1,
      service,
      action: action ?? `${req.method} ${u.pathname}`,
      account: session?.account.name,
      accountId: session?.account.id,
      region,
      resource: resourceOf(params),
    };
    log.push(record);
    stats.total++;
    const actionKey = `${service}:${record.action}`;
    stats.byAction[actionKey] = (stats.byAction[actionKey] ?? 0) + 1;
    if (record.account) stats.byAccount[record.account] = (stats.byAccount[record.account] ?? 0) + 1;

    const fault = takeFault(record, session?.account);
    const latency = state.latencyMs + matching(record, session?.account, 'latency').reduce((ms, f) => ms + (f.ms ?? 0), 0);
    if (latency > 0) await sleep(latency);
    const finish = (reply: Reply, code?: string) => {
      record.status = reply.status;
      if (code) record.code = code;
      send(res, reply);
    };
    const fail = (err: AwsError) => finish(renderError(def.protocol, err, service === 's3' ? record.resource : undefined), err.code);
    if (fault) record.fault = fault.kind;
    if (fault?.kind === 'hang') return;
    if (fault?.kind === 'close') {
      record.status = 0;
      req.socket.destroy();
      return;
    }
    if (!session) return fail(faultError(def.protocol, 'unknownKey'));
    // temporary keys are only good with their session token, as on AWS
    if (session.role && req.headers['x-amz-security-token'] !== `token-${key}`) return fail(faultError(def.protocol, 'unknownKey'));
    if (session.expires <= Date.now()) return fail(faultError(def.protocol, 'expiredToken'));
    if (fault) {
      const principal = session.arn;
      switch (fault.kind) {
        case 'throttle':
          return fail(faultError(def.protocol, 'throttle', fault.message));
        case 'serverError':
          return fail(faultError(def.protocol, 'serverError', fault.message, fault.status));
        case 'expiredToken':
          return fail(faultError(def.protocol, 'expiredToken', fault.message));
        case 'accessDenied':
          return fail(faultError(def.protocol, 'accessDenied', fault.message ?? deniedMessage(principal, service, record.action, record.resource)));
        case 'error':
          return fail(new AwsError(fault.code ?? 'InternalFailure', fault.status ?? 400, fault.message ?? fault.code ?? ''));
      }
    }
    const handler = action !== undefined && Object.hasOwn(def.actions, action) ? def.actions[action] : undefined;
    if (!handler)
      return fail(new AwsError(def.protocol === 'rest-xml' ? 'NotImplemented' : 'InvalidAction', 501, `local server: ${actionKey} is not implemented`));
    const ctx: Ctx = {
      service,
      action: action as string,
      account: session.account,
      session,
      region,
      params,
      url,
      headers: req.headers,
      state,
      issue: (s) => {
        const id = `ASIA${Math.random().toString(36).slice(2, 14).toUpperCase().padEnd(12, 'X')}`;
        sessions.set(id, s);
        return id;
      },
    };
    try {
      finish(renderOk(def.protocol, action as string, handler(ctx), def.xmlns ?? ''));
    } catch (e) {
      if (!(e instanceof AwsError)) throw e;
      fail(e);
    }
  }

  /** Non-latency rules apply one at a time: the first that matches and has calls left. */
  function takeFault(record: CallRecord, account: Account | undefined): FaultRule | undefined {
    for (const f of faults) {
      if (f.kind === 'latency' || !matches(f, record, account)) continue;
      if (f.times !== undefined) {
        if (f.times <= 0) continue;
        f.times--;
      }
      return f;
    }
    return undefined;
  }

  function matching(record: CallRecord, account: Account | undefined, kind: FaultRule['kind']): FaultRule[] {
    return faults.filter((f) => f.kind === kind && matches(f, record, account) && (f.times === undefined || f.times-- > 0));
  }

  const add = (rule: FaultRule): (() => void) => {
    const r = checkFault(rule);
    faults.push(r);
    return () => {
      const i = faults.indexOf(r);
      if (i >= 0) faults.splice(i, 1);
    };
  };

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  url = `http://127.0.0.1:${port}`;

  const accountOf = (name?: string): Account => {
    const a = name === undefined ? state.accounts.values().next().value : (state.accounts.get(name) ?? [...state.accounts.values()].find((x) => x.id === name));
    if (!a) throw new Error(`local AWS server: no account ${name ?? '(the fixture has none)'}`);
    return a;
  };
  const credentials = (name?: string) => {
    const a = accountOf(name);
    const [accessKeyId, secretAccessKey] = a.accessKeys.entries().next().value as [string, string];
    return { accessKeyId, secretAccessKey, region: a.region, accountId: a.id };
  };
  // Shared config files with one profile per account, so `--profile <account name>` works too.
  const configFile = path.join(home, 'config');
  const credentialsFile = path.join(home, 'credentials');
  let profiles = '';
  let config = '';
  for (const a of state.accounts.values()) {
    const c = credentials(a.name);
    profiles += `[${a.name}]\naws_access_key_id = ${c.accessKeyId}\naws_secret_access_key = ${c.secretAccessKey}\n\n`;
    config += `[profile ${a.name}]\nregion = ${a.region}\n\n`;
    // and one profile per role, assumed from the first account its trust names, as a team's ~/.aws/config would
    for (const [role, r] of a.roles) {
      const source = [...state.accounts.values()].find((x) => r.trustedBy === undefined || r.trustedBy.includes(x.name) || r.trustedBy.includes(x.id));
      if (source)
        config += `[profile ${a.name}-${role}]\nrole_arn = arn:aws:iam::${a.id}:role/${role}\nsource_profile = ${source.name}\nregion = ${a.region}\n\n`;
    }
  }
  writeFileSync(configFile, config);
  writeFileSync(credentialsFile, profiles);

  return {
    url,
    port,
    state,
    env(account, opts = {}) {
      const c = credentials(account);
      return {
        AWS_ENDPOINT_URL: url,
        AWS_ACCESS_KEY_ID: c.accessKeyId,
        AWS_SECRET_ACCESS_KEY: c.secretAccessKey,
        AWS_SESSION_TOKEN: undefined,
        AWS_REGION: opts.region ?? c.region,
        AWS_DEFAULT_REGION: undefined,
        AWS_PROFILE: undefined,
        AWS_DEFAULT_PROFILE: undefined,
        AWS_ROLE_ARN: undefined,
        AWS_WEB_IDENTITY_TOKEN_FILE: undefined,
        AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: undefined,
        AWS_CONTAINER_CREDENTIALS_FULL_URI: undefined,
        AWS_EC2_METADATA_DISABLED: 'true',
        HOME: home,
        USERPROFILE: home,
        AWS_CONFIG_FILE: configFile,
        AWS_SHARED_CREDENTIALS_FILE: credentialsFile,
      };
    },
    credentials,
    roleArn: (account, role) => `arn:aws:iam::${accountOf(account).id}:role/${role}`,
    faults: {
      add,
      clear: () => {
        faults.length = 0;
      },
      list: () => faults.map((f) => ({ ...f })),
      setLatency: (ms) => {
        state.latencyMs = ms;
      },
      throttle: (action, times, match) => add({ kind: 'throttle', action, ...match, ...(times === undefined ? {} : { times }) }),
      serverError: (action, times, match) => add({ kind: 'serverError', action, ...match, ...(times === undefined ? {} : { times }) }),
      accessDenied: (action, match) => add({ kind: 'accessDenied', action, ...match }),
      expiredToken: (action = '*', match) => add({ kind: 'expiredToken', action, ...match }),
      hang: (action, match) => add({ kind: 'hang', action, ...match }),
      closeConnection: (action, match) => add({ kind: 'close', action, ...match }),
      expireSessions: () => {
        for (const s of sessions.values()) s.expires = 0;
      },
    },
    stats: () => ({ ...stats, byAction: { ...stats.byAction }, byAccount: { ...stats.byAccount } }),
    calls: (filter = {}) =>
      log.filter((c) => Object.entries(filter).every(([k, v]) => v === undefined || c[k as keyof CallRecord] === v)).map((c) => ({ ...c })),
    reset: () => {
      log.length = 0;
      stats = { ...emptyStats(), inFlight: stats.inFlight, peakInFlight: stats.inFlight };
    },
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(home, { recursive: true, force: true });
    },
  };
}

function emptyStats(): AwsStats {
  return { total: 0, byAction: {}, byAccount: {}, inFlight: 0, peakInFlight: 0 };
}

function matches(f: FaultRule, record: CallRecord, account: Account | undefined): boolean {
  const action = f.action ?? '*';
  if (action !== '*') {
    const [svc, op = '*'] = action.split(':');
    if (svc !== record.service || (op !== '*' && op !== record.action)) return false;
  }
  if (f.account !== undefined && f.account !== account?.name && f.account !== account?.id) return false;
  if (f.region !== undefined && f.region !== record.region) return false;
  return f.resource === undefined || f.resource === record.resource;
}

/** IAM action names where they differ from the API operation's, for realistic AccessDenied messages. */
const IAM_ACTIONS: Record<string, string> = {
  's3:ListBuckets': 's3:ListAllMyBuckets',
  's3:GetBucketEncryption': 's3:GetEncryptionConfiguration',
  's3:GetPublicAccessBlock': 's3:GetBucketPublicAccessBlock',
  's3:GetObjectLockConfiguration': 's3:GetBucketObjectLockConfiguration',
  's3control:GetPublicAccessBlock': 's3:GetAccountPublicAccessBlock',
  'logs:DescribeLogGroups': 'logs:DescribeLogGroups',
};

function deniedMessage(principal: string, service: ServiceName, action: string, resource: string | undefined): string {
  const key = `${service}:${action}`;
  const iamAction = IAM_ACTIONS[key] ?? key;
  const on = resource ? ` on resource: ${resource}` : '';
  return `User: ${principal} is not authorized to perform: ${iamAction}${on} because no identity-based policy allows the ${iamAction} action`;
}

function parseParams(protocol: Protocol, u: URL, body: string): Record<string, unknown> {
  const params: Record<string, unknown> = Object.fromEntries(u.searchParams);
  if (protocol === 'query') {
    for (const [k, v] of new URLSearchParams(body)) params[k] = v;
  } else if ((protocol === 'json' || protocol === 'sqs' || protocol === 'rest-json') && body.trim() !== '') {
    for (const [k, v] of Object.entries(JSON.parse(body) as object)) if (k !== '__proto__') params[k] = v;
  }
  if (protocol === 'rest-xml') {
    const bucket = decodeURIComponent(u.pathname.split('/')[1] ?? '');
    if (bucket && bucket !== 'v20180820') params.Bucket = bucket;
  }
  return params;
}

function send(res: ServerResponse, reply: Reply): void {
  if (res.destroyed) return;
  res.writeHead(reply.status, { ...reply.headers, 'content-length': Buffer.byteLength(reply.body) });
  res.end(reply.body);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
