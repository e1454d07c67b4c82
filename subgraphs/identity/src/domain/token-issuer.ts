import { signAccessToken, type Identity } from '@baas/auth';
import type { SigningKey } from './signing-key';

export type TokenIssuer = ReturnType<typeof createTokenIssuer>;

export type IssuedAccessToken = { accessToken: string; tokenType: 'Bearer'; expiresIn: number; scope: string };

/** Mints access tokens with the key that signs now (its `kid` tells verifiers which JWKS key). */
export function createTokenIssuer(opts: { key: () => SigningKey; issuer: string; audience: string; accessTtlSeconds: number }) {
  return {
    accessTtlSeconds: opts.accessTtlSeconds,
    async issue(identity: Identity): Promise<IssuedAccessToken> {
      const key = opts.key();
      const accessToken = await signAccessToken(identity, { privateKey: key.privateKey, kid: key.kid }, {
        issuer: opts.issuer,
        audience: opts.audience,
        ttlSeconds: opts.accessTtlSeconds,
      });
      return { accessToken, tokenType: 'Bearer', expiresIn: opts.accessTtlSeconds, scope: identity.scopes.join(' ') };
    },
  };
}
