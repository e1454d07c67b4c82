import type { Identity } from '@baas/auth';
import { demand } from '@baas/authz';
import { maySeeLedgerAccount } from '../permissions';
import type { LedgerAccountRow } from '../store/ledger-account-store';

/**
 * Balances, history and owner are the account holder's business: an account reached through a
 * transfer (a counterparty's) shows its id and kind and nothing else (FORBIDDEN). Returns the account.
 */
export function checkLedgerAccountAccess(_deps: object, identity: Identity | null, args: { account: LedgerAccountRow }): LedgerAccountRow {
  demand(maySeeLedgerAccount(identity, args.account));
  return args.account;
}
