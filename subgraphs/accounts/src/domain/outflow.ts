/**
 * Why an outflow from `from` to `to` cannot happen because of the accounts' states, the same for
 * transfers and FX: the debited account must be ACTIVE (CLOSED → ACCOUNT_CLOSED, FROZEN →
 * ACCOUNT_FROZEN); the credited one must not be CLOSED (ACCOUNT_CLOSED; a FROZEN account still
 * accepts credits). Undefined when both may move.
 */
export function accountStateRefusal(from: { status: string }, to: { status: string }): 'ACCOUNT_CLOSED' | 'ACCOUNT_FROZEN' | undefined {
  if (from.status === 'CLOSED') return 'ACCOUNT_CLOSED';
  if (from.status !== 'ACTIVE') return 'ACCOUNT_FROZEN';
  if (to.status === 'CLOSED') return 'ACCOUNT_CLOSED';
  return undefined;
}

/** An FX quote's status: OPEN, EXECUTED (by a posted execution) or EXPIRED. */
export function quoteStatus(quote: { executedBy: string | null; expiresAt: Date }, now = new Date()): 'OPEN' | 'EXECUTED' | 'EXPIRED' {
  if (quote.executedBy) return 'EXECUTED';
  return quote.expiresAt.getTime() <= now.getTime() ? 'EXPIRED' : 'OPEN';
}
