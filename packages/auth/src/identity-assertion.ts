import { createHmac, timingSafeEqual } from 'node:crypto';
import { authContextClaims, CLAIMS, identityFromClaims, type Identity } from './identity';

/**
 * The gateway forwards the verified identity to subgraphs as a short-lived HS256 assertion signed
 * with a secret only the gateway and the subgraphs hold (INTERNAL_IDENTITY_SECRET). A subgraph
 * ignores identity headers it cannot verify, so a client calling a subgraph directly, or forging
 * the header through the gateway, is anonymous.
 *
 * The assertion is a standard compact JWS (RFC 7515/7519, `alg` HS256; any JWT library verifies
 * it), made and checked here with node:crypto's HMAC directly: it is signed on every gateway
 * request and verified on every subgraph request, and WebCrypto's key import per call cost more
 * than the rest of the identity handling together (bench/README.md, "Gateway overhead").
 */
const ISSUER = 'baas-gateway';
const AUDIENCE = 'baas-subgraph';
const TTL_SECONDS = 60;
/** Seconds of clock difference tolerated between the gateway and a subgraph. */
const CLOCK_TOLERANCE_SECONDS = 5;
const HEADER = base64url(JSON.stringify({ alg: 'HS256' }));

function base64url(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url');
}

function mac(secret: string, signingInput: string): Buffer {
  return createHmac('sha256', secret).update(signingInput).digest();
}

export async function signIdentityAssertion(identity: Identity, secret: string): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const payload = {
    [CLAIMS.kind]: identity.kind,
    [CLAIMS.tenant]: identity.tenantId,
    [CLAIMS.scope]: identity.scopes.join(' '),
    ...authContextClaims(identity),
    sub: identity.subject,
    iss: ISSUER,
    aud: AUDIENCE,
    iat: now,
    exp: now + TTL_SECONDS,
  };
  const signingInput = `${HEADER}.${base64url(JSON.stringify(payload))}`;
  return `${signingInput}.${mac(secret, signingInput).toString('base64url')}`;
}

/** Returns the identity, or null when the assertion is absent, malformed, expired or not signed with the secret. */
export async function verifyIdentityAssertion(assertion: string | undefined, secret: string): Promise<Identity | null> {
  if (!assertion) return null;
  const parts = assertion.split('.');
  if (parts.length !== 3) return null;
  const [header, body, signature] = parts as [string, string, string];
  const expected = mac(secret, `${header}.${body}`);
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  try {
    const protectedHeader = JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as Record<string, unknown>;
    if (protectedHeader.alg !== 'HS256' || 'crit' in protectedHeader) return null;
    const payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Record<string, unknown>;
    const now = Math.floor(Date.now() / 1000);
    if (payload.iss !== ISSUER || payload.aud !== AUDIENCE) return null;
    if (typeof payload.exp !== 'number' || payload.exp <= now - CLOCK_TOLERANCE_SECONDS) return null;
    if (typeof payload.iat === 'number' && payload.iat > now + CLOCK_TOLERANCE_SECONDS) return null;
    return identityFromClaims(payload);
  } catch {
    return null;
  }
}
