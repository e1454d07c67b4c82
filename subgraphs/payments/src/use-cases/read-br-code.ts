import { maskDocument, maskEmail, maskPhone } from '@baas/observability';
import { parseBrCode } from '../domain/pix-brcode';
import { detectPixKeyType } from '../domain/pix-keys';

/** What Query.parseBrCode answers (BrCodeInfo): the key masked, never in clear. */
export type BrCodeInfoView = {
  kind: 'STATIC' | 'DYNAMIC';
  keyMasked: string | null;
  location: string | null;
  amount: bigint | null;
  txid: string | null;
  merchantName: string;
  merchantCity: string;
};

/** A PIX key shown to someone who is not its owner: enough to recognise it, never to rebuild it. */
export function maskPixKey(key: string): string {
  switch (detectPixKeyType(key)) {
    case 'EMAIL':
      return maskEmail(key);
    case 'PHONE':
      return maskPhone(key);
    case 'CPF':
    case 'CNPJ':
      return maskDocument(key);
    case 'EVP':
      return `${key.slice(0, 8)}-****-****-****-********${key.slice(-4)}`;
    default:
      return '***';
  }
}

/** Reads a BR Code without paying it (BAD_USER_INPUT with field payload when malformed or its CRC is wrong). */
export function readBrCode(payload: string): BrCodeInfoView {
  const code = parseBrCode(payload);
  return {
    kind: code.kind,
    keyMasked: code.key ? maskPixKey(code.key) : null,
    location: code.location ?? null,
    amount: code.amount ?? null,
    txid: code.txid ?? null,
    merchantName: code.merchantName,
    merchantCity: code.merchantCity,
  };
}
