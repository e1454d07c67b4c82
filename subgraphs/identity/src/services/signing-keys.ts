import { exportJWK, exportPKCS8, generateKeyPair, importJWK, importPKCS8, type CryptoKey, type JWK } from 'jose';
import { createPrivateKey, createPublicKey, randomUUID } from 'node:crypto';
import type { Logger } from '@baas/observability';
import type { PiiVault } from '@baas/pii';
import type { PrismaClient } from '../generated/prisma/client';

export type SigningKey = { kid: string; privateKey: CryptoKey; publicJwk: JWK };
export type SigningKeyInfo = { kid: string; createdAt: Date; activatesAt: Date; retiredAt: Date | null };

const SEAL_CONTEXT = 'identity:signing-key';

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

async function generateSigningKey(kid: string): Promise<SigningKey & { pem: string }> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  return { kid, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' }, pem: await exportPKCS8(privateKey) };
}

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
 * registered on first start, or when its kid is new (rotation by configuration).
 */
export async function createKeyRing(opts: {
  db: PrismaClient;
  vault: PiiVault;
  bootstrap: SigningKey & { pem: string };
  accessTtlSeconds: number;
  refreshSeconds: number;
  logger: Logger;
}): Promise<KeyRing> {
  const { db, vault } = opts;
  // A key sealed under a vault key this process lacks still verifies (its public half is published) but cannot sign.
  type Loaded = SigningKeyInfo & { key: SigningKey; canSign: boolean };
  let keys: Loaded[] = [];

  const known = await db.signingKey.findUnique({ where: { kid: opts.bootstrap.kid } });
  if (!known) {
    const now = new Date();
    await db.$transaction([
      db.signingKey.updateMany({ where: { retiredAt: null }, data: { retiredAt: now } }),
      db.signingKey.create({
        data: { kid: opts.bootstrap.kid, publicJwk: opts.bootstrap.publicJwk as object, privateSealed: vault.encrypt(opts.bootstrap.pem, SEAL_CONTEXT), activatesAt: now },
      }),
    ]);
  }

  const graceMs = (opts.accessTtlSeconds + 60) * 1000;
  const refresh = async () => {
    const rows = await db.signingKey.findMany({
      where: { OR: [{ retiredAt: null }, { retiredAt: { gt: new Date(Date.now() - graceMs) } }] },
      orderBy: { activatesAt: 'asc' },
    });
    const cache = new Map(keys.map((k) => [k.kid, k]));
    keys = await Promise.all(
      rows.map(async (row): Promise<Loaded> => {
        const info = { kid: row.kid, createdAt: row.createdAt, activatesAt: row.activatesAt, retiredAt: row.retiredAt };
        const cached = cache.get(row.kid);
        if (cached) return { ...cached, ...info };
        try {
          const privateKey = await importPKCS8(vault.decrypt(row.privateSealed, SEAL_CONTEXT), 'RS256');
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
      await db.$transaction([
        db.signingKey.updateMany({ where: { retiredAt: null }, data: { retiredAt: activatesAt } }),
        db.signingKey.create({ data: { kid: fresh.kid, publicJwk: fresh.publicJwk as object, privateSealed: vault.encrypt(fresh.pem, SEAL_CONTEXT), activatesAt } }),
      ]);
      await refresh();
      opts.logger.info({ kid: fresh.kid, activatesAt: activatesAt.toISOString() }, 'signing key rotated');
      return { kid: fresh.kid, createdAt: new Date(), activatesAt, retiredAt: null };
    },
    stop: () => clearInterval(timer),
  };
}
