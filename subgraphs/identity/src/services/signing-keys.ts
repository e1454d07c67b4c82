import { exportJWK, generateKeyPair, importPKCS8, type CryptoKey, type JWK } from 'jose';
import { createPublicKey, createPrivateKey } from 'node:crypto';

export type SigningKey = { kid: string; privateKey: CryptoKey; publicJwk: JWK };

/**
 * The access-token signing key and the JWKS that publishes its public half. Rotation (several
 * keys, old ones verifying until their tokens expire) comes with the identity issue.
 */
export async function loadSigningKey(opts: { pem?: string; kid: string; allowGenerated: boolean }): Promise<SigningKey> {
  if (opts.pem) {
    const privateKey = await importPKCS8(opts.pem, 'RS256');
    const publicJwk = await exportJWK(createPublicKey(createPrivateKey(opts.pem)));
    return { kid: opts.kid, privateKey, publicJwk: { ...publicJwk, kid: opts.kid, alg: 'RS256', use: 'sig' } };
  }
  if (!opts.allowGenerated) throw new Error('JWT_PRIVATE_KEY is required in production');
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  return { kid: opts.kid, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid: opts.kid, alg: 'RS256', use: 'sig' } };
}
