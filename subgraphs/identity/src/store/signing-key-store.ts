import type { SigningKey as SigningKeyModel } from '../generated/prisma/client';
import type { Db } from './db';

export type SigningKeyRow = SigningKeyModel;

/** Every statement on identity.signing_key. */
export function createSigningKeyStore(db: Db) {
  return {
    find: (kid: string) => db.signingKey.findUnique({ where: { kid } }),
    /** Every key not retired, or retired after `since`, in activation order. */
    listLive: (since: Date) =>
      db.signingKey.findMany({ where: { OR: [{ retiredAt: null }, { retiredAt: { gt: since } }] }, orderBy: { activatesAt: 'asc' } }),
    /** Stores a new key and retires every current one at `retireAt`, in one transaction. */
    insertRetiringOthers: async (key: { kid: string; publicJwk: object; privateSealed: string; activatesAt: Date }, retireAt: Date) => {
      const write = async (tx: Db) => {
        await tx.signingKey.updateMany({ where: { retiredAt: null }, data: { retiredAt: retireAt } });
        await tx.signingKey.create({ data: key });
      };
      if ('$transaction' in db) await db.$transaction((tx) => write(tx));
      else await write(db);
    },
  };
}

export type SigningKeyStore = ReturnType<typeof createSigningKeyStore>;
