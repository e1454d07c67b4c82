import { exportJWK, exportPKCS8, generateKeyPair, importPKCS8, type CryptoKey, type JWK } from 'jose';
import { createPrivateKey, createPublicKey } from 'node:crypto';

export type SigningKey = { kid: string; privateKey: CryptoKey; publicJwk: JWK };
export type SigningKeyInfo = { kid: string; createdAt: Date; activatesAt: Date; retiredAt: Date | null };

/** The PII-vault context the private halves are sealed under. */
export const SIGNING_KEY_SEAL_CONTEXT = 'identity:signing-key';

/** The configured (bootstrap) key: from PEM, or, outside production, one made for this process. */
export async function loadSigningKey(opts: { pem?: string; kid: string; allowGenerated: boolean }): Promise<SigningKey & { pem: string }> {
  if (opts.pem) {
    const privateKey = await importPKCS8(opts.pem, 'RS256');
    const publicJwk = await exportJWK(createPublicKey(createPrivateKey(opts.pem)));
    return { kid: opts.kid, privateKey, publicJwk: { ...publicJwk, kid: opts.kid, alg: 'RS256', use: 'sig' }, pem: opts.pem };
  }
  if (!opts.allowGenerated) throw new Error('JWT_PRIVATE_KEY is required in production');
  return generateSigningKey(opts.kid);
}

/** A fresh RS256 key pair under `kid`. */
export async function generateSigningKey(kid: string): Promise<SigningKey & { pem: string }> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  return { kid, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' }, pem: await exportPKCS8(privateKey) };
}
