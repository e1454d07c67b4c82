import { parseBrCode } from '../domain/pix-brcode';
import { maskPixKey } from '../domain/pix-key-masks';
import { detectPixKeyType } from '../domain/pix-keys';

/** What Query.parseBrCode answers (BrCodeInfo): the key masked as DICT shows it (domain/pix-key-masks.ts), never in clear. */
export type BrCodeInfoView = {
  kind: 'STATIC' | 'DYNAMIC';
  keyMasked: string | null;
  location: string | null;
  amount: bigint | null;
  txid: string | null;
  merchantName: string;
  merchantCity: string;
};

/** Reads a BR Code without paying it (BAD_USER_INPUT with field payload when malformed or its CRC is wrong). */
export function readBrCode(payload: string): BrCodeInfoView {
  const code = parseBrCode(payload);
  return {
    kind: code.kind,
    keyMasked: code.key ? maskPixKey(detectPixKeyType(code.key) ?? 'UNKNOWN', code.key) : null,
    location: code.location ?? null,
    amount: code.amount ?? null,
    txid: code.txid ?? null,
    merchantName: code.merchantName,
    merchantCity: code.merchantCity,
  };
}
