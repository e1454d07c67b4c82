import { createInternalClient, InternalCallError, type KeepAliveFetch } from '@baas/server';
import { CardAccountDocument, TenantRiskFailModeDocument } from './generated/operations';

/** An account as cards sees it (accounts owns it): owner, tenant, currency, status and ledger account. */
export type CardAccount = {
  id: string;
  tenantId: string;
  customerId: string;
  currency: string;
  status: 'ACTIVE' | 'FROZEN' | 'CLOSED';
  ledgerAccountId: string;
};

/** Accounts could not be reached: transient. */
export class AccountsUnavailableError extends Error {
  override name = 'AccountsUnavailableError';
}

/**
 * The accounts subgraph as cards uses it, called as the internal service `cards` (it sees every
 * account; the use cases apply cards' own record policies). Not cached: an account is read once
 * per card issued, and its status matters at that moment.
 */
export function createAccountsClient(opts: { url: string; secret: string; fetchImpl?: KeepAliveFetch; timeoutMs?: number }) {
  const client = createInternalClient({
    service: 'accounts',
    url: opts.url,
    secret: opts.secret,
    caller: { subject: 'cards', kind: 'service', tenantId: null, scopes: [] },
    ...(opts.fetchImpl ? { fetchImpl: opts.fetchImpl } : {}),
    ...(opts.timeoutMs ? { timeoutMs: opts.timeoutMs } : {}),
    toError: (error: InternalCallError) => new AccountsUnavailableError(error.errors.length ? `accounts error: ${error.codes.join(', ')}` : error.message, { cause: error.cause ?? error }),
  });
  return {
    /** What the tenant's card authorisations do when risk cannot answer (accounts' tenant settings; OPEN by default). */
    async riskFailMode(tenantId: string): Promise<'OPEN' | 'CLOSED'> {
      const { tenantAccountSettings } = await client.operation(TenantRiskFailModeDocument, { tenantId });
      return tenantAccountSettings.riskFailMode;
    },
    /** The account, or null when there is none. */
    async account(id: string): Promise<CardAccount | null> {
      const { account: a } = await client.operation(CardAccountDocument, { id }).catch((error: unknown) => {
        // Accounts answers an unknown id to the platform (a service) with NOT_FOUND: there is none.
        const cause = error instanceof AccountsUnavailableError ? error.cause : null;
        if (cause instanceof InternalCallError && cause.codes.length > 0 && cause.codes.every((code) => code === 'NOT_FOUND')) return { account: null };
        throw error;
      });
      if (!a) return null;
      return { id: a.id, tenantId: a.tenantId, customerId: a.customer.id, currency: a.currency, status: a.status, ledgerAccountId: a.ledgerAccount.id };
    },
  };
}

export type AccountsClient = ReturnType<typeof createAccountsClient>;
