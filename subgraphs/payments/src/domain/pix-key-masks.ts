import type { PixKeyType } from './pix-keys';

/**
 * How DICT shows a key to someone who is not its owner (pure): enough to recognise it, not enough
 * to learn it. Input is the normalised key (domain/pix-keys.ts).
 *
 * - EMAIL `joao@example.com` → `jo***@example.com` (one letter when the local part is that short)
 * - PHONE `+5511987654321` → `+55*******4321`
 * - CPF `12345678909` → `***.456.789-**`; CNPJ `12345678000195` → `**.345.678/0001-**`
 * - EVP: its first 8 characters, then stars in the UUID's shape
 */
export function maskPixKey(keyType: PixKeyType | string, value: string): string {
  switch (keyType) {
    case 'EMAIL': {
      const at = value.lastIndexOf('@');
      if (at < 1) return '***';
      const local = value.slice(0, at);
      return `${local.slice(0, local.length > 2 ? 2 : 1)}***${value.slice(at)}`;
    }
    case 'PHONE': {
      const rest = value.startsWith('+55') ? value.slice(3) : value.replace(/^\+/, '');
      if (rest.length <= 4) return '+55****';
      return `+55${'*'.repeat(rest.length - 4)}${rest.slice(-4)}`;
    }
    case 'CPF':
      return value.length === 11 ? `***.${value.slice(3, 6)}.${value.slice(6, 9)}-**` : '***.***.***-**';
    case 'CNPJ':
      return value.length === 14 ? `**.${value.slice(2, 5)}.${value.slice(5, 8)}/${value.slice(8, 12)}-**` : '**.***.***/****-**';
    case 'EVP':
      return `${value.slice(0, 8)}-****-****-****-************`;
    default:
      return '***';
  }
}

/** An account number as a payer sees it before paying: all but its last 4 characters starred, then the check digit (`****5678-9`). */
export function maskAccountNumber(number: string, checkDigit: string): string {
  const shown = number.slice(-4);
  return `${'*'.repeat(Math.max(0, number.length - shown.length))}${shown}${checkDigit ? `-${checkDigit}` : ''}`;
}
