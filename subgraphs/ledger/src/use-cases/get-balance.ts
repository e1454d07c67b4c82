import type { Identity } from '@baas/auth';
import { accountBalance } from '../domain/balance';
import type { LedgerAccountRow } from '../store/ledger-account-store';
import { checkLedgerAccountAccess } from './check-ledger-account-access';

/** An account's balances (posted, pending both ways, available) and raw counters, for whoever may read it in full. */
export function getBalance(deps: object, identity: Identity | null, args: { account: LedgerAccountRow }) {
  const a = checkLedgerAccountAccess(deps, identity, args);
  return { ...accountBalance(a), debitsPosted: a.debitsPosted, creditsPosted: a.creditsPosted, debitsPending: a.debitsPending, creditsPending: a.creditsPending };
}
