import { SignJWT, jwtVerify, type JWTPayload, type JWTVerifyGetKey, type CryptoKey, type KeyObject } from 'jose';
import { unauthenticated } from '@baas/errors';
import { authContextClaims, CLAIMS, identityFromClaims, type Identity } from './identity';

export type AccessTokenOptions = { issuer: string; audience: string };

function identityOfToken(payload: JWTPayload): Identity {
  try {
    return identityFromClaims(payload);
  } catch (error) {
    throw unauthenticated((error as Error).message);
  }
}

/**
 * Verifies an RS256 access token (signature by `kid` from the JWKS, issuer, audience, expiry with a
 * small clock tolerance) and returns the identity it carries. Any failure is UNAUTHENTICATED.
 */
export async function verifyAccessToken(token: string, keys: JWTVerifyGetKey, opts: AccessTokenOptions): Promise<Identity> {
  return (await verifyAccessTokenClaims(token, keys, opts)).identity;
}

async function verifyAccessTokenClaims(token: string, keys: JWTVerifyGetKey, opts: AccessTokenOptions): Promise<{ identity: Identity; expiresAt: number }> {
  try {
    const { payload } = await jwtVerify(token, keys, {
      issuer: opts.issuer,
      audience: opts.audience,
      algorithms: ['RS256'],
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
      requiredClaims: ['exp', 'sub'],
    });
    return { identity: identityOfToken(payload), expiresAt: payload.exp! };
  } catch (error) {
    if (error instanceof Error && error.name === 'DomainError') throw error;
    throw unauthenticated('The access token is not valid.');
  }
}

const CLOCK_TOLERANCE_SECONDS = 5;

export type AccessTokenVerifierOptions = AccessTokenOptions & {
  /** Most tokens remembered (oldest dropped first). 0 turns the cache off. */
  cacheSize?: number;
  /** Longest a verified token is remembered, in seconds, even when it expires later. */
  cacheSeconds?: number;
  /** For tests. */
  now?: () => number;
};

/**
 * `verifyAccessToken` with a bounded memory of tokens already verified: a client sends the same
 * access token on every request, and the RS256 check (with jose's WebCrypto plumbing) was the
 * largest item of the gateway's own CPU per request. A remembered token is answered until the
 * earlier of its expiry and `cacheSeconds` after it was verified, so a signing key withdrawn from
 * the JWKS stops being honoured within `cacheSeconds`. Only successes are remembered; the key is
 * the whole token, so a token differing in any byte is verified afresh.
 */
export type AccessTokenVerifier = ((token: string) => Promise<Identity>) & {
  /** The identity of a token verified a moment ago and still remembered, with no crypto and no I/O; else null. */
  remembered(token: string): Identity | null;
};

export function createAccessTokenVerifier(keys: JWTVerifyGetKey, opts: AccessTokenVerifierOptions): AccessTokenVerifier {
  const size = opts.cacheSize ?? 10_000;
  const ttl = opts.cacheSeconds ?? 60;
  const now = opts.now ?? (() => Date.now() / 1000);
  const cache = new Map<string, { identity: Identity; until: number }>();
  const remembered = (token: string): Identity | null => {
    const hit = cache.get(token);
    if (!hit) return null;
    if (hit.until > now()) return hit.identity;
    cache.delete(token);
    return null;
  };
  const verify = async (token: string): Promise<Identity> => {
    const hit = remembered(token);
    if (hit) return hit;
    const { identity, expiresAt } = await verifyAccessTokenClaims(token, keys, opts);
    if (size > 0) {
      if (cache.size >= size) cache.delete(cache.keys().next().value!);
      cache.set(token, { identity, until: Math.min(expiresAt + CLOCK_TOLERANCE_SECONDS, now() + ttl) });
    }
    return identity;
  };
  return Object.assign(verify, { remembered });
}

/** Mints an RS256 access token (the identity subgraph's issuer and tests use this). */
export async function signAccessToken(
  identity: Identity,
  key: { privateKey: CryptoKey | KeyObject; kid: string },
  opts: AccessTokenOptions & { ttlSeconds: number; jti?: string },
): Promise<string> {
  const jwt = new SignJWT({
    [CLAIMS.kind]: identity.kind,
    ...(identity.tenantId ? { [CLAIMS.tenant]: identity.tenantId } : {}),
    [CLAIMS.scope]: identity.scopes.join(' '),
    ...authContextClaims(identity),
  })
    .setProtectedHeader({ alg: 'RS256', kid: key.kid, typ: 'JWT' })
    .setSubject(identity.subject)
    .setIssuer(opts.issuer)
    .setAudience(opts.audience)
    .setIssuedAt()
    .setExpirationTime(`${opts.ttlSeconds}s`);
  if (opts.jti) jwt.setJti(opts.jti);
  return jwt.sign(key.privateKey);
}
