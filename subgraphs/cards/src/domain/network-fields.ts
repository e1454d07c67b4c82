/**
 * What the authorisation engine reads from a network message beyond its parse: the idempotency key of a
 * money movement, the approval code, the merchant's country, and when a clearing is final. Pure.
 */
import { createHash } from 'node:crypto';
import type { NetworkMessage } from './iso8583';

/**
 * A message's identity for idempotency: the same card, MTI, RRN, STAN and amount is the same message
 * (a network repeat), whatever else it carries. Card first, so keys of two cards never meet.
 */
export function networkKey(cardId: string, message: Pick<NetworkMessage, 'mti' | 'rrn' | 'stan' | 'amount'>): string {
  return [cardId, message.mti, message.rrn ?? '', message.stan, (message.amount ?? 0n).toString()].join(':');
}

/** DE38: six upper-case alphanumerics derived from the authorisation id (stable across repeats). */
export function approvalCodeFor(authorizationId: string): string {
  return createHash('sha256').update(authorizationId).digest('hex').slice(0, 6).toUpperCase();
}

/**
 * The merchant's country (ISO 3166-1 alpha-2) from DE43 name/location, whose last two characters carry it
 * (Visa/Mastercard layout: name 25, city 13, country 2); 'XX' (unknown) when they are not two letters.
 */
export function merchantCountry(nameLocation: string | undefined): string {
  const tail = nameLocation?.trimEnd().slice(-2) ?? '';
  return /^[A-Z]{2}$/.test(tail) && (nameLocation?.trimEnd().length ?? 0) > 2 ? tail : 'XX';
}

/** The merchant's name from DE43 (the first 25 characters, trimmed), or null. */
export function merchantName(nameLocation: string | undefined): string | null {
  const name = nameLocation?.slice(0, 25).trim();
  return name ? name : null;
}

/** A clearing is final when what has been captured reaches what was authorised. */
export function isFinalCapture(authorized: bigint, capturedBefore: bigint, amount: bigint): boolean {
  return capturedBefore + amount >= authorized;
}

/** When the authorisation's holds expire: `holdDays` after `now`. */
export function holdExpiry(now: Date, holdDays: number): Date {
  return new Date(now.getTime() + holdDays * 86_400_000);
}

/** A hold's timeout in whole seconds (at least 1): `holdDays` may be a fraction (tests). */
export function holdSeconds(holdDays: number): number {
  return Math.max(1, Math.round(holdDays * 86_400));
}

/** Seconds left until `expiresAt` (at least 1): the timeout of a piece re-held before the authorisation expires. */
export function secondsUntil(expiresAt: Date, now: Date): number {
  return Math.max(1, Math.ceil((expiresAt.getTime() - now.getTime()) / 1000));
}
