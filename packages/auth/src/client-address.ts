import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The network address of the client behind a request, as the gateway saw it (its socket peer, or the
 * first X-Forwarded-For hop when TRUST_PROXY is on), forwarded to subgraphs in this header for per-caller
 * quotas (sign-in code sends, guessing). Anonymous requests carry it too (they have no identity
 * assertion). It is signed with INTERNAL_IDENTITY_SECRET under its own purpose, so a client cannot
 * choose its address by sending the header itself, and an identity assertion is never mistaken for it.
 */
export const CLIENT_ADDRESS_HEADER = 'x-baas-client-address';

const PURPOSE = 'baas-client-address/v1';
const TTL_SECONDS = 60;
const CLOCK_TOLERANCE_SECONDS = 5;
/** Addresses are IPv4/IPv6 text (with a zone or mapped prefix at most): anything longer or odd is refused. */
const ADDRESS = /^[0-9A-Za-z.:%_-]{1,64}$/;

function mac(secret: string, input: string): Buffer {
  return createHmac('sha256', secret).update(`${PURPOSE}.${input}`).digest();
}

/** `<address>.<expiry epoch seconds>.<HMAC>`, valid for 60 s. */
export function signClientAddress(address: string, secret: string, nowSeconds = Math.floor(Date.now() / 1000)): string {
  const safe = ADDRESS.test(address) ? address : 'unknown';
  const input = `${Buffer.from(safe, 'utf8').toString('base64url')}.${nowSeconds + TTL_SECONDS}`;
  return `${input}.${mac(secret, input).toString('base64url')}`;
}

/** The address the gateway vouched for, or null when the header is absent, forged, malformed or expired. */
export function verifyClientAddress(value: string | undefined, secret: string, nowSeconds = Math.floor(Date.now() / 1000)): string | null {
  if (!value || value.length > 300) return null;
  const parts = value.split('.');
  if (parts.length !== 3) return null;
  const [encoded, expiry, signature] = parts as [string, string, string];
  const expected = mac(secret, `${encoded}.${expiry}`);
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  if (!/^\d{1,12}$/.test(expiry) || Number(expiry) <= nowSeconds - CLOCK_TOLERANCE_SECONDS) return null;
  const address = Buffer.from(encoded, 'base64url').toString('utf8');
  return ADDRESS.test(address) ? address : null;
}
