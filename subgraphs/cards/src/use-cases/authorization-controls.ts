import { effectiveControls, type SpendControls } from '../domain/spend-controls';
import type { AuthorizingCard, CardSettingsRow } from '../store/card-lookup-store';
import { readControls } from './card-deps';
import type { NetworkDeps } from './network-message-deps';

/** Stored controls (card-deps readControls); absent: no controls from that party. */
const storedControls = (json: string | null | undefined): SpendControls => (json ? readControls(json) : {});

/** The card's effective controls: the stricter of the tenant's bounds and the card's own. */
export function effectiveCardControls(settings: CardSettingsRow | null, card: Pick<AuthorizingCard, 'controls'>): SpendControls {
  return effectiveControls(storedControls(settings?.controls), storedControls(card.controls));
}

export async function cardControls(deps: Pick<NetworkDeps, 'cards'>, card: AuthorizingCard): Promise<SpendControls> {
  return effectiveCardControls(await deps.cards.settings(card.tenantId), card);
}
