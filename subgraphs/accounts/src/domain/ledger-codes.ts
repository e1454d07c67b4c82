/** Ledger account codes this subgraph uses (the ledger's `code`: what an account is for). */
export const LEDGER_CODES = {
  /** A customer's account: may not go below zero (DEBITS_MUST_NOT_EXCEED_CREDITS). */
  CUSTOMER: 100,
  /** A sandbox tenant's funding source of play money, per currency (may go negative). */
  SANDBOX_FUNDING: 900,
  /** The platform's FX liquidity account per currency (no tenant). */
  FX_LIQUIDITY: 910,
} as const;

/** Transfer codes. */
export const TRANSFER_CODES = { TRANSFER: 1, SANDBOX_FUNDING: 2, FX_SELL: 3, FX_BUY: 4 } as const;
