import { randomUUID } from 'node:crypto';
import type { Identity } from '@baas/auth';
import { createPrismaClient } from '@baas/db';
import { createTestDatabase, type TestDatabase } from '@baas/testing';
import type { PaymentAccount } from '../../src/clients/accounts/client';
import { PrismaClient } from '../../src/generated/prisma/client';
import { createPixChargeStore } from '../../src/store/pix-charge-store';
import type { PixChargeDeps } from '../../src/use-cases/create-pix-charge';
import { createChargeSigner } from '../../src/workers/charge-signer';

export const BASE_URL = 'http://127.0.0.1:4104/pix/v2/cob';

/** A payments database, a charge store, and the accounts and keys ports as in-test functions. */
export async function startChargeFixture() {
  const database: TestDatabase = await createTestDatabase({ domains: ['payments'] });
  const db = createPrismaClient(PrismaClient, database.url, { max: 4 });
  const accounts = new Map<string, PaymentAccount>();
  const keys = new Map<string, string[]>();
  let now = new Date('2026-03-02T15:00:00Z');
  const signer = await createChargeSigner({ locationBaseUrl: BASE_URL });
  const deps: PixChargeDeps = {
    charges: createPixChargeStore(db),
    signer,
    accounts: { account: async (id) => accounts.get(id) ?? null },
    activeKeyOf: async (accountId, key) => {
      const own = keys.get(accountId) ?? [];
      const value = key === undefined ? own[0] : own.find((k) => k === key);
      return value ? { type: value.includes('@') ? 'EMAIL' : 'EVP', value } : null;
    },
    locationBaseUrl: BASE_URL,
    merchantCity: 'SAO PAULO',
    now: () => now,
  };

  /** An ACTIVE BRL account of a new customer with one key, and that customer's identity. */
  function customer(opts: { tenantId?: string; key?: string | null; status?: PaymentAccount['status'] } = {}) {
    const tenantId = opts.tenantId ?? randomUUID();
    const customerId = randomUUID();
    const account: PaymentAccount = {
      id: randomUUID(), tenantId, customerId, currency: 'BRL', status: opts.status ?? 'ACTIVE', branch: '0001', number: '123456', checkDigit: '7', ledgerAccountId: randomUUID(),
    };
    accounts.set(account.id, account);
    if (opts.key !== null) keys.set(account.id, [opts.key ?? `${customerId.slice(0, 8)}@example.com`]);
    const who: Identity = { kind: 'customer', subject: customerId, tenantId, scopes: [] };
    return { account, who };
  }

  return {
    db,
    deps,
    customer,
    setNow: (at: Date | string) => void (now = new Date(at)),
    async outbox(subject: string): Promise<Record<string, unknown>[]> {
      const rows = await db.paymentEventOutbox.findMany({ where: { subject }, orderBy: { seq: 'asc' } });
      return rows.map((r) => JSON.parse(r.payload) as Record<string, unknown>);
    },
    async close() {
      await db.$disconnect();
      await database.drop();
    },
  };
}

export type ChargeFixture = Awaited<ReturnType<typeof startChargeFixture>>;

/** A cob input for `accountId`. */
export const cobInput = (accountId: string, over: Record<string, unknown> = {}) => ({ id: randomUUID(), kind: 'COB', accountId, amount: '1050', ...over });

/** Whether `e` is a DomainError with `code` (and details matching `details`). */
export const coded = (code: string, details: Record<string, unknown> = {}) => (e: unknown) => {
  const err = e as { code?: string; details?: Record<string, unknown> };
  return err.code === code && Object.entries(details).every(([k, v]) => err.details?.[k] === v);
};
