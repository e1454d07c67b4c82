import type { AccountBalances } from './types';

/**
 * An account's balances from its TigerBeetle-style counters, in minor units: posted = credits −
 * debits posted; available = posted − pending debits (holds count against it, pending credits do not).
 */
export function accountBalance(a: AccountBalances): { posted: bigint; pendingDebits: bigint; pendingCredits: bigint; available: bigint } {
  return {
    posted: a.creditsPosted - a.debitsPosted,
    pendingDebits: a.debitsPending,
    pendingCredits: a.creditsPending,
    available: a.creditsPosted - a.debitsPosted - a.debitsPending,
  };
}
