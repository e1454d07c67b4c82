import type { PrismaClient } from '../generated/prisma/client';

/** Every statement on accounts.fx_quote but the claim made with an execution's saga (saga-store insertClaimingQuote). */

/** A stored FX quote. */
export type FxQuoteRow = Awaited<ReturnType<PrismaClient['fxQuote']['findUniqueOrThrow']>>;

/** A priced quote to store (amounts in minor units; rates as decimal strings). */
export type NewFxQuote = {
  id: string;
  tenantId: string;
  customerId: string;
  fromAccountId: string;
  toAccountId: string;
  sellAmount: bigint;
  sellCurrency: string;
  buyAmount: bigint;
  buyCurrency: string;
  midRate: string;
  rate: string;
  spreadBps: number;
  spreadAmount: bigint;
  expiresAt: Date;
  requestHash: string;
};

export function createFxQuoteStore(db: PrismaClient) {
  return {
    findById(id: string): Promise<FxQuoteRow | null> {
      return db.fxQuote.findUnique({ where: { id } });
    },
    /** Stores the quote unless its id is taken (then null: a concurrent request stored one first). */
    async insert(q: NewFxQuote): Promise<FxQuoteRow | null> {
      const inserted = await db.$executeRaw`
        INSERT INTO accounts.fx_quote (id, tenant_id, customer_id, from_account_id, to_account_id, sell_amount, sell_currency, buy_amount, buy_currency,
                                       mid_rate, rate, spread_bps, spread_amount, expires_at, request_hash)
        VALUES (${q.id}::uuid, ${q.tenantId}::uuid, ${q.customerId}::uuid, ${q.fromAccountId}::uuid, ${q.toAccountId}::uuid, ${q.sellAmount}, ${q.sellCurrency},
                ${q.buyAmount}, ${q.buyCurrency}, ${q.midRate}, ${q.rate}, ${q.spreadBps}, ${q.spreadAmount}, ${q.expiresAt}, ${q.requestHash})
        ON CONFLICT (id) DO NOTHING`;
      return inserted ? db.fxQuote.findUniqueOrThrow({ where: { id: q.id } }) : null;
    },
    /** Gives the quote back after its execution `sagaId` failed, so it can be executed again before it expires (idempotent). */
    async release(quoteId: string, sagaId: string): Promise<void> {
      await db.fxQuote.updateMany({ where: { id: quoteId, executedBy: sagaId }, data: { executedBy: null } });
    },
  };
}

export type FxQuoteStore = ReturnType<typeof createFxQuoteStore>;
