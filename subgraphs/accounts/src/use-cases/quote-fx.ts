import { requireIdentity, type Identity } from '@baas/auth';
import { demand } from '@baas/authz';
import { badInput, DomainError, forbidden } from '@baas/errors';
import { createOrReplay, legacyRequestHash, requestFingerprint } from '@baas/idempotency';
import { isAmountInRange, isMoneyError } from '@baas/money';
import { screenOutflow, type PolicyPorts, type StandingPort } from '@baas/policy';
import { amountArg, isUuid } from '@baas/server';
import { quote as priceQuote } from '../domain/fx';
import { accountStateRefusal } from '../domain/outflow';
import type { RateProvider } from '../domain/rates';
import { mayConvert, mayConvertFor } from '../permissions';
import type { AccountRow } from '../store/account-store';
import type { FxQuoteRow, FxQuoteStore } from '../store/fx-quote-store';
import { loadAccounts } from './load-accounts';

export type QuoteFxDeps = {
  accounts: { findByIds(ids: readonly string[]): Promise<AccountRow[]> };
  quotes: Pick<FxQuoteStore, 'findById' | 'insert'>;
  rates: RateProvider;
  /** The whole policy path, read only (standing, step-up, limits checked, risk). */
  policy: PolicyPorts & { standing: StandingPort };
  config: { FX_SPREAD_BPS: number; FX_QUOTE_TTL_SECONDS: number };
};

export type QuoteFxInput = { id: string; fromAccountId: string; toAccountId: string; sellAmount?: string | null; buyAmount?: string | null };

const optionalAmount = (value: string | null | undefined, field: string) => (value === null || value === undefined ? undefined : amountArg(value, field));

/**
 * Prices a conversion between two ACTIVE accounts of one customer in different currencies and stores the quote,
 * valid for FX_QUOTE_TTL_SECONDS. The id is the idempotency key: the same request returns the stored quote (even
 * after it expired), another request under the same id is IDEMPOTENCY_KEY_REUSED. The policy path runs ahead of
 * time (read only): a quote the customer could never execute is refused now, with the codes execution would give.
 */
export async function quoteFx(deps: QuoteFxDeps, identity: Identity | null, input: QuoteFxInput): Promise<FxQuoteRow> {
  const who = requireIdentity(identity);
  demand(mayConvert(who));
  if (!isUuid(input.id)) throw badInput('id must be a UUID.', { field: 'id' });
  const id = input.id.toLowerCase();
  const sell = optionalAmount(input.sellAmount, 'sellAmount');
  const buy = optionalAmount(input.buyAmount, 'buyAmount');
  if ((sell === undefined) === (buy === undefined)) throw badInput('Give exactly one of sellAmount and buyAmount.', { field: 'sellAmount' });
  const load = async (accountId: string, field: string) => {
    const [row] = await loadAccounts(deps, who, [{ id: accountId, field }]);
    demand(mayConvertFor(who, row!));
    return row!;
  };
  const from = await load(input.fromAccountId, 'fromAccountId');
  const to = await load(input.toAccountId, 'toAccountId');
  if (from.customerId !== to.customerId || from.tenantId !== to.tenantId) throw badInput('Both accounts must belong to the same customer.', { field: 'toAccountId' });
  if (from.currency === to.currency) throw new DomainError('CURRENCY_MISMATCH', 'A conversion needs two accounts in different currencies.', { field: 'toAccountId' });

  const owner = { tenantId: from.tenantId, customerId: from.customerId };
  const hash = requestFingerprint('fx-quote/v1', { ...owner, from: from.id, to: to.id, sell: sell ?? null, buy: buy ?? null });
  const { row } = await createOrReplay({
    hash,
    // Rows written before @baas/idempotency.
    acceptedHashes: [legacyRequestHash({ ...owner, from: from.id, to: to.id, sell: sell?.toString() ?? null, buy: buy?.toString() ?? null })],
    storedHash: (r) => r.requestHash,
    scope: (r) => r.tenantId === who.tenantId,
    outOfScope: () => forbidden(),
    find: () => deps.quotes.findById(id),
    insert: () => priceAndStore(deps, who, { id, from, to, sell, buy, hash }),
  });
  return row;
}

/** Prices the quote, passes the outflow path ahead of time and stores it; null when a concurrent request stored one under the id first. */
async function priceAndStore(
  deps: QuoteFxDeps,
  who: Identity,
  { id, from, to, sell, buy, hash }: { id: string; from: AccountRow; to: AccountRow; sell: bigint | undefined; buy: bigint | undefined; hash: string },
): Promise<FxQuoteRow | null> {
  const refusal = accountStateRefusal(from, to);
  if (refusal) {
    const field = refusal === 'ACCOUNT_FROZEN' || from.status !== 'ACTIVE' ? 'fromAccountId' : 'toAccountId';
    throw new DomainError(refusal, refusal === 'ACCOUNT_CLOSED' ? 'The account is closed.' : 'The account is frozen.', { field });
  }
  const { midRate } = await deps.rates(from.currency, to.currency);
  let priced;
  try {
    priced = priceQuote({ from: from.currency, to: to.currency, midRate, spreadBps: deps.config.FX_SPREAD_BPS, ...(sell !== undefined ? { sellAmountMinor: sell } : { buyAmountMinor: buy! }) });
  } catch (error) {
    if (isMoneyError(error)) throw badInput(error.message, { field: sell !== undefined ? 'sellAmount' : 'buyAmount', reason: error.code });
    throw error;
  }
  // A buy amount can price to a sell amount (or the reverse) no account could ever hold.
  for (const [field, amount] of [['sellAmount', priced.sellAmount.amount], ['buyAmount', priced.buyAmount.amount]] as const) {
    if (!isAmountInRange(amount)) throw badInput(`${field} is out of range once converted.`, { field });
  }
  const outflow = { rail: 'FX', id, tenantId: from.tenantId, customerId: from.customerId, accountId: from.id, amount: priced.sellAmount.amount, currency: from.currency, createdAt: new Date() };
  await screenOutflow(deps.policy, who, outflow);
  return deps.quotes.insert({
    id,
    tenantId: from.tenantId,
    customerId: from.customerId,
    fromAccountId: from.id,
    toAccountId: to.id,
    sellAmount: priced.sellAmount.amount,
    sellCurrency: from.currency,
    buyAmount: priced.buyAmount.amount,
    buyCurrency: to.currency,
    midRate: priced.midRate,
    rate: priced.rate,
    spreadBps: priced.spreadBps,
    spreadAmount: priced.spreadAmount.amount,
    expiresAt: new Date(Date.now() + deps.config.FX_QUOTE_TTL_SECONDS * 1000),
    requestHash: hash,
  });
}
