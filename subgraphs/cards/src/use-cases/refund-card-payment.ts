import { derivedUuid } from '@baas/server';
import { responseCodeFor } from '../domain/decline-codes';
import type { NetworkMessage } from '../domain/iso8583';
import { merchantName, networkKey } from '../domain/network-fields';
import type { AuthorizingCard } from '../store/card-lookup-store';
import type { MovementOutcome } from './capture-card-authorization';
import { cardEvent, directTransferId, postDirect, type NetworkDeps } from './network-message-deps';

/**
 * A refund (0220 with processing code 20: merchant to card): credits the customer, settlement -> customer,
 * posted at once. Needs no authorisation. The ledger transfer's id is derived from the message, so a repeat
 * (same network key) posts nothing again and answers '00'.
 */
export async function refundCardPayment(deps: NetworkDeps, card: AuthorizingCard, message: NetworkMessage): Promise<MovementOutcome> {
  const amount = message.amount!;
  const key = networkKey(card.id, message);
  const transactionId = derivedUuid(`cards:tx:${key}`);
  if (await deps.transactions.byNetworkKey(key)) return { code: '00', transactionId };
  const ledgerTransferId = directTransferId(transactionId, 'refund');
  const refusal = await postDirect(deps, card, ledgerTransferId, amount, true, { transactionId, kind: 'REFUND', rrn: message.rrn });
  if (refusal !== null) return { code: responseCodeFor('DO_NOT_HONOUR') };
  await deps.transactions.recordAlone(
    { id: transactionId, cardId: card.id, tenantId: card.tenantId, customerId: card.customerId, authorizationId: null, kind: 'REFUND', amount, currency: card.currency, networkKey: key, ledgerTransferId },
    [cardEvent('cards.transaction.refunded', transactionId, card, { transactionId, amount, currency: card.currency, mcc: message.mcc ?? null, merchant: merchantName(message.merchantNameLocation), responseCode: '00' })],
  );
  return { code: '00', transactionId };
}
