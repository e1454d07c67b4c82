import type { PasskeyCredential } from '../generated/prisma/client';
import type { StoredPasskey } from '../domain/webauthn/types';
import type { Db } from './db';

export type PasskeyRow = PasskeyCredential;

/** A stored passkey as the WebAuthn verification takes it. */
export const storedPasskey = (row: PasskeyRow): StoredPasskey => ({
  credentialId: row.id,
  publicKey: Buffer.from(row.publicKey).toString('base64url'),
  counter: Number(row.counter),
  transports: row.transports,
  deviceType: row.deviceType as StoredPasskey['deviceType'],
  backedUp: row.backedUp,
  createdAt: row.createdAt.toISOString(),
});

/** Every statement on identity.passkey_credential. */
export function createPasskeyStore(db: Db) {
  return {
    find: (id: string) => db.passkeyCredential.findUnique({ where: { id } }),
    /** The customer's passkeys that are not removed, oldest first. */
    listActive: (customerId: string) => db.passkeyCredential.findMany({ where: { customerId, removedAt: null }, orderBy: { createdAt: 'asc' } }),
    /** Every passkey the customer ever registered (removed ones count). */
    countEver: (customerId: string) => db.passkeyCredential.count({ where: { customerId } }),
    insert: (tenantId: string, customerId: string, passkey: StoredPasskey, nickname: string | null) =>
      db.passkeyCredential.create({
        data: {
          id: passkey.credentialId,
          tenantId,
          customerId,
          publicKey: Buffer.from(passkey.publicKey, 'base64url'),
          counter: BigInt(passkey.counter),
          transports: passkey.transports ?? [],
          deviceType: passkey.deviceType,
          backedUp: passkey.backedUp,
          nickname,
        },
      }),
    recordUse: (id: string, use: { counter: number; backedUp: boolean }) =>
      db.passkeyCredential.update({ where: { id }, data: { counter: BigInt(use.counter), backedUp: use.backedUp, lastUsedAt: new Date() } }),
    markRemoved: (id: string) => db.passkeyCredential.update({ where: { id }, data: { removedAt: new Date() } }),
  };
}

export type PasskeyStore = ReturnType<typeof createPasskeyStore>;

/** A unique violation on insert: the credential id is already registered. */
export const isDuplicatePasskey = (error: unknown) => (error as { code?: string } | null)?.code === 'P2002';
