import type { PiiVault } from '@baas/pii';
import type { RiskPort } from '@baas/policy';
import { derivedUuid } from '@baas/server';
import { written, type LedgerClient, type LedgerWrite } from '../clients/ledger/client';
import type { DecisionPort } from '../clients/decision/client';
import type { AuthorizationRow } from '../store/authorization-store';
import type { CardEvent } from '../store/card-events';
import type { AuthorizingCard, CardLookupStore } from '../store/card-lookup-store';
import type { AuthorizationStore } from '../store/authorization-store';
import type { CardTransactionStore } from '../store/card-transaction-store';
import type { ChallengeStore } from '../store/challenge-store';
import type { NetworkTokenStore } from '../store/network-token-store';
import type { VelocityStore } from '../store/velocity-store';

/** Structural logger (pino fits). Never given a PAN, CVV or expiry. */
export type NetworkLogger = { warn(obj: Record<string, unknown>, msg: string): void; error(obj: Record<string, unknown>, msg: string): void };

/** Everything processNetworkMessage needs; the composition root (create-cards-subgraph.ts) builds it. */
export type NetworkDeps = {
  readonly cards: Pick<CardLookupStore, 'byPanIndex' | 'settings'>;
  readonly authorizations: AuthorizationStore;
  readonly transactions: CardTransactionStore;
  readonly velocity: VelocityStore;
  readonly ledger: Pick<LedgerClient, 'createAccounts' | 'createTransfers' | 'postPending' | 'voidPending'>;
  /** The shared @baas/pii vault: the PAN's blind index, and the tenant's sealed decision secret. */
  readonly vault: Pick<PiiVault, 'blindIndex' | 'decrypt'>;
  /** The CVV key (HMAC), at least 16 bytes. */
  readonly cvvKey: Uint8Array;
  /** The shared risk port (@baas/policy createRiskPort over the risk client: timeout and the tenant's fail mode). */
  readonly risk: RiskPort;
  /** The tenant decision webhook (clients/decision createDecisionClient); absent: no tenant is asked. */
  readonly decision?: DecisionPort;
  /** Wallet tokens: a message naming one (DE123) is declined 62 unless it is this card's and ACTIVE; absent: such a message is 14. */
  readonly tokens?: Pick<NetworkTokenStore, 'stateOf'>;
  /** 3-D Secure challenges: a verified one is spent on the ONLINE authorisation that names it (DE48). */
  readonly challenges?: Pick<ChallengeStore, 'use' | 'release'>;
  /** Days a hold lives before the ledger expires it (default 7). */
  readonly holdDays?: number;
  readonly now?: () => Date;
  readonly logger?: NetworkLogger;
};

export const DEFAULT_HOLD_DAYS = 7;

/** Ledger codes cards writes. */
export const CARDS_LEDGER_CODES = { CARD_SETTLEMENT: 940 } as const;
export const CARDS_TRANSFER_CODES = { CARD_PURCHASE: 30, CARD_REFUND: 31 } as const;

/** The card settlement clearing account of a currency (derived id: every process names the same one). */
export const settlementAccountId = (currency: string): string => derivedUuid(`cards:settlement:${currency.toUpperCase()}`);

/** Ledger ids of an authorisation's hold pieces and their resolutions, and of a movement's direct transfers. */
export const holdIds = (authorizationId: string, n: number) => {
  const hold = derivedUuid(`cards:auth:${authorizationId}:hold:${n}`);
  return { hold, post: derivedUuid(`${hold}:post`), void: derivedUuid(`${hold}:void`) };
};
export const directTransferId = (transactionId: string, part: string): string => derivedUuid(`cards:tx:${transactionId}:${part}`);

const ensured = new WeakMap<object, Set<string>>();

/** Opens the settlement clearing account of `currency` once per process (a repeat answers REPLAYED). */
export async function ensureSettlementAccount(deps: Pick<NetworkDeps, 'ledger'>, currency: string): Promise<string> {
  const id = settlementAccountId(currency);
  const done = ensured.get(deps.ledger) ?? new Set<string>();
  ensured.set(deps.ledger, done);
  if (done.has(id)) return id;
  const [result] = await deps.ledger.createAccounts([{ id, tenantId: null, customerId: null, currency, code: CARDS_LEDGER_CODES.CARD_SETTLEMENT, flags: [], metadata: { purpose: 'cards settlement clearing' } }]);
  if (!written(result as LedgerWrite)) throw new Error(`the ledger refused the cards settlement account: ${result?.error}`);
  done.add(id);
  return id;
}

/** Resolutions the ledger answers for a piece that is no longer held (voided, expired, never created). */
const GONE = new Set(['PENDING_TRANSFER_NOT_FOUND', 'PENDING_TRANSFER_EXPIRED', 'PENDING_TRANSFER_ALREADY_EXPIRED', 'PENDING_TRANSFER_ALREADY_VOIDED']);
export const isGone = (w: LedgerWrite | undefined): boolean => w !== undefined && w.error !== null && GONE.has(w.error);

/** Voids pieces; those already gone count as voided. Throws on any other refusal. */
export async function voidPieces(deps: Pick<NetworkDeps, 'ledger'>, authorizationId: string, pieces: readonly number[]): Promise<void> {
  if (pieces.length === 0) return;
  const results = await deps.ledger.voidPending(pieces.map((n) => ({ id: holdIds(authorizationId, n).void, pendingId: holdIds(authorizationId, n).hold })));
  const failed = results.find((r) => !written(r) && !isGone(r));
  if (failed) throw new Error(`the ledger refused to void a card hold: ${failed.error}`);
}

/** Places hold piece `n` (customer -> settlement, pending); answers the ledger's refusal code, or null when held. */
export async function holdPiece(deps: Pick<NetworkDeps, 'ledger'>, card: Pick<AuthorizingCard, 'ledgerAccountId' | 'currency'>, authorizationId: string, n: number, amount: bigint, timeoutSeconds: number): Promise<string | null> {
  const settlement = await ensureSettlementAccount(deps, card.currency);
  const [result] = await deps.ledger.createTransfers([
    { id: holdIds(authorizationId, n).hold, debitAccountId: card.ledgerAccountId, creditAccountId: settlement, amount, currency: card.currency, code: CARDS_TRANSFER_CODES.CARD_PURCHASE, pending: true, timeoutSeconds, metadata: { authorizationId, hold: n } },
  ]);
  return written(result) ? null : (result?.error ?? 'LEDGER_REFUSED');
}

/** A posted transfer between the customer and settlement (`toCustomer`: a refund); answers the refusal code or null. */
export async function postDirect(deps: Pick<NetworkDeps, 'ledger'>, card: Pick<AuthorizingCard, 'ledgerAccountId' | 'currency'>, id: string, amount: bigint, toCustomer: boolean, metadata: Record<string, unknown>): Promise<string | null> {
  const settlement = await ensureSettlementAccount(deps, card.currency);
  const [debit, credit] = toCustomer ? [settlement, card.ledgerAccountId] : [card.ledgerAccountId, settlement];
  const [result] = await deps.ledger.createTransfers([
    { id, debitAccountId: debit, creditAccountId: credit, amount, currency: card.currency, code: toCustomer ? CARDS_TRANSFER_CODES.CARD_REFUND : CARDS_TRANSFER_CODES.CARD_PURCHASE, metadata },
  ]);
  return written(result) ? null : (result?.error ?? 'LEDGER_REFUSED');
}

/** A cards event about an authorisation or a movement: ids, tenant, customer, amount as a decimal string, never the PAN. */
export function cardEvent(
  subject: string,
  eventKey: string,
  card: Pick<AuthorizingCard, 'id' | 'tenantId' | 'customerId' | 'last4'>,
  fields: { amount: bigint; currency: string; mcc?: string | null; merchant?: string | null; responseCode: string; authorizationId?: string | null; transactionId?: string | null; [k: string]: unknown },
): CardEvent {
  return {
    eventId: derivedUuid(`cards:event:${subject}:${eventKey}`),
    subject,
    data: { cardId: card.id, tenantId: card.tenantId, customerId: card.customerId, last4: card.last4, ...fields, amount: fields.amount.toString() },
  };
}

/** The card fields an event needs, from an authorisation row and the card. */
export const authorizationEventFields = (row: AuthorizationRow) => ({
  authorizationId: row.id,
  currency: row.currency,
  mcc: row.mcc,
  merchant: row.merchant,
});
