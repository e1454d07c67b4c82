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
  try {
    const { payload } = await jwtVerify(token, keys, {
      issuer: opts.issuer,
      audience: opts.audience,
      algorithms: ['RS256'],
      clockTolerance: 5,
      requiredClaims: ['exp', 'sub'],
    });
    return identityOfToken(payload);
  } catch (error) {
    if (error instanceof Error && error.name === 'DomainError') throw error;
    throw unauthenticated('The access token is not valid.');
  }
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
