import { importJWK, importPKCS8, type CryptoKey, type JWK } from 'jose';
import { randomUUID } from 'node:crypto';
import type { Logger } from '@baas/observability';
import type { PiiVault } from '@baas/pii';
import { generateSigningKey, SIGNING_KEY_SEAL_CONTEXT, type SigningKey, type SigningKeyInfo } from '../domain/signing-key';
import type { SigningKeyStore } from '../store/signing-key-store';

export type KeyRing = {
  /** The key that signs now. */
  current(): SigningKey;
  /** Every key a valid token may name: active, scheduled, and retired ones whose tokens may still be alive. */
  jwks(): { keys: JWK[] };
  list(): SigningKeyInfo[];
  /** Re-reads the table (other instances' rotations). */
  refresh(): Promise<void>;
  /**
   * A new key, published at once and signing after `activateAfterSeconds` (so verifiers that cache the
   * JWKS fetch it before the first token names it); every older key retires at that moment and keeps
   * verifying until the tokens it signed have expired.
   */
  rotate(activateAfterSeconds: number): Promise<SigningKeyInfo>;
  stop(): void;
};

/**
 * Access-token signing keys kept in PostgreSQL (private halves sealed with the PII vault) so every
 * instance signs with the same key and a rotation reaches all of them. The configured key is
 * registered on first start, or when its kid is new (rotation by configuration). Re-reads the keys
 * every `refreshSeconds` in the background until stopped.
 */
export async function createKeyRing(opts: {
  keys: SigningKeyStore;
  vault: PiiVault;
  bootstrap: SigningKey & { pem: string };
  accessTtlSeconds: number;
  refreshSeconds: number;
  logger: Logger;
}): Promise<KeyRing> {
  const { vault } = opts;
  // A key sealed under a vault key this process lacks still verifies (its public half is published) but cannot sign.
  type Loaded = SigningKeyInfo & { key: SigningKey; canSign: boolean };
  let keys: Loaded[] = [];

  if (!(await opts.keys.find(opts.bootstrap.kid))) {
    const now = new Date();
    await opts.keys.insertRetiringOthers(
      { kid: opts.bootstrap.kid, publicJwk: opts.bootstrap.publicJwk as object, privateSealed: vault.encrypt(opts.bootstrap.pem, SIGNING_KEY_SEAL_CONTEXT), activatesAt: now },
      now,
    );
  }

  const graceMs = (opts.accessTtlSeconds + 60) * 1000;
  const refresh = async () => {
    const rows = await opts.keys.listLive(new Date(Date.now() - graceMs));
    const cache = new Map(keys.map((k) => [k.kid, k]));
    keys = await Promise.all(
      rows.map(async (row): Promise<Loaded> => {
        const info = { kid: row.kid, createdAt: row.createdAt, activatesAt: row.activatesAt, retiredAt: row.retiredAt };
        const cached = cache.get(row.kid);
        if (cached) return { ...cached, ...info };
        try {
          const privateKey = await importPKCS8(vault.decrypt(row.privateSealed, SIGNING_KEY_SEAL_CONTEXT), 'RS256');
          return { ...info, key: { kid: row.kid, privateKey, publicJwk: row.publicJwk as JWK }, canSign: true };
        } catch {
          opts.logger.warn({ kid: row.kid }, 'signing key sealed with an unknown PII key: it verifies but cannot sign here');
          return { ...info, key: { kid: row.kid, privateKey: undefined as unknown as CryptoKey, publicJwk: row.publicJwk as JWK }, canSign: false };
        }
      }),
    );
  };
  await refresh();
  await importJWK(opts.bootstrap.publicJwk, 'RS256'); // fails fast on a malformed key

  const timer = setInterval(() => {
    refresh().catch((error: unknown) => opts.logger.warn({ err: error }, 'could not refresh signing keys'));
  }, opts.refreshSeconds * 1000);
  timer.unref();

  return {
    current() {
      const now = Date.now();
      const signers = keys.filter((k) => k.canSign && k.activatesAt.getTime() <= now);
      const key = signers.filter((k) => !k.retiredAt || k.retiredAt.getTime() > now).at(-1) ?? signers.at(-1);
      if (!key) throw new Error('no signing key is active');
      return key.key;
    },
    jwks() {
      const cutoff = Date.now() - graceMs;
      return { keys: keys.filter((k) => !k.retiredAt || k.retiredAt.getTime() > cutoff).map((k) => k.key.publicJwk) };
    },
    list: () => keys.map(({ kid, createdAt, activatesAt, retiredAt }) => ({ kid, createdAt, activatesAt, retiredAt })),
    refresh,
    async rotate(activateAfterSeconds) {
      const fresh = await generateSigningKey(`k-${new Date().toISOString().slice(0, 10)}-${randomUUID().slice(0, 8)}`);
      const activatesAt = new Date(Date.now() + activateAfterSeconds * 1000);
      await opts.keys.insertRetiringOthers(
        { kid: fresh.kid, publicJwk: fresh.publicJwk as object, privateSealed: vault.encrypt(fresh.pem, SIGNING_KEY_SEAL_CONTEXT), activatesAt },
        activatesAt,
      );
      await refresh();
      opts.logger.info({ kid: fresh.kid, activatesAt: activatesAt.toISOString() }, 'signing key rotated');
      return { kid: fresh.kid, createdAt: new Date(), activatesAt, retiredAt: null };
    },
    stop: () => clearInterval(timer),
  };
}
