import { SignJWT, jwtVerify } from 'jose';
import { authContextClaims, CLAIMS, identityFromClaims, type Identity } from './identity';

/**
 * The gateway forwards the verified identity to subgraphs as a short-lived HS256 assertion signed
 * with a secret only the gateway and the subgraphs hold (INTERNAL_IDENTITY_SECRET). A subgraph
 * ignores identity headers it cannot verify, so a client calling a subgraph directly, or forging
 * the header through the gateway, is anonymous.
 */
const ISSUER = 'baas-gateway';
const AUDIENCE = 'baas-subgraph';
const TTL_SECONDS = 60;

function secretKey(secret: string): Uint8Array {
  return new TextEncoder().encode(secret);
}

export async function signIdentityAssertion(identity: Identity, secret: string): Promise<string> {
  return new SignJWT({
    [CLAIMS.kind]: identity.kind,
    [CLAIMS.tenant]: identity.tenantId,
    [CLAIMS.scope]: identity.scopes.join(' '),
    ...authContextClaims(identity),
  })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(identity.subject)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(`${TTL_SECONDS}s`)
    .sign(secretKey(secret));
}

/** Returns the identity, or null when the assertion is absent, expired or not signed with the secret. */
export async function verifyIdentityAssertion(assertion: string | undefined, secret: string): Promise<Identity | null> {
  if (!assertion) return null;
  try {
    const { payload } = await jwtVerify(assertion, secretKey(secret), { issuer: ISSUER, audience: AUDIENCE, algorithms: ['HS256'] });
    return identityFromClaims(payload);
  } catch {
    return null;
  }
}
