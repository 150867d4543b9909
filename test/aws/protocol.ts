/** Wire shapes of the AWS protocols the local server speaks: bodies, errors, and each protocol's fault codes. */

export type Protocol = 'rest-xml' | 'query' | 'json' | 'sqs' | 'rest-json';

/** An AWS error answer: the handlers throw it, the protocol renders it. */
export class AwsError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    /** SQS: the query-compatible code in `x-amzn-query-error` (defaults to code). */
    readonly queryCode?: string,
    /** Extra response headers (S3's redirect names the bucket's region). */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export interface Reply {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** XML text for a value under a tag: an array repeats the tag, an object nests, a Date is ISO-8601. */
export function toXml(value: unknown, tag: string): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return value.map((v) => toXml(v, tag)).join('');
  if (value instanceof Date) return `<${tag}>${value.toISOString()}</${tag}>`;
  if (typeof value === 'object') {
    let inner = '';
    for (const [k, v] of Object.entries(value)) inner += toXml(v, k);
    return `<${tag}>${inner}</${tag}>`;
  }
  return `<${tag}>${escapeXml(String(value))}</${tag}>`;
}

const escapeXml = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Query protocol lists are wrapped: `<Users><member>...</member></Users>` (RDS names its members). */
export const members = (items: unknown[], name = 'member'): Record<string, unknown[]> => ({ [name]: items });

/** JSON protocols carry timestamps as epoch seconds. */
export const epochSeconds = (d: Date | string): number => Math.floor(new Date(d).getTime() / 1000);

export function requestId(): string {
  return `${Date.now().toString(16)}-${Math.random().toString(16).slice(2, 10)}`;
}

const XML = { 'content-type': 'text/xml' };
const S3_NS = 'http://s3.amazonaws.com/doc/2006-03-01/';

/** A successful answer. rest-xml: data is `{ Root: {...} }`, a string (raw body, e.g. a bucket policy) or undefined. */
export function renderOk(protocol: Protocol, action: string, data: unknown, xmlns: string): Reply {
  const rid = requestId();
  switch (protocol) {
    case 'rest-xml': {
      const headers = { 'x-amz-request-id': rid };
      if (data === undefined) return { status: 200, headers, body: '' };
      if (typeof data === 'string') return { status: 200, headers: { ...headers, 'content-type': 'application/json' }, body: data };
      const [root, inner] = Object.entries(data as object)[0] as [string, unknown];
      const xml = toXml(inner, root).replace(`<${root}>`, `<${root} xmlns="${S3_NS}">`);
      return { status: 200, headers: { ...headers, ...XML }, body: `<?xml version="1.0" encoding="UTF-8"?>\n${xml}` };
    }
    case 'query': {
      const body = `<${action}Response xmlns="${xmlns}">${toXml(data ?? {}, `${action}Result`)}<ResponseMetadata><RequestId>${rid}</RequestId></ResponseMetadata></${action}Response>`;
      return { status: 200, headers: { ...XML, 'x-amzn-requestid': rid }, body };
    }
    case 'json':
    case 'sqs':
      return {
        status: 200,
        headers: { 'content-type': `application/x-amz-json-${protocol === 'sqs' ? '1.0' : '1.1'}`, 'x-amzn-requestid': rid },
        body: JSON.stringify(data ?? {}),
      };
    case 'rest-json':
      return { status: 200, headers: { 'content-type': 'application/json', 'x-amzn-requestid': rid }, body: JSON.stringify(data ?? {}) };
  }
}

export function renderError(protocol: Protocol, err: AwsError, resource?: string): Reply {
  const reply = renderErrorBody(protocol, err, resource);
  return { ...reply, headers: { ...reply.headers, ...err.headers } };
}

function renderErrorBody(protocol: Protocol, err: AwsError, resource?: string): Reply {
  const rid = requestId();
  const { code, status, message } = err;
  switch (protocol) {
    case 'rest-xml': {
      const extra = resource ? { BucketName: resource } : {};
      const body = `<?xml version="1.0" encoding="UTF-8"?>\n${toXml({ Code: code, Message: message, ...extra, RequestId: rid }, 'Error')}`;
      return { status, headers: { ...XML, 'x-amz-request-id': rid }, body };
    }
    case 'query': {
      const type = status >= 500 ? 'Receiver' : 'Sender';
      const body = `<ErrorResponse>${toXml({ Type: type, Code: code, Message: message }, 'Error')}<RequestId>${rid}</RequestId></ErrorResponse>`;
      return { status, headers: { ...XML, 'x-amzn-requestid': rid }, body };
    }
    case 'json':
      return {
        status,
        headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': rid },
        body: JSON.stringify({ __type: code, message }),
      };
    case 'sqs': {
      const headers = {
        'content-type': 'application/x-amz-json-1.0',
        'x-amzn-requestid': rid,
        'x-amzn-query-error': `${err.queryCode ?? code};${status >= 500 ? 'Receiver' : 'Sender'}`,
      };
      return { status, headers, body: JSON.stringify({ __type: `com.amazonaws.sqs#${code}`, message }) };
    }
    case 'rest-json':
      return {
        status,
        headers: { 'content-type': 'application/json', 'x-amzn-requestid': rid, 'x-amzn-errortype': code },
        body: JSON.stringify({ message }),
      };
  }
}

type FaultError = 'throttle' | 'serverError' | 'accessDenied' | 'expiredToken' | 'missingAuth' | 'unknownKey';

/** Each protocol's code and status for a fault, as the real services answer. */
const FAULT_CODES: Record<Protocol, Record<FaultError, [string, number]>> = {
  'rest-xml': {
    throttle: ['SlowDown', 503],
    serverError: ['InternalError', 500],
    accessDenied: ['AccessDenied', 403],
    expiredToken: ['ExpiredToken', 400],
    missingAuth: ['AccessDenied', 403],
    unknownKey: ['InvalidAccessKeyId', 403],
  },
  query: {
    throttle: ['Throttling', 400],
    serverError: ['InternalFailure', 500],
    accessDenied: ['AccessDenied', 403],
    expiredToken: ['ExpiredToken', 403],
    missingAuth: ['MissingAuthenticationToken', 403],
    unknownKey: ['InvalidClientTokenId', 403],
  },
  json: {
    throttle: ['ThrottlingException', 400],
    serverError: ['InternalFailure', 500],
    accessDenied: ['AccessDeniedException', 400],
    expiredToken: ['ExpiredTokenException', 400],
    missingAuth: ['MissingAuthenticationTokenException', 403],
    unknownKey: ['UnrecognizedClientException', 400],
  },
  sqs: {
    throttle: ['RequestThrottled', 403],
    serverError: ['InternalFailure', 500],
    accessDenied: ['AccessDenied', 403],
    expiredToken: ['ExpiredToken', 403],
    missingAuth: ['MissingAuthenticationToken', 403],
    unknownKey: ['InvalidClientTokenId', 403],
  },
  'rest-json': {
    throttle: ['ThrottlingException', 429],
    serverError: ['InternalServerException', 500],
    accessDenied: ['AccessDeniedException', 403],
    expiredToken: ['ExpiredTokenException', 403],
    missingAuth: ['MissingAuthenticationTokenException', 403],
    unknownKey: ['UnrecognizedClientException', 403],
  },
};

const MESSAGES: Record<FaultError, string> = {
  throttle: 'Rate exceeded',
  serverError: 'We encountered an internal error. Please try again.',
  accessDenied: 'Access Denied',
  expiredToken: 'The security token included in the request is expired',
  missingAuth: 'Request is missing Authentication Token',
  unknownKey: 'The security token included in the request is invalid.',
};

export function faultError(protocol: Protocol, kind: FaultError, message = MESSAGES[kind], status?: number): AwsError {
  const [code, defaultStatus] = FAULT_CODES[protocol][kind];
  return new AwsError(code, status ?? defaultStatus, message);
}
