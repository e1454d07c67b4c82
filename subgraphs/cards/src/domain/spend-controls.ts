/**
 * Spend controls on a card: amount limits, MCC and country lists, channels. The tenant sets bounds, the
 * customer may only tighten them, and every authorisation is checked against the stricter of both.
 * Amounts are bigint minor units of the card's currency. Countries are ISO 3166-1 alpha-2 ("BR"); the
 * network's numeric DE19/DE43 country is mapped to alpha-2 before it gets here.
 */
import type { DeclineReason } from './decline-codes';

export const CHANNELS = ['ONLINE', 'CONTACTLESS', 'CHIP', 'MAGSTRIPE', 'ATM'] as const;
export type Channel = (typeof CHANNELS)[number];

export const AMOUNT_CONTROLS = ['perTransaction', 'perDay', 'perMonth', 'lifetime'] as const;
export type AmountControl = (typeof AMOUNT_CONTROLS)[number];

/** A set of controls; an absent field means "no limit from this party". An allow list present allows only its entries. */
export type SpendControls = {
  readonly perTransaction?: bigint;
  readonly perDay?: bigint;
  readonly perMonth?: bigint;
  readonly lifetime?: bigint;
  readonly mccAllow?: readonly string[];
  readonly mccBlock?: readonly string[];
  readonly countriesAllow?: readonly string[];
  readonly countriesBlock?: readonly string[];
  readonly channels?: readonly Channel[];
};

export type ControlField = AmountControl | 'mccAllow' | 'mccBlock' | 'countriesAllow' | 'countriesBlock' | 'channels';

/** Why a customer's controls reach outside the tenant's. */
export type BoundsRefusal = {
  readonly field: ControlField;
  readonly reason: 'ABOVE_TENANT_LIMIT' | 'NOT_ALLOWED_BY_TENANT' | 'BLOCKED_BY_TENANT';
  readonly values?: readonly string[];
};

/**
 * The refusals (empty when none) for customer controls that loosen the tenant's: a higher amount, an allowed
 * MCC/country outside the tenant's allow list or inside its block list, a channel the tenant does not allow.
 * Blocking more is always fine.
 */
export function withinBounds(customer: SpendControls, tenant: SpendControls): BoundsRefusal[] {
  const refusals: BoundsRefusal[] = [];
  for (const field of AMOUNT_CONTROLS) {
    const mine = customer[field];
    const cap = tenant[field];
    if (mine !== undefined && cap !== undefined && mine > cap) refusals.push({ field, reason: 'ABOVE_TENANT_LIMIT' });
  }
  const lists = [
    ['mccAllow', customer.mccAllow, tenant.mccAllow, tenant.mccBlock],
    ['countriesAllow', customer.countriesAllow, tenant.countriesAllow, tenant.countriesBlock],
    ['channels', customer.channels, tenant.channels, undefined],
  ] as const;
  for (const [field, mine, allowed, blocked] of lists) {
    if (mine === undefined) continue;
    const outside = allowed === undefined ? [] : mine.filter((v) => !(allowed as readonly string[]).includes(v));
    if (outside.length > 0) refusals.push({ field, reason: 'NOT_ALLOWED_BY_TENANT', values: outside });
    const unblocking = blocked === undefined ? [] : mine.filter((v) => blocked.includes(v));
    if (unblocking.length > 0) refusals.push({ field, reason: 'BLOCKED_BY_TENANT', values: unblocking });
  }
  return refusals;
}

const minOf = (a: bigint | undefined, b: bigint | undefined): bigint | undefined =>
  a === undefined ? b : b === undefined ? a : a < b ? a : b;

function intersect<T extends string>(a: readonly T[] | undefined, b: readonly T[] | undefined): readonly T[] | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return a.filter((v) => b.includes(v));
}

function union(a: readonly string[] | undefined, b: readonly string[] | undefined): readonly string[] | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return [...new Set([...a, ...b])];
}

/** The stricter of both parties' controls: the lower amount, the intersection of allow lists, the union of block lists. */
export function effectiveControls(tenant: SpendControls, customer: SpendControls): SpendControls {
  const out: { -readonly [K in keyof SpendControls]: SpendControls[K] } = {};
  for (const field of AMOUNT_CONTROLS) {
    const value = minOf(tenant[field], customer[field]);
    if (value !== undefined) out[field] = value;
  }
  const entries = {
    mccAllow: intersect(tenant.mccAllow, customer.mccAllow),
    mccBlock: union(tenant.mccBlock, customer.mccBlock),
    countriesAllow: intersect(tenant.countriesAllow, customer.countriesAllow),
    countriesBlock: union(tenant.countriesBlock, customer.countriesBlock),
    channels: intersect(tenant.channels, customer.channels),
  };
  for (const [field, value] of Object.entries(entries)) if (value !== undefined) (out as Record<string, unknown>)[field] = value;
  return out;
}

/** What the authorisation is: amount in minor units of the card's currency (after any conversion). */
export type SpendAttempt = { readonly amount: bigint; readonly mcc: string; readonly country: string; readonly channel: Channel };
/** What the card has already spent (approved and pending) in the current UTC day, month and ever. */
export type SpendUsage = { readonly day: bigint; readonly month: bigint; readonly lifetime: bigint };

export type SpendCheckControl = 'amount' | 'channel' | 'mcc' | 'country' | AmountControl;
export type SpendCheck = { ok: true } | { ok: false; decline: DeclineReason; control: SpendCheckControl };

const notPermitted = (control: SpendCheckControl): SpendCheck => ({ ok: false, decline: 'TRANSACTION_NOT_PERMITTED', control });
const overLimit = (control: SpendCheckControl): SpendCheck => ({ ok: false, decline: 'EXCEEDS_AMOUNT_LIMIT', control });

/**
 * Checks one authorisation against (effective) controls, in order: channel, MCC block then allow, country
 * block then allow, per transaction, per day, per month, lifetime. Approves only when usage plus the amount
 * stays within every limit. A negative amount is INVALID_AMOUNT before anything else.
 */
export function checkSpend(controls: SpendControls, auth: SpendAttempt, usage: SpendUsage): SpendCheck {
  if (auth.amount < 0n) return { ok: false, decline: 'INVALID_AMOUNT', control: 'amount' };
  if (controls.channels !== undefined && !controls.channels.includes(auth.channel)) return notPermitted('channel');
  if (controls.mccBlock?.includes(auth.mcc)) return notPermitted('mcc');
  if (controls.mccAllow !== undefined && !controls.mccAllow.includes(auth.mcc)) return notPermitted('mcc');
  if (controls.countriesBlock?.includes(auth.country)) return notPermitted('country');
  if (controls.countriesAllow !== undefined && !controls.countriesAllow.includes(auth.country)) return notPermitted('country');
  const { perTransaction, perDay, perMonth, lifetime } = controls;
  if (perTransaction !== undefined && auth.amount > perTransaction) return overLimit('perTransaction');
  if (perDay !== undefined && usage.day + auth.amount > perDay) return overLimit('perDay');
  if (perMonth !== undefined && usage.month + auth.amount > perMonth) return overLimit('perMonth');
  if (lifetime !== undefined && usage.lifetime + auth.amount > lifetime) return overLimit('lifetime');
  return { ok: true };
}
