/**
 * The PAN's blind index: `card.pan_index = vault.blindIndex(pan, PAN_INDEX_CONTEXT)` (HMAC-SHA256 with
 * the PII blind-index key). Issuing writes it; an authorisation finds its card by it. One context
 * for every PAN, so a PAN maps to one index whatever its card or tenant (it is unique).
 */
export const PAN_INDEX_CONTEXT = 'card.pan';

/** The context the vault seals a card's PAN under (AAD): bound to that card, so a sealed PAN cannot move to another. */
export const panSealContext = (cardId: string): string => `card.pan:${cardId}`;

/** A network token's blind index context (token PANs come from a separate token BIN). */
export const TOKEN_INDEX_CONTEXT = 'card.token';

/** The context a tenant's decision-webhook secret is sealed under (tenant_card_settings.decision_secret). */
export const decisionSecretContext = (tenantId: string): string => `card.decision-secret:${tenantId}`;
