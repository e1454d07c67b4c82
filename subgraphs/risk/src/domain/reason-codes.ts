/**
 * Reason codes of a risk assessment: stable strings that tenants, operators and the API branch on.
 * Never rename one; add new ones. Listed in the order an assessment names them (the decisive rule
 * first, then the features that drove the score, most telling first).
 */
export const REASON_CODES = {
  /** The payer's customer is a confirmed fraudster (graph distance 0). Always BLOCK. */
  CONFIRMED_FRAUDSTER: 'CONFIRMED_FRAUDSTER',
  /** The tenant's per-currency amount limit is exceeded. */
  AMOUNT_ABOVE_TENANT_LIMIT: 'AMOUNT_ABOVE_TENANT_LIMIT',
  /** The model's score is at or above the tenant's block threshold. */
  MODEL_SCORE_HIGH: 'MODEL_SCORE_HIGH',
  /** The model's score is at or above the tenant's review threshold. */
  MODEL_SCORE_ELEVATED: 'MODEL_SCORE_ELEVATED',
  /** The payer's customer or the payee's holder is within one hop of a confirmed fraudster (distance 0 or 1). */
  CONFIRMED_FRAUD_PROXIMITY: 'CONFIRMED_FRAUD_PROXIMITY',
  /** The payer or payee account's mule fan-in score is at least 0.6. */
  MULE_PATTERN: 'MULE_PATTERN',
  /** A payee that the payer has not paid in 180 days, for at least 3 times the payer's 30-day mean. */
  NEW_PAYEE_LARGE_AMOUNT: 'NEW_PAYEE_LARGE_AMOUNT',
  /** The amount is at least 5 times the payer's 30-day mean. */
  AMOUNT_ABOVE_PROFILE: 'AMOUNT_ABOVE_PROFILE',
  /** A device not seen for this customer in 90 days. */
  NEW_DEVICE: 'NEW_DEVICE',
  /** A client IP not seen for this customer in 90 days. */
  NEW_IP: 'NEW_IP',
  /** 3 or more movements out of the payer account in the last hour. */
  VELOCITY_1H: 'VELOCITY_1H',
  /** The payee account received from 5 or more movements in the last 24 hours. */
  PAYEE_FAN_IN_24H: 'PAYEE_FAN_IN_24H',
  /** The payer's customer shares identifiers with others: a group of 3 or more customers. */
  SHARED_IDENTIFIER_RING: 'SHARED_IDENTIFIER_RING',
  /** The payer account was opened less than 30 days ago. */
  NEW_ACCOUNT: 'NEW_ACCOUNT',
  /** Between 00:00 and 05:59 in the customer's local time. */
  UNUSUAL_HOUR: 'UNUSUAL_HOUR',
} as const;

export type ReasonCode = (typeof REASON_CODES)[keyof typeof REASON_CODES];

export const ALL_REASON_CODES: readonly ReasonCode[] = Object.values(REASON_CODES);
