import { SignJWT, jwtVerify, type JWTPayload, type JWTVerifyGetKey, type CryptoKey, type KeyObject } from 'jose';
import { unauthenticated } from '@baas/errors';
import { authContextClaims, authContextFromClaims, CLAIMS, isPrincipalKind, type Identity } from './identity';

export type AccessTokenOptions = { issuer: string; audience: string };

function identityFromClaims(payload: JWTPayload): Identity {
  const kind = payload[CLAIMS.kind];
  const tenant = payload[CLAIMS.tenant];
  const scope = payload[CLAIMS.scope];
  if (typeof payload.sub !== 'string' || !payload.sub) throw unauthenticated('The token has no subject.');
  if (!isPrincipalKind(kind)) throw unauthenticated('The token has no valid principal kind.');
  if (tenant !== undefined && tenant !== null && typeof tenant !== 'string') throw unauthenticated('The token has a bad tenant.');
  if ((kind === 'customer' || kind === 'api_client') && !tenant) throw unauthenticated('The token has no tenant.');
  return {
    subject: payload.sub,
    kind,
    tenantId: typeof tenant === 'string' ? tenant : null,
    scopes: typeof scope === 'string' && scope ? scope.split(' ') : [],
    ...authContextFromClaims(payload),
  };
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
    return identityFromClaims(payload);
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
