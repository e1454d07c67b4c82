/** Ledger account codes payments opens (the ledger's `code`: what an account is for). */
export const PAYMENTS_LEDGER_CODES = {
  /** A rail's clearing (settlement) account per currency: what is in flight to or from other institutions. No tenant. */
  RAIL_CLEARING: 920,
  /** The platform's fee revenue per currency. No tenant. */
  FEES: 930,
} as const;

/** Transfer codes payments writes. */
export const PAYMENTS_TRANSFER_CODES = {
  /** A payment out: customer → rail clearing (a hold, posted at settlement). */
  PAYMENT_OUT: 20,
  /** A payment in: rail clearing → customer. */
  PAYMENT_IN: 21,
  /** A return of a payment out: rail clearing → customer. */
  PAYMENT_RETURN: 22,
  /** A fee: customer → fees (a hold beside the payment's, posted with it). */
  FEE: 23,
} as const;
