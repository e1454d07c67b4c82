import { parseExpiry } from '../domain/expiry';
import { effectiveControls, type SpendControls } from '../domain/spend-controls';
import { readControls } from '../use-cases/card-deps';

const money = (amount: bigint | undefined, currency: string) => (amount === undefined ? null : moneyOf(amount, currency));
const list = <T>(value: readonly T[] | undefined): T[] | null => (value === undefined ? null : [...value]);

/** Controls as GraphQL's SpendControls: amounts as Money in the card's currency. */
export function spendControlsOut(controls: SpendControls, currency: string) {
  return {
    perTransaction: money(controls.perTransaction, currency),
    perDay: money(controls.perDay, currency),
    perMonth: money(controls.perMonth, currency),
    lifetime: money(controls.lifetime, currency),
    mccAllow: list(controls.mccAllow),
    mccBlock: list(controls.mccBlock),
    countriesAllow: list(controls.countriesAllow),
    countriesBlock: list(controls.countriesBlock),
    channels: list(controls.channels),
  };
}

/** A tenant's bounds as GraphQL's CardControlBounds: amounts as minor-unit strings (each card's currency). */
export function controlBoundsOut(json: string) {
  const c = readControls(json);
  return {
    perTransaction: c.perTransaction?.toString() ?? null,
    perDay: c.perDay?.toString() ?? null,
    perMonth: c.perMonth?.toString() ?? null,
    lifetime: c.lifetime?.toString() ?? null,
    mccAllow: list(c.mccAllow),
    mccBlock: list(c.mccBlock),
    countriesAllow: list(c.countriesAllow),
    countriesBlock: list(c.countriesBlock),
    channels: list(c.channels),
  };
}

/** YYMM as { month, year }. */
export function expiryOut(card: { expiry: string }) {
  const parsed = parseExpiry(card.expiry);
  if (!parsed.ok) throw new Error('stored expiry is malformed');
  return { month: parsed.value.month, year: parsed.value.year };
}

/** The stricter of the tenant's bounds and the card's own controls. */
export const effectiveOut = (card: { controls: string; currency: string }, tenantControls: string) => spendControlsOut(effectiveControls(readControls(tenantControls), readControls(card.controls)), card.currency);

/** Money as the API shows it: minor units as a decimal string, with its currency. */
export const moneyOf = (minorUnits: bigint, currency: string) => ({ minorUnits: minorUnits.toString(), currency });

const AUTHORIZATION_STATES = ['PENDING', 'APPROVED', 'DECLINED', 'CLOSED'] as const;
/** A stored authorisation state as the enum (an unknown one is a bug: shown as PENDING, never thrown at a client). */
export const authorizationState = (state: string) => (AUTHORIZATION_STATES as readonly string[]).includes(state) ? (state as (typeof AUTHORIZATION_STATES)[number]) : 'PENDING';

/** A response's data elements in element order (a response never carries DE2). */
export const networkElements = (elements: Record<string, string>) =>
  Object.entries(elements)
    .filter(([number]) => number !== '2')
    .sort(([a], [b]) => Number(a) - Number(b))
    .map(([number, value]) => ({ number, value }));
