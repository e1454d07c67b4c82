import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { performance } from 'node:perf_hooks';
import { checkEndpointUrl, type ResolvedAddress, type UrlPolicy, type UrlRefusalReason } from './endpoint-url';
import { signWebhook } from './signing';

/**
 * One delivery attempt: the URL checked again (`checkEndpointUrl`), then a POST of the JSON body
 * with the Standard Webhooks headers to the very address the check approved (the socket's DNS
 * lookup is replaced by that answer, so a name that re-resolves elsewhere cannot redirect it; TLS
 * still verifies the host name). Redirects are not followed (a 3xx is a failure), the whole attempt
 * has one timeout, at most `maxResponseBytes` of the response are read and then dropped. A
 * receiver's failure is a result, never a throw.
 */
export type DeliveryErrorCode =
  | 'HTTP_STATUS'
  | 'REDIRECT_NOT_FOLLOWED'
  | 'GONE'
  | 'TIMEOUT'
  | 'CONNECTION_FAILED'
  | 'TLS_ERROR'
  | UrlRefusalReason;

export type DeliveryResult = {
  /** A 2xx answer. */
  ok: boolean;
  /** The HTTP status, null when none came. */
  status: number | null;
  latencyMs: number;
  error: DeliveryErrorCode | null;
  /** Response bytes read (at most `maxResponseBytes`; the rest is never read). */
  responseBytes: number;
  /** A `Retry-After` the receiver sent with a 429 or 503 (capped at a day), else null. */
  retryAfterMs: number | null;
  /** The response body as UTF-8, up to `maxResponseBytes` (only when `keepBody`). */
  body?: string;
};

export type DeliveryRequest = {
  url: string;
  /** The endpoint's active secrets, newest first (`activeSecrets`). */
  secrets: readonly string[];
  /** The event id (`webhook-id`). */
  id: string;
  /** The JSON text sent and signed, byte for byte. */
  body: string;
  /** The attempt's time (`webhook-timestamp`); now when absent. */
  timestamp?: Date;
  policy?: UrlPolicy;
  timeoutMs?: number;
  maxResponseBytes?: number;
  userAgent?: string;
  /** CA certificates (PEM) trusted instead of the well-known ones: a local https receiver (development, tests). */
  ca?: string | readonly string[];
  /** Keep the response body (up to maxResponseBytes) in the result: a request whose answer matters (a decision webhook). */
  keepBody?: boolean;
};

export const DEFAULT_DELIVERY_TIMEOUT_MS = 15_000;
export const DEFAULT_MAX_RESPONSE_BYTES = 4096;
const MAX_RETRY_AFTER_MS = 24 * 60 * 60_000;

/** The `Retry-After` value in ms (delta-seconds or an HTTP date), capped; null when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now: Date): number | null {
  if (!value) return null;
  const trimmed = value.trim();
  if (/^\d{1,10}$/.test(trimmed)) return Math.min(Number(trimmed) * 1000, MAX_RETRY_AFTER_MS);
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return null;
  return Math.min(Math.max(at - now.getTime(), 0), MAX_RETRY_AFTER_MS);
}

function errorCodeOf(err: unknown): DeliveryErrorCode {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && (/^ERR_(TLS|SSL)_/.test(code) || /CERT|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)/.test(code) || code === 'EPROTO')) return 'TLS_ERROR';
  return 'CONNECTION_FAILED';
}

/** The socket's lookup: the checked answers only (all of them when it asks for all, to fall back between families). */
function pinnedLookup(addresses: readonly ResolvedAddress[]): LookupFunction {
  const first = addresses[0]!;
  return ((_hostname: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
    if (options?.all) callback(null, addresses.map((a) => ({ address: a.address, family: a.family })));
    else callback(null, first.address, first.family);
  }) as LookupFunction;
}

const classify = (status: number): DeliveryErrorCode | null => {
  if (status >= 200 && status < 300) return null;
  if (status >= 300 && status < 400) return 'REDIRECT_NOT_FOLLOWED';
  if (status === 410) return 'GONE';
  return 'HTTP_STATUS';
};

export async function deliverWebhook(req: DeliveryRequest): Promise<DeliveryResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const failed = (error: DeliveryErrorCode): DeliveryResult => ({ ok: false, status: null, latencyMs: elapsed(), error, responseBytes: 0, retryAfterMs: null });
  const checked = await checkEndpointUrl(req.url, req.policy);
  if (!checked.ok) return failed(checked.reason);
  const timestamp = req.timestamp ?? new Date();
  const body = Buffer.from(req.body, 'utf8');
  const headers = {
    'content-type': 'application/json',
    'content-length': String(body.length),
    'user-agent': req.userAgent ?? 'baas-webhooks/1',
    ...signWebhook(req.secrets, { id: req.id, timestamp, body: req.body }),
  };
  const cap = req.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  const { url, hostname, addresses } = checked;
  const transport = url.protocol === 'https:' ? https : http;

  return new Promise<DeliveryResult>((resolve) => {
    let done = false;
    let status: number | null = null;
    let bytes = 0;
    let retryAfterMs: number | null = null;
    const kept: Buffer[] = [];
    const finish = (error: DeliveryErrorCode | null) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      request.destroy();
      const result: DeliveryResult = { ok: error === null && status !== null, status, latencyMs: elapsed(), error, responseBytes: bytes, retryAfterMs };
      if (req.keepBody) result.body = Buffer.concat(kept).subarray(0, cap).toString('utf8');
      resolve(result);
    };
    const request = transport.request({
      method: 'POST',
      protocol: url.protocol,
      host: hostname,
      port: url.port === '' ? undefined : Number(url.port),
      path: `${url.pathname}${url.search}`,
      headers,
      lookup: pinnedLookup(addresses),
      agent: false,
      ...(req.ca ? { ca: typeof req.ca === 'string' ? req.ca : [...req.ca] } : {}),
    });
    const timer = setTimeout(() => finish('TIMEOUT'), req.timeoutMs ?? DEFAULT_DELIVERY_TIMEOUT_MS);
    request.on('error', (err) => finish(errorCodeOf(err)));
    request.on('response', (res) => {
      status = res.statusCode ?? null;
      if (status === 429 || status === 503) retryAfterMs = parseRetryAfter(res.headers['retry-after'], new Date());
      const verdict = status === null ? 'HTTP_STATUS' : classify(status);
      res.on('data', (chunk: Buffer) => {
        if (req.keepBody) kept.push(chunk);
        bytes = Math.min(cap, bytes + chunk.length);
        if (bytes >= cap) finish(verdict);
      });
      res.on('end', () => finish(verdict));
      res.on('error', () => finish(verdict));
      res.on('aborted', () => finish(verdict));
    });
    request.end(body);
  });
}
