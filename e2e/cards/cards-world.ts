import type { Identity } from '@baas/auth';
import { startRiskWorld, type Customer, type RiskWorld, type Tenant } from '../risk/risk-world';
import { signInWithPasskey, stepUp, type SignedIn } from '../risk/sessions';

/** A tenant backend that issues and manages cards (and reads its customers and accounts). */
export const CARDS_CLIENT_SCOPES = ['customers:read', 'customers:write', 'accounts:read', 'accounts:write', 'tenant:write', 'cards:write'];

export type CardsWorld = RiskWorld & {
  /** The tenant's backend with cards:write. */
  cardsClient(tenant: Tenant): Identity;
  /** The customer signed in as its app would (one-time code), with a passkey registered; its token has no fresh step-up. */
  signIn(customer: Customer): Promise<SignedIn>;
  /** A passkey step-up on the session: the new token may reveal cards. */
  stepUp(session: SignedIn): Promise<SignedIn>;
};

/** A whole platform (risk-world's: every subgraph behind the gateway, sandbox tenants) for the cards scenarios. */
export async function startCardsWorld(env: Record<string, string> = {}): Promise<CardsWorld> {
  const w = await startRiskWorld({ env });
  return {
    ...w,
    cardsClient: (tenant) => ({ ...tenant.client, scopes: CARDS_CLIENT_SCOPES }),
    signIn: (customer) => signInWithPasskey(w, customer),
    stepUp: (session) => stepUp(w, session),
  };
}
