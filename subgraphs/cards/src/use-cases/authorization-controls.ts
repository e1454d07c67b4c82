import { parseSpendControls } from '../domain/parse-spend-controls';
import { effectiveControls, type SpendControls } from '../domain/spend-controls';
import type { AuthorizingCard, CardSettingsRow } from '../store/card-lookup-store';
import type { NetworkDeps } from './network-message-deps';

/** Stored controls (JSON, amounts as decimal strings); unreadable or absent: no controls from that party. */
export function storedControls(json: string | null | undefined): SpendControls {
  if (!json) return {};
  try {
    const parsed = parseSpendControls(JSON.parse(json));
    return parsed.ok ? parsed.controls : {};
  } catch {
    return {};
  }
}

/** The card's effective controls: the stricter of the tenant's bounds and the card's own. */
export function effectiveCardControls(settings: CardSettingsRow | null, card: Pick<AuthorizingCard, 'controls'>): SpendControls {
  return effectiveControls(storedControls(settings?.controls), storedControls(card.controls));
}

export async function cardControls(deps: Pick<NetworkDeps, 'cards'>, card: AuthorizingCard): Promise<SpendControls> {
  return effectiveCardControls(await deps.cards.settings(card.tenantId), card);
}
