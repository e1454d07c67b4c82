import { createInternalClient, InternalCallError, type KeepAliveFetch } from '@baas/server';
import { PaymentAccountDocument, TenantRiskFailModeDocument } from './generated/operations';

/** An account as payments sees it (accounts owns it): owner, currency, status, ledger account, branch and number. */
export type PaymentAccount = {
  id: string;
  tenantId: string;
  customerId: string;
  currency: string;
  status: 'ACTIVE' | 'FROZEN' | 'CLOSED';
  branch: string;
  number: string;
  checkDigit: string;
  ledgerAccountId: string;
};

/** Accounts could not be reached: transient. */
export class AccountsUnavailableError extends Error {
  override name = 'AccountsUnavailableError';
}

/**
 * The accounts subgraph as payments uses it, called as the internal service `payments` (it sees
 * every account; the use cases apply payments' own record policies). Lookups are cached briefly per
 * process (an account's owner, currency and ledger account never change; its status may, and is
 * re-read after `ttlMs`).
 */
export function createAccountsClient(opts: { url: string; secret: string; fetchImpl?: KeepAliveFetch; timeoutMs?: number; ttlMs?: number }) {
  const client = createInternalClient({
    service: 'accounts',
    url: opts.url,
    secret: opts.secret,
    caller: { subject: 'payments', kind: 'service', tenantId: null, scopes: [] },
    ...(opts.fetchImpl ? { fetchImpl: opts.fetchImpl } : {}),
    ...(opts.timeoutMs ? { timeoutMs: opts.timeoutMs } : {}),
    toError: (error: InternalCallError) => new AccountsUnavailableError(error.errors.length ? `accounts error: ${error.codes.join(', ')}` : error.message, { cause: error.cause ?? error }),
  });
  const ttlMs = opts.ttlMs ?? 2_000;
  const cache = new Map<string, { at: number; value: Promise<PaymentAccount | null> }>();
  async function fetchAccount(id: string): Promise<PaymentAccount | null> {
    const { account: a } = await client.operation(PaymentAccountDocument, { id }).catch((error: unknown) => {
      // Accounts answers an unknown id to the platform (a service) with NOT_FOUND: there is none.
      const cause = error instanceof AccountsUnavailableError ? error.cause : null;
      if (cause instanceof InternalCallError && cause.codes.length > 0 && cause.codes.every((code) => code === 'NOT_FOUND')) return { account: null };
      throw error;
    });
    if (!a) return null;
    return {
      id: a.id,
      tenantId: a.tenantId,
      customerId: a.customer.id,
      currency: a.currency,
      status: a.status,
      branch: a.branch,
      number: a.number,
      checkDigit: a.checkDigit,
      ledgerAccountId: a.ledgerAccount.id,
    };
  }
  return {
    /** What the tenant's movements do when risk cannot answer (accounts' tenant settings; OPEN by default). */
    async riskFailMode(tenantId: string): Promise<'OPEN' | 'CLOSED'> {
      const { tenantAccountSettings } = await client.operation(TenantRiskFailModeDocument, { tenantId });
      return tenantAccountSettings.riskFailMode;
    },
    /** The account, or null when there is none. */
    account(id: string): Promise<PaymentAccount | null> {
      const hit = cache.get(id);
      if (hit && Date.now() - hit.at < ttlMs) return hit.value;
      const value = fetchAccount(id);
      cache.set(id, { at: Date.now(), value });
      value.catch(() => cache.delete(id));
      if (cache.size > 10_000) cache.delete(cache.keys().next().value!);
      return value;
    },
  };
}

export type AccountsClient = ReturnType<typeof createAccountsClient>;
