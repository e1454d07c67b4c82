import type { Identity } from '@baas/auth';
import { badInput, DomainError, forbidden } from '@baas/errors';
import { createOrReplay, requestFingerprint } from '@baas/idempotency';
import { initialCardState, type CardForm } from '../domain/card-states';
import { expiryFor } from '../domain/expiry';
import { panFromSequence, panParts } from '../domain/pan';
import { formatSpendControls } from '../domain/parse-spend-controls';
import type { SpendControls } from '../domain/spend-controls';
import { keyInScope, keyOutOfScope, mayIssueOn } from '../permissions';
import type { CardEvent } from '../store/card-events';
import type { CardRow, CardTx } from '../store/card-store';
import { PAN_INDEX_CONTEXT, panSealContext } from '../store/pan-index';
import { cardEvent, controlsJson, derivedId, parseControlsInput, readControls, requireUuid, requireWithinBounds, type CardDeps } from './card-deps';

export type IssueCardInput = { id: string; accountId: string; form: string; controls?: unknown };

export const ISSUE_CARD_FINGERPRINT_KIND = 'cards.issue-card/v1';

/** What a new card is made from: the account's owner and ledger account, its form and controls. */
export type NewCardSpec = {
  id: string;
  tenantId: string;
  customerId: string;
  accountId: string;
  ledgerAccountId: string;
  currency: string;
  form: CardForm;
  controls: string;
  requestHash: string;
  replacesCardId: string | null;
};

/**
 * Writes a new card inside the caller's transaction: the next sequence under the BIN (row-locked
 * until commit), the PAN (BIN + sequence + Luhn digit) sealed in the vault and indexed blind, only
 * first6/last4 on the card; the card's `events(card)` appended last. The PAN leaves this function
 * in no form but the sealed one and the index.
 */
export async function writeNewCard(deps: CardDeps, tx: CardTx, spec: NewCardSpec, now: Date, events: (card: CardRow) => CardEvent[]): Promise<CardRow> {
  const sequence = await deps.cards.nextSequence(tx, deps.settingsOf.bin);
  const pan = panFromSequence(deps.settingsOf.bin, sequence);
  const { first6, last4 } = panParts(pan);
  const initial = initialCardState(spec.form);
  const card = {
    ...spec,
    state: initial.state,
    fulfilment: initial.fulfilment,
    brand: deps.settingsOf.brand,
    first6,
    last4,
    panIndex: deps.pii.blindIndex(pan, PAN_INDEX_CONTEXT),
    expiry: expiryFor(now, deps.settingsOf.validityYears),
    createdAt: now,
    activatedAt: initial.state === 'ACTIVE' ? now : null,
  };
  const vault = { sealedPan: deps.pii.encrypt(pan, panSealContext(spec.id)), keyId: deps.pii.activeKeyId };
  // The row as it will be stored, for the events (the insert returns the same).
  const preview = { ...card, closeReason: null, replacedById: null, updatedAt: now, closedAt: null } as CardRow;
  return deps.cards.insert(tx, card, vault, events(preview));
}

function parseForm(raw: string): CardForm {
  if (raw !== 'VIRTUAL' && raw !== 'PHYSICAL') throw badInput('form is VIRTUAL or PHYSICAL.', { field: 'form', reason: 'UNKNOWN_FORM' });
  return raw;
}

/**
 * Issues a card on an account the caller may issue on (its customer, or its tenant's client with
 * cards:write; FORBIDDEN otherwise, whether or not the account exists) that is ACTIVE
 * (ACCOUNT_FROZEN, ACCOUNT_CLOSED). Controls are checked (BAD_USER_INPUT details.field/reason)
 * and must stay within the tenant's bounds (OUTSIDE_TENANT_BOUNDS). Virtual cards are ACTIVE at
 * once; physical ones PENDING_ACTIVATION and ORDERED. `input.id` is the card's id and the
 * idempotency key: the same request answers the same card, another is IDEMPOTENCY_KEY_REUSED,
 * another tenant's or customer's id FORBIDDEN. Event cards.card.issued in the same transaction.
 */
export async function issueCard(deps: CardDeps, who: Identity, input: IssueCardInput): Promise<CardRow> {
  const now = deps.now?.() ?? new Date();
  const id = requireUuid(input.id, 'id');
  const accountId = requireUuid(input.accountId, 'accountId');
  const form = parseForm(input.form);
  const controls: SpendControls = parseControlsInput(input.controls ?? {});
  const account = await deps.accounts.account(accountId);
  if (!account || !mayIssueOn(who, account)) throw forbidden();
  if (account.status === 'FROZEN') throw new DomainError('ACCOUNT_FROZEN', undefined, { field: 'accountId' });
  if (account.status === 'CLOSED') throw new DomainError('ACCOUNT_CLOSED', undefined, { field: 'accountId' });
  // Bounds are read at issue (before the transaction: it holds a connection); a later tightening leaves issued cards' own controls, and effective controls take the stricter.
  const bounds = readControls((await deps.settings.get(account.tenantId)).controls);
  const hash = requestFingerprint(ISSUE_CARD_FINGERPRINT_KIND, { accountId, form, controls: formatSpendControls(controls) });

  const outcome = await createOrReplay<CardRow, CardTx>({
    hash,
    storedHash: (row) => row.requestHash,
    scope: (row) => keyInScope(who, row),
    outOfScope: keyOutOfScope,
    transaction: (work) => deps.cards.transaction(work),
    find: (tx) => deps.cards.findById(id, tx),
    insert: async (tx) => {
      requireWithinBounds(controls, bounds);
      const spec: NewCardSpec = {
        id,
        tenantId: account.tenantId,
        customerId: account.customerId,
        accountId,
        ledgerAccountId: account.ledgerAccountId,
        currency: account.currency,
        form,
        controls: controlsJson(controls),
        requestHash: hash,
        replacesCardId: null,
      };
      return writeNewCard(deps, tx, spec, now, (card) => [cardEvent('cards.card.issued', card, {}, derivedId('cards.card.issued', id))]);
    },
  });
  return outcome.row;
}
