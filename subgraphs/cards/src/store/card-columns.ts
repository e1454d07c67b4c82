import { Prisma, type Card, type CardAuthorization } from '../generated/prisma/client';

/** cards.card's columns by field (the Prisma model's @map), to read a whole card row in raw SQL. */
export const CARD_COLUMNS: Readonly<Record<keyof Card, string>> = {
  id: 'id', tenantId: 'tenant_id', customerId: 'customer_id', accountId: 'account_id', ledgerAccountId: 'ledger_account_id', currency: 'currency', form: 'form', state: 'state',
  closeReason: 'close_reason', fulfilment: 'fulfilment', brand: 'brand', first6: 'first6', last4: 'last4', panIndex: 'pan_index', expiry: 'expiry', controls: 'controls',
  replacesCardId: 'replaces_card_id', replacedById: 'replaced_by_id', requestHash: 'request_hash', createdAt: 'created_at', updatedAt: 'updated_at', activatedAt: 'activated_at', closedAt: 'closed_at',
};


/** cards.card_authorization's columns by field, to read a whole authorisation row in raw SQL. */
export const AUTHORIZATION_COLUMNS: Readonly<Record<keyof CardAuthorization, string>> = {
  id: 'id', cardId: 'card_id', tenantId: 'tenant_id', customerId: 'customer_id', rrn: 'rrn', stan: 'stan', state: 'state', kind: 'kind', amount: 'amount', captured: 'captured',
  released: 'released', currency: 'currency', mcc: 'mcc', merchant: 'merchant', country: 'country', channel: 'channel', responseCode: 'response_code', declineReason: 'decline_reason',
  approvalCode: 'approval_code', riskScoreBps: 'risk_score_bps', decidedBy: 'decided_by', holds: 'holds', expiresAt: 'expires_at', createdAt: 'created_at', updatedAt: 'updated_at',
};
const UUID_FIELDS = new Set(['id', 'tenantId', 'customerId', 'accountId', 'ledgerAccountId', 'replacesCardId', 'replacedById', 'cardId']);
/** Every column of `alias` as its field (ids as text). */
export const selectColumns = (columns: Readonly<Record<string, string>>, alias: string) =>
  Prisma.raw(Object.entries(columns).map(([field, column]) => `${alias}.${column}${UUID_FIELDS.has(field) ? '::text' : ''} AS "${field}"`).join(', '));

/** Every column of cards.card (alias c) as its field: a whole card row in raw SQL. */
export const SELECT_CARD = selectColumns(CARD_COLUMNS, 'c');
/** Every column of cards.card_authorization (alias a) as its field. */
export const SELECT_AUTHORIZATION = selectColumns(AUTHORIZATION_COLUMNS, 'a');
