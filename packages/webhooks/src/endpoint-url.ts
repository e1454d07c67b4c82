import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { classifyAddress } from './addresses';

/**
 * Whether a webhook endpoint URL may be used, checked when it is registered and again before every
 * delivery (DNS answers change): parsed as a WHATWG URL, `https` only unless `allowHttp`
 * (development, tests), no user or password, no port 0, and every address its host resolves to
 * public (`classifyAddress`); one private answer refuses the whole host. The answer carries the
 * address to connect to, so the connection goes where the check looked (no DNS rebinding).
 */
export type UrlRefusalReason =
  | 'MALFORMED_URL'
  | 'URL_TOO_LONG'
  | 'UNSUPPORTED_SCHEME'
  | 'INSECURE_SCHEME'
  | 'CREDENTIALS_IN_URL'
  | 'DISALLOWED_PORT'
  | 'UNRESOLVABLE'
  | 'PRIVATE_ADDRESS';

export type UrlRefusal = { ok: false; reason: UrlRefusalReason; message: string; range?: string };

export type ResolvedAddress = { address: string; family: 4 | 6 };

export type CheckedEndpoint = {
  ok: true;
  url: URL;
  /** The host without IPv6 brackets (the name TLS verifies and the Host header carries). */
  hostname: string;
  /** Every address the host resolved to (all public), and the one to connect to. */
  addresses: ResolvedAddress[];
  pinned: ResolvedAddress;
};

export type LookupAll = (hostname: string) => Promise<ReadonlyArray<{ address: string; family: number }>>;

export type UrlPolicy = {
  /** Allow `http:` (development and tests); production is `https:` only. */
  allowHttp?: boolean;
  /** Allow loopback addresses (development and tests). */
  allowLoopback?: boolean;
  /** Only these ports (the scheme's default counts as 443/80); any port when absent. */
  allowedPorts?: readonly number[];
  /** How names are resolved (tests); node's getaddrinfo, all answers, when absent. */
  lookup?: LookupAll;
  /** The longest a resolution may take. */
  lookupTimeoutMs?: number;
};

export const MAX_URL_LENGTH = 2048;
const DEFAULT_LOOKUP_TIMEOUT_MS = 5_000;

const refuse = (reason: UrlRefusalReason, message: string, range?: string): UrlRefusal => (range ? { ok: false, reason, message, range } : { ok: false, reason, message });

const systemLookup: LookupAll = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

/** The checks that need no DNS: the parsed URL, or why not. */
export function parseEndpointUrl(raw: string, policy: UrlPolicy = {}): { ok: true; url: URL; hostname: string } | UrlRefusal {
  if (typeof raw !== 'string' || raw.trim() === '') return refuse('MALFORMED_URL', 'The URL is empty.');
  if (raw.length > MAX_URL_LENGTH) return refuse('URL_TOO_LONG', `The URL is longer than ${MAX_URL_LENGTH} characters.`);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return refuse('MALFORMED_URL', 'The URL cannot be parsed.');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return refuse('UNSUPPORTED_SCHEME', `The scheme ${url.protocol.replace(/:$/, '').slice(0, 20)} is not supported: use https.`);
  if (url.protocol === 'http:' && !policy.allowHttp) return refuse('INSECURE_SCHEME', 'Only https URLs are accepted.');
  if (url.username !== '' || url.password !== '') return refuse('CREDENTIALS_IN_URL', 'The URL must not carry a user name or password.');
  const hostname = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  if (hostname === '') return refuse('MALFORMED_URL', 'The URL has no host.');
  const port = url.port === '' ? (url.protocol === 'https:' ? 443 : 80) : Number(url.port);
  if (port === 0) return refuse('DISALLOWED_PORT', 'Port 0 is not a port.');
  if (policy.allowedPorts && !policy.allowedPorts.includes(port)) return refuse('DISALLOWED_PORT', `Port ${port} is not allowed (allowed: ${policy.allowedPorts.join(', ')}).`);
  return { ok: true, url, hostname };
}

async function resolveAll(hostname: string, policy: UrlPolicy): Promise<ReadonlyArray<{ address: string; family: number }> | null> {
  const lookup = policy.lookup ?? systemLookup;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), policy.lookupTimeoutMs ?? DEFAULT_LOOKUP_TIMEOUT_MS);
  });
  try {
    return await Promise.race([lookup(hostname).catch(() => null), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** The full check: parse, then resolve and judge every address. Never throws. */
export async function checkEndpointUrl(raw: string, policy: UrlPolicy = {}): Promise<CheckedEndpoint | UrlRefusal> {
  const parsed = parseEndpointUrl(raw, policy);
  if (!parsed.ok) return parsed;
  const { url, hostname } = parsed;
  const answers = isIP(hostname) ? [{ address: hostname, family: isIP(hostname) }] : await resolveAll(hostname, policy);
  if (!answers || answers.length === 0) return refuse('UNRESOLVABLE', `The host ${hostname.slice(0, 253)} does not resolve.`);
  const addresses: ResolvedAddress[] = [];
  for (const answer of answers) {
    const verdict = classifyAddress(answer.address, { allowLoopback: policy.allowLoopback ?? false });
    if (!verdict.allowed) return refuse('PRIVATE_ADDRESS', `The host resolves to a non-public address (${verdict.range}).`, verdict.range);
    addresses.push({ address: verdict.address, family: verdict.family });
  }
  return { ok: true, url, hostname, addresses, pinned: addresses[0]! };
}
