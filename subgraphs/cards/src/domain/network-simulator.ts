import { getCurrency } from '@baas/money';
import type { NetworkMessageJson } from './iso8583';
import type { Channel } from './spend-controls';

/** What the sandbox network simulator sends for a card. */
export type SimulatedTransactionType = 'AUTHORIZATION' | 'INCREMENT' | 'CAPTURE' | 'REVERSAL' | 'REFUND' | 'FORCE_POST';

/** Everything a simulated message needs: the card (PAN and expiry from the vault), the merchant, and the references. */
export type SimulatedTransaction = {
  readonly type: SimulatedTransactionType;
  readonly pan: string;
  /** YYMM. */
  readonly expiry: string;
  /** The CVV2, sent on card-not-present (ONLINE) authorisations. */
  readonly cvv?: string;
  readonly amount: bigint;
  /** ISO 4217 alphabetic code. */
  readonly currency: string;
  readonly mcc: string;
  readonly merchant: string;
  /** ISO 3166-1 alpha-2. */
  readonly country: string;
  readonly channel: Channel;
  /** DE37: the authorisation's for INCREMENT, CAPTURE and REVERSAL; a new one otherwise. */
  readonly rrn: string;
  /** DE11 of this message. */
  readonly stan: string;
  /** REVERSAL: the original authorisation's STAN and transmission time (DE90). */
  readonly original?: { readonly stan: string; readonly transmittedAt: string };
  readonly at: Date;
};

/** DE22 POS entry mode per channel (ATM: chip read; the processing code says cash). */
const ENTRY_MODE: Readonly<Record<Channel, string>> = { ONLINE: '812', CONTACTLESS: '071', CHIP: '051', MAGSTRIPE: '901', ATM: '051' };

const two = (n: number) => String(n).padStart(2, '0');

/** DE7: MMDDhhmmss in UTC. */
export function transmissionTime(at: Date): string {
  return `${two(at.getUTCMonth() + 1)}${two(at.getUTCDate())}${two(at.getUTCHours())}${two(at.getUTCMinutes())}${two(at.getUTCSeconds())}`;
}

/** DE43: merchant name (25), city (13), country (2): 40 printable characters. */
export function nameLocation(merchant: string, country: string, city = 'SANDBOX'): string {
  const printable = (s: string) => s.replace(/[^\x20-\x7e]/g, ' ');
  return `${printable(merchant).slice(0, 25).padEnd(25)}${printable(city).slice(0, 13).padEnd(13)}${country.slice(0, 2).toUpperCase()}`;
}

/**
 * The ISO 8583-shaped message a card network would send for `t` (the layouts iso8583.ts parses):
 * AUTHORIZATION and INCREMENT an 0100 (an increment repeats the authorisation's RRN with a new STAN),
 * CAPTURE an 0220 on the authorisation's RRN, REFUND an 0220 with processing code 20, FORCE_POST an
 * 0220 with an RRN no authorisation has, REVERSAL an 0400 naming the original in DE90.
 */
export function simulatedMessage(t: SimulatedTransaction): NetworkMessageJson {
  const numeric = getCurrency(t.currency).numericCode;
  const core = { '2': t.pan, '4': t.amount.toString().padStart(12, '0'), '7': transmissionTime(t.at), '11': t.stan, '37': t.rrn, '49': numeric };
  const merchantElements = { '18': t.mcc, '42': 'SANDBOXMERCH01', '43': nameLocation(t.merchant, t.country) };
  switch (t.type) {
    case 'AUTHORIZATION':
    case 'INCREMENT':
      return {
        mti: '0100',
        elements: {
          ...core,
          ...merchantElements,
          '3': t.channel === 'ATM' ? '010000' : '000000',
          '14': t.expiry,
          '22': ENTRY_MODE[t.channel],
          ...(t.channel === 'ONLINE' && t.cvv ? { '126': t.cvv } : {}),
        },
      };
    case 'CAPTURE':
    case 'FORCE_POST':
      return { mti: '0220', elements: { ...core, ...merchantElements, '3': '000000' } };
    case 'REFUND':
      return { mti: '0220', elements: { ...core, ...merchantElements, '3': '200000' } };
    case 'REVERSAL':
      return { mti: '0400', elements: { ...core, '3': '000000', '90': `0100${t.original?.stan ?? t.stan}${t.original?.transmittedAt ?? core['7']}` } };
  }
}
