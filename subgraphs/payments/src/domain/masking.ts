import { maskPixKey as maskTypedKey } from './pix-key-masks';
import { detectPixKeyType } from './pix-keys';

/** A key as others see it (DICT's masks, domain/pix-key-masks.ts), its type detected from its shape. */
export function maskAnyPixKey(key: string): string {
  return maskTypedKey(detectPixKeyType(key) ?? 'UNKNOWN', key);
}

/** A CPF (11 digits) or CNPJ (14 characters) with only its middle shown. */
export function maskDocument(document: string): string {
  const d = document.replace(/[^0-9A-Za-z]/g, '').toUpperCase();
  if (d.length === 11) return maskTypedKey('CPF', d);
  if (d.length === 14) return maskTypedKey('CNPJ', d);
  return '***';
}
