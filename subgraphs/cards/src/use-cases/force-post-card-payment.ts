import { derivedUuid } from '@baas/server';
import { responseCodeFor } from '../domain/decline-codes';
import type { NetworkMessage } from '../domain/iso8583';
import { merchantName, networkKey } from '../domain/network-fields';
import type { AuthorizingCard } from '../store/card-lookup-store';
import type { MovementOutcome } from './capture-card-authorization';
import { cardEvent, directTransferId, postDirect, type NetworkDeps } from './network-message-deps';

/**
 * A force-post: a clearing (0220) with no authorisation of this card behind it (or one no longer approved:
 * declined, closed, expired). Posted at once, customer -> settlement. Customer ledger accounts are opened
 * with DEBITS_MUST_NOT_EXCEED_CREDITS, so the ledger never takes them negative: a force-post the balance
 * does not cover is answered 51 and records nothing (the choice made here; the network's dispute process
 * takes it from there). A repeat (same network key) answers '00' and posts nothing again.
 */
export async function forcePostCardPayment(deps: NetworkDeps, card: AuthorizingCard, message: NetworkMessage, authorizationId: string | null = null): Promise<MovementOutcome> {
  const amount = message.amount!;
  const key = networkKey(card.id, message);
  const transactionId = derivedUuid(`cards:tx:${key}`);
  if (await deps.transactions.byNetworkKey(key)) return { code: '00', transactionId };
  const ledgerTransferId = directTransferId(transactionId, 'force-post');
  const refusal = await postDirect(deps, card, ledgerTransferId, amount, false, { transactionId, kind: 'FORCE_POST', rrn: message.rrn });
  if (refusal !== null) return { code: responseCodeFor(refusal === 'INSUFFICIENT_FUNDS' ? 'INSUFFICIENT_FUNDS' : 'DO_NOT_HONOUR') };
  await deps.transactions.recordAlone(
    { id: transactionId, cardId: card.id, tenantId: card.tenantId, customerId: card.customerId, authorizationId, kind: 'FORCE_POST', amount, currency: card.currency, networkKey: key, ledgerTransferId },
    [cardEvent('cards.transaction.force_posted', transactionId, card, { transactionId, authorizationId, amount, currency: card.currency, mcc: message.mcc ?? null, merchant: merchantName(message.merchantNameLocation), responseCode: '00' })],
  );
  return { code: '00', transactionId };
}
