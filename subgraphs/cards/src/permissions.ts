import type { Identity } from '@baas/auth';
import { actingTenant, isApiClient, isAuthenticated, isCustomer, isCustomerSelf, isOperator, isPlatform, isPlatformOperator, isTenantClientWith, managesTenant, mayRead, or, ownsParent, publicField, type RuleTree } from '@baas/authz';
import { DomainError, forbidden, notFound } from '@baas/errors';

type Owned = { tenantId: string; customerId: string };

const owns = (name: string) => ownsParent((r: Owned) => ({ tenantId: r.tenantId, customerId: r.customerId }), `cards:${name}`);
const customerOrClient = or(isCustomer, isApiClient);
const customerClientOrOperator = or(isCustomer, isApiClient, isOperator);

/**
 * Who may resolve what in the cards subgraph (default deny). Every card field is owned (its holder,
 * its tenant's clients, operators and services); the use cases check each card they load with the
 * record policies below, and answer NOT_FOUND for a card the caller may not see.
 */
export const cardsPermissions: RuleTree = {
  Query: {
    card: isAuthenticated,
    cards: isAuthenticated,
    tenantCardSettings: or(isApiClient, isOperator),
    cardAuthorization: isAuthenticated,
  },
  Mutation: {
    issueCard: customerOrClient,
    revealCard: isAuthenticated,
    activateCard: customerClientOrOperator,
    pauseCard: customerClientOrOperator,
    resumeCard: customerClientOrOperator,
    closeCard: customerClientOrOperator,
    reportCardLost: customerClientOrOperator,
    reportCardStolen: customerClientOrOperator,
    advanceCardFulfilment: or(isApiClient, isOperator),
    setCardControls: customerOrClient,
    setTenantCardSettings: or(isApiClient, isOperator),
    provisionNetworkToken: customerOrClient,
    suspendNetworkToken: customerClientOrOperator,
    resumeNetworkToken: customerClientOrOperator,
    deleteNetworkToken: customerClientOrOperator,
    simulateCardNetworkMessage: or(isApiClient, isOperator),
    simulateCardTransaction: or(isApiClient, isOperator),
    createCardChallenge: or(isApiClient, isOperator),
    answerCardChallenge: isCustomer,
  },
  Card: owns('ownsCard'),
  NetworkToken: owns('ownsToken'),
  CardAuthorization: owns('ownsAuthorization'),
  CardChallenge: owns('ownsChallenge'),
  CardNetworkResponse: publicField,
  NetworkDataElement: publicField,
  CardReveal: publicField,
  CardPage: publicField,
  CardExpiry: publicField,
  SpendControls: publicField,
  CardControlBounds: publicField,
  Money: publicField,
  TenantCardSettings: ownsParent((s: { tenantId: string }) => ({ tenantId: s.tenantId }), 'cards:settingsInTenant'),
};

// ---------------------------------------------------------------------------------------------
// Record-level policies (use cases call these by name; nothing else tests who.kind)

/** Who may see a card: its holder, its tenant's clients, operators and internal services. */
export function maySeeCard(who: Identity, card: Owned): boolean {
  return mayRead(who, card);
}

/** The card, when the caller may see it; NOT_FOUND otherwise (whether or not it exists: no existence across tenants). */
export function requireVisibleCard<T extends Owned>(who: Identity, card: T | null | undefined): T {
  if (!card || !maySeeCard(who, card)) throw notFound('Card');
  return card;
}

/** Which cards a listing covers: a customer's own, a tenant principal's tenant's (naming another is FORBIDDEN), the platform's any (tenantId filters). */
export function cardListScope(who: Identity, tenantId: string | null | undefined): { tenantId: string | null; customerId: string | null } {
  if (isPlatform(who)) return { tenantId: tenantId ?? null, customerId: null };
  return { tenantId: actingTenant(who, tenantId), customerId: who.kind === 'customer' ? who.subject : null };
}

/** Who may change a card (state, controls, tokens): its holder, its tenant's client holding cards:write, operators. */
export function mayManageCard(who: Identity, card: Owned): boolean {
  return isCustomerSelf(who, card) || isTenantClientWith(who, card.tenantId, 'cards:write') || isPlatformOperator(who);
}

/** FORBIDDEN unless the caller may manage a card it can see. */
export function requireManageCard(who: Identity, card: Owned): void {
  if (!mayManageCard(who, card)) throw forbidden();
}

/** Who may set a card's controls: its holder or its tenant's client holding cards:write (operators do not spend for anyone). */
export function maySetControls(who: Identity, card: Owned): boolean {
  return isCustomerSelf(who, card) || isTenantClientWith(who, card.tenantId, 'cards:write');
}

/** Who may issue a card on an account: its customer, or its tenant's client holding cards:write. */
export function mayIssueOn(who: Identity, account: Owned): boolean {
  return isCustomerSelf(who, account) || isTenantClientWith(who, account.tenantId, 'cards:write');
}

/** Who may reveal a card's PAN and CVV: its holder alone (never a tenant's client, an operator or a service). */
export function mayReveal(who: Identity, card: Owned): boolean {
  return isCustomerSelf(who, card);
}

/** Who may set a tenant's card settings: its client holding cards:write, or an operator. */
export function mayManageTenantCards(who: Identity, tenantId: string): boolean {
  return managesTenant(who, tenantId, 'cards:write');
}

/** Who may drive a physical card's sandbox fulfilment: operators, or a sandbox tenant's client holding cards:write. */
export function mayAdvanceFulfilment(who: Identity, card: Owned, tenantSandbox: boolean): boolean {
  if (isPlatformOperator(who)) return true;
  return tenantSandbox && isTenantClientWith(who, card.tenantId, 'cards:write');
}

/** Who may send messages through the sandbox network simulator: operators, or a sandbox tenant's client holding cards:write. */
export async function maySimulateNetwork(who: Identity, tenantSandbox: (tenantId: string) => Promise<boolean>): Promise<boolean> {
  if (isPlatformOperator(who)) return true;
  return who.kind === 'api_client' && !!who.tenantId && isTenantClientWith(who, who.tenantId, 'cards:write') && (await tenantSandbox(who.tenantId));
}

/** Whether a simulator caller reaches this card: operators any, a tenant's client its own tenant's. */
export function simulatorReaches(who: Identity, card: { tenantId: string }): boolean {
  return isPlatformOperator(who) || card.tenantId === who.tenantId;
}

/** Whether a stored row under a client's id belongs to this caller's request space (idempotency scope). */
export function keyInScope(who: Identity, row: Owned): boolean {
  return row.tenantId === who.tenantId && (who.kind !== 'customer' || row.customerId === who.subject);
}

/** The answer to an id of another tenant or customer: FORBIDDEN, which tells nothing about the row. */
export function keyOutOfScope(): DomainError {
  return forbidden();
}
