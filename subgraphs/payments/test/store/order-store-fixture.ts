import { after, before } from 'node:test';
import { randomUUID } from 'node:crypto';
import { createPrismaClient } from '@baas/db';
import { createTestDatabase, type TestDatabase } from '@baas/testing';
import { PrismaClient } from '../../src/generated/prisma/client';
import { createPaymentOrderStore, type NewOrderRow } from '../../src/store/payment-order-store';

/**
 * The payment order store on a database of its own (real PostgreSQL), made before the enclosing
 * describe's tests and dropped after them. Call it inside `describe`.
 */
export function orderStoreFixture() {
  let database: TestDatabase;
  const f = {} as { db: PrismaClient; store: ReturnType<typeof createPaymentOrderStore> };
  before(async () => {
    database = await createTestDatabase({ domains: ['payments'] });
    f.db = createPrismaClient(PrismaClient, database.url);
    f.store = createPaymentOrderStore(f.db);
  });
  after(async () => {
    await f.db?.$disconnect();
    await database?.drop();
  });
  return f;
}

/** A new order's row fields (an outgoing refund by default), fresh ids, with `over` applied. */
export const orderFields = (over: Partial<NewOrderRow> = {}): NewOrderRow & { id: string } => ({
  id: randomUUID(),
  tenantId: randomUUID(),
  customerId: randomUUID(),
  accountId: randomUUID(),
  ledgerAccountId: randomUUID(),
  direction: 'OUT',
  kind: 'REFUND',
  feeAmount: 0n,
  endToEndId: `D12345678${Date.now()}${randomUUID().replace(/-/g, '').slice(0, 11)}`.slice(0, 32),
  returnOfId: null,
  counterparty: {},
  counterpartyAccountId: null,
  pixKey: null,
  chargeTxid: null,
  description: null,
  railData: {},
  requestHash: 'h',
  nextAttemptAt: null,
  ...over,
});
