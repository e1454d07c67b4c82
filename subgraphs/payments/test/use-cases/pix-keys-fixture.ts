import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Identity } from '@baas/auth';
import { createPrismaClient } from '@baas/db';
import { isDomainError } from '@baas/errors';
import { createTestDatabase } from '@baas/testing';
import type { PaymentAccount } from '../../src/clients/accounts/client';
import { PrismaClient } from '../../src/generated/prisma/client';
import { createPixKeyStore } from '../../src/store/pix-key-store';
import { createPixLookupLimitStore } from '../../src/store/pix-lookup-limit-store';
import type { PixKeyDeps } from '../../src/use-cases/register-pix-key';
import type { KeyCodeNotification } from '../../src/workers/key-code-sender';

/** A DomainError with this code (and, when given, these details). */
export const refusedWith = (code: string, details: Record<string, unknown> = {}) => (error: unknown) => {
  if (!isDomainError(error) || error.code !== code) return false;
  for (const [k, v] of Object.entries(details)) if (error.details?.[k] !== v) return false;
  return true;
};

/** Valid documents (check digits right). */
export const CPF = '529.982.247-25';
export const CNPJ = '11.222.333/0001-81';

/**
 * A real payments database (migrated) and Redis (unique prefix) behind the DICT use cases; the
 * accounts subgraph is an in-test map (a port to another service), codes are recorded, the clock
 * is the test's.
 */
export async function createPixFixture(opts: { perMinute?: number } = {}) {
  const database = await createTestDatabase({ domains: ['payments'] });
  const db = createPrismaClient(PrismaClient, database.url);
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: 2 });
  const prefix = `test:payments:${randomUUID()}:`;
  const accounts = new Map<string, PaymentAccount>();
  const sent: KeyCodeNotification[] = [];
  const clock = { ms: Date.parse('2026-12-07T15:00:05Z') };
  const failSends = { on: false };
  const deps: PixKeyDeps = {
    keys: createPixKeyStore(db),
    lookupLimit: createPixLookupLimitStore(redis, { prefix, perMinute: opts.perMinute ?? 60, clock: () => clock.ms }),
    accounts: { account: async (id) => accounts.get(id) ?? null },
    codes: {
      async send(n) {
        if (failSends.on) throw new Error('notification stream unavailable');
        sent.push(n);
      },
    },
    ispb: '12345678',
    claimResolutionSeconds: 7 * 24 * 3600,
    now: () => new Date(clock.ms),
  };

  /** A customer with an ACTIVE BRL account (or as given), and the customer's identity. */
  function customer(over: Partial<PaymentAccount> = {}) {
    const tenantId = over.tenantId ?? randomUUID();
    const customerId = over.customerId ?? randomUUID();
    const account: PaymentAccount = {
      id: randomUUID(), tenantId, customerId, currency: 'BRL', status: 'ACTIVE', branch: '0001', number: '00123456', checkDigit: '7', ledgerAccountId: randomUUID(), ...over,
    };
    accounts.set(account.id, account);
    const who: Identity = { subject: customerId, kind: 'customer', tenantId, scopes: [] };
    return { account, who };
  }

  /** The last code sent to `to`. */
  const codeFor = (to: string) => [...sent].reverse().find((n) => n.to === to)?.code;
  const events = async (subjectPrefix = 'payments.pix.key') =>
    (await db.paymentEventOutbox.findMany({ where: { subject: { startsWith: subjectPrefix } }, orderBy: { seq: 'asc' } })).map((e) => ({ subject: e.subject, data: JSON.parse(e.payload) as Record<string, unknown> }));

  return {
    db, redis, deps, accounts, sent, clock, failSends, customer, codeFor, events,
    advance: (ms: number) => { clock.ms += ms; },
    async close() {
      await db.$disconnect();
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length) await redis.del(...keys);
      redis.disconnect();
      await database.drop();
    },
  };
}

export type PixFixture = Awaited<ReturnType<typeof createPixFixture>>;
