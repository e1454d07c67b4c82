import type { PrismaClient } from '../generated/prisma/client';
import { createApiClientStore } from './api-client-store';
import { createCustomerStore } from './customer-store';
import type { Db } from './db';
import { createDomainEventOutboxStore } from './domain-event-outbox-store';
import { createNotificationOutboxStore } from './notification-outbox-store';
import { createPasskeyRecoveryStore } from './passkey-recovery-store';
import { createPasskeyStore } from './passkey-store';
import { createSessionStore } from './session-store';
import { createSignInChallengeStore } from './sign-in-challenge-store';
import { createSigningKeyStore } from './signing-key-store';
import { createTenantStore } from './tenant-store';

function storesOver(db: Db) {
  return {
    tenants: createTenantStore(db),
    customers: createCustomerStore(db),
    apiClients: createApiClientStore(db),
    sessions: createSessionStore(db),
    passkeys: createPasskeyStore(db),
    recoveries: createPasskeyRecoveryStore(db),
    challenges: createSignInChallengeStore(db),
    outbox: createNotificationOutboxStore(db),
    events: createDomainEventOutboxStore(db),
    signingKeys: createSigningKeyStore(db),
  };
}

/** The identity PostgreSQL stores, over one transaction. */
export type IdentityTxStores = ReturnType<typeof storesOver>;

/** The identity PostgreSQL stores, and `transaction` to run several statements as one unit (the same stores over the transaction). */
export type IdentityStores = IdentityTxStores & { transaction<T>(work: (tx: IdentityTxStores) => Promise<T>): Promise<T> };

export function createIdentityStores(db: PrismaClient): IdentityStores {
  return { ...storesOver(db), transaction: (work) => db.$transaction((tx) => work(storesOver(tx))) };
}
