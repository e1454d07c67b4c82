/**
 * Authorisation outcomes and the response codes networks send for them. Codes follow ISO 8583:1987 field 39
 * (DE39) as Visa and Mastercard commonly use them; where networks differ the choice is noted.
 */

export type DeclineReason =
  | 'DO_NOT_HONOUR'
  | 'INVALID_TRANSACTION'
  | 'INVALID_AMOUNT'
  | 'INVALID_CARD_NUMBER'
  | 'FORMAT_ERROR'
  | 'LOST_CARD'
  | 'STOLEN_CARD'
  | 'INSUFFICIENT_FUNDS'
  | 'EXPIRED_CARD'
  | 'TRANSACTION_NOT_PERMITTED'
  | 'SUSPECTED_FRAUD'
  | 'EXCEEDS_AMOUNT_LIMIT'
  | 'RESTRICTED_CARD'
  | 'EXCEEDS_FREQUENCY'
  | 'CARD_NOT_ACTIVE'
  | 'BAD_CVV'
  | 'AUTHENTICATION_REQUIRED'
  | 'ISSUER_UNAVAILABLE'
  | 'SYSTEM_ERROR';

export type ResponseReason = 'APPROVED' | DeclineReason;
export type ResponseCodeEntry = { readonly code: string; readonly text: string };

export const RESPONSE_CODES: Readonly<Record<ResponseReason, ResponseCodeEntry>> = Object.freeze({
  APPROVED: { code: '00', text: 'Approved' },
  DO_NOT_HONOUR: { code: '05', text: 'Do not honour' },
  INVALID_TRANSACTION: { code: '12', text: 'Invalid transaction' },
  INVALID_AMOUNT: { code: '13', text: 'Invalid amount' },
  INVALID_CARD_NUMBER: { code: '14', text: 'Invalid card number' },
  FORMAT_ERROR: { code: '30', text: 'Format error' },
  LOST_CARD: { code: '41', text: 'Lost card, pick up' },
  STOLEN_CARD: { code: '43', text: 'Stolen card, pick up' },
  INSUFFICIENT_FUNDS: { code: '51', text: 'Insufficient funds' },
  EXPIRED_CARD: { code: '54', text: 'Expired card' },
  // 57 covers a control that forbids this kind of transaction for this card: MCC, channel or country.
  TRANSACTION_NOT_PERMITTED: { code: '57', text: 'Transaction not permitted to cardholder' },
  SUSPECTED_FRAUD: { code: '59', text: 'Suspected fraud' },
  EXCEEDS_AMOUNT_LIMIT: { code: '61', text: 'Exceeds amount limit' },
  // 62 also answers a wallet payment whose network token is suspended or deleted (the card itself may still pay).
  RESTRICTED_CARD: { code: '62', text: 'Restricted card' },
  EXCEEDS_FREQUENCY: { code: '65', text: 'Exceeds frequency limit' },
  // 78 is Visa's "blocked, first used": the card exists but has not been activated yet.
  CARD_NOT_ACTIVE: { code: '78', text: 'Card not activated' },
  // N7 is Visa's CVV2 failure (the CVV checked here is the printed CVV2); '82' is the older generic CVV code.
  BAD_CVV: { code: 'N7', text: 'Decline for CVV2 failure' },
  // 1A is Visa's "additional customer authentication required" (Mastercard's 65 in the EEA is taken by frequency here):
  // an ONLINE purchase above the tenant's requireThreeDsAbove without a verified 3-D Secure challenge.
  AUTHENTICATION_REQUIRED: { code: '1A', text: 'Additional customer authentication required' },
  ISSUER_UNAVAILABLE: { code: '91', text: 'Issuer or switch inoperative' },
  SYSTEM_ERROR: { code: '96', text: 'System malfunction' },
});

/** Codes other than the table's that a network may still send and that mean one of our reasons. */
const ALIASES: Readonly<Record<string, ResponseReason>> = Object.freeze({ '82': 'BAD_CVV', '10': 'APPROVED', '85': 'APPROVED' });

const BY_CODE: ReadonlyMap<string, ResponseReason> = new Map(
  (Object.entries(RESPONSE_CODES) as [ResponseReason, ResponseCodeEntry][]).map(([reason, entry]) => [entry.code, reason]),
);

/** The DE39 response code for a reason. */
export function responseCodeFor(reason: ResponseReason): string {
  return RESPONSE_CODES[reason].code;
}

/** The reason a DE39 code stands for (aliases included), or undefined for a code outside the table. */
export function reasonForCode(code: string): ResponseReason | undefined {
  return BY_CODE.get(code) ?? (Object.hasOwn(ALIASES, code) ? ALIASES[code] : undefined);
}

/** True for the codes that approve: '00', and '10' (partial approval) and '85' (no reason to decline). */
export function isApprovalCode(code: string): boolean {
  return reasonForCode(code) === 'APPROVED';
}
