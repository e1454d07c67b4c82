import type { Identity } from '@baas/auth';
import { badInput, forbidden } from '@baas/errors';
import { refusalFor } from '../domain/network-refusal';
import { maySimulateNetwork, simulatorReaches } from '../permissions';
import { PAN_INDEX_CONTEXT } from '../store/pan-index';
import type { CardDeps } from './card-deps';
import { processNetworkMessage } from './process-network-message';
import type { NetworkAnswer } from './simulate-card-transaction';

export type NetworkMessageInput = { mti: string; elements: readonly { number: string; value: string }[] };

const MAX_ELEMENTS = 64;

/**
 * Sandbox: answers an ISO 8583-shaped message as if the card network sent it (operators, or a sandbox
 * tenant's client holding cards:write; FORBIDDEN otherwise). A malformed message gets its refusal
 * code and writes nothing. A tenant's client reaches only its own tenant's cards: a PAN of another
 * tenant's card is answered 14 (unknown card), as one that does not exist.
 */
export async function simulateCardNetworkMessage(deps: CardDeps, who: Identity, input: NetworkMessageInput): Promise<NetworkAnswer> {
  const network = deps.network;
  if (!deps.settingsOf.sandbox || !network || !(await maySimulateNetwork(who, deps.tenantSandbox))) throw forbidden();
  if (input.elements.length > MAX_ELEMENTS) throw badInput(`At most ${MAX_ELEMENTS} data elements.`, { field: 'elements', reason: 'TOO_MANY' });
  const elements: Record<string, string> = {};
  for (const e of input.elements) {
    if (Object.hasOwn(elements, e.number)) throw badInput('A data element is given twice.', { field: 'elements', reason: 'DUPLICATE_ELEMENT', number: e.number.slice(0, 8) });
    elements[e.number] = e.value;
  }
  const json = { mti: input.mti, elements };
  const pan = elements['2'];
  const card = typeof pan === 'string' && /^\d{8,19}$/.test(pan) ? await network.cards.byPanIndex(network.vault.blindIndex(pan, PAN_INDEX_CONTEXT)) : null;
  if (card && !simulatorReaches(who, card)) return { response: refusalFor(json, '14'), authorization: null };
  const response = await processNetworkMessage(network, json);
  const rrn = response.elements['37'];
  return { response, authorization: card && rrn ? await network.authorizations.byCardRrn(card.id, rrn) : null };
}
