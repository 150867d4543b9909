/**
 * An SDK error as one clear sentence: what was denied, throttled, missing or unreachable. `err.name` is the wire code
 * (AWS-NOTES.md); HEAD answers carry none, so the status code decides there. Messages never carry credentials.
 */

export interface ErrorText {
  readonly code: string;
  readonly message: string;
  readonly status?: number;
}

const THROTTLING = new Set([
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'SlowDown',
  'RequestLimitExceeded',
  'TooManyRequestsException',
  'RequestThrottled',
  'RequestThrottledException',
  'ProvisionedThroughputExceededException',
]);
const DENIED = new Set(['AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation', 'AuthorizationError', 'Forbidden', 'AllAccessDisabled']);
const EXPIRED = new Set(['ExpiredToken', 'ExpiredTokenException', 'RequestExpired', 'TokenRefreshRequired']);
const BAD_CREDENTIALS = new Set(['InvalidAccessKeyId', 'InvalidClientTokenId', 'SignatureDoesNotMatch', 'UnrecognizedClientException', 'IncompleteSignature']);
const NETWORK = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE', 'ETIMEDOUT', 'UND_ERR_SOCKET']);

interface SdkError {
  name?: string;
  code?: string;
  message?: string;
  $fault?: string;
  $metadata?: { httpStatusCode?: number; attempts?: number };
  cause?: unknown;
}

/** The first text a message may safely show: one line, bounded. */
function short(text: string | undefined): string {
  const line = (text ?? '').split('\n')[0]!.trim();
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
}

export function describeError(err: unknown, action: string, timeoutMs: number): ErrorText {
  const e = (err ?? {}) as SdkError;
  const status = e.$metadata?.httpStatusCode;
  const attempts = e.$metadata?.attempts;
  const tries = attempts && attempts > 1 ? ` after ${attempts} attempts` : '';
  const name = e.name ?? 'Error';
  const causeCode = (e.cause as SdkError | undefined)?.code;
  const netCode = e.code ?? causeCode;
  const withStatus = status !== undefined ? { status } : {};
  if (name === 'AbortError' || name === 'TimeoutError' || (e.message ?? '').includes('aborted')) {
    return { code: 'TimeOut', message: `${action} timed out after ${timeoutMs / 1000} s (--call-timeout)` };
  }
  if (netCode && NETWORK.has(netCode)) {
    return { code: 'Unreachable', message: `${action}: the endpoint could not be reached (${netCode})` };
  }
  if (DENIED.has(name) || (status === 403 && !EXPIRED.has(name) && !BAD_CREDENTIALS.has(name))) {
    return { code: 'AccessDenied', message: `AccessDenied on ${action}: grant it to the scanning role (phi-audit iam-policy)`, ...withStatus };
  }
  if (EXPIRED.has(name)) {
    return { code: name, message: `${action}: the session token has expired (${name}); refresh the credentials and run again`, ...withStatus };
  }
  if (BAD_CREDENTIALS.has(name)) {
    return { code: name, message: `${action}: the credentials were not accepted (${name})`, ...withStatus };
  }
  if (THROTTLING.has(name) || status === 429) {
    return { code: 'Throttled', message: `${action} was throttled (${name})${tries}; lower --concurrency or run again`, ...withStatus };
  }
  if (e.$fault === 'server' || (status !== undefined && status >= 500)) {
    return { code: 'ServerError', message: `${action}: AWS answered with a server error (${status ?? name})${tries}`, ...withStatus };
  }
  if (name === 'CredentialsProviderError' || /credential/i.test(name)) {
    return { code: 'NoCredentials', message: `${action}: no AWS credentials: ${short(e.message)}` };
  }
  return { code: name, message: `${action}: ${name}${e.message && e.message !== name ? `: ${short(e.message)}` : ''}`, ...withStatus };
}
