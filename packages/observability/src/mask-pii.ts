// Helpers for the rare log line that needs a hint of a personal value (support tickets, fraud
// review). Each keeps only enough to tell two values apart, never enough to rebuild one.

const MASK = '***';

/** `joao.silva@example.com` -> `j***@example.com`; anything that is not an e-mail -> `***`. */
export function maskEmail(value: string | null | undefined): string {
  if (typeof value !== 'string') return MASK;
  const at = value.lastIndexOf('@');
  if (at < 1 || at === value.length - 1) return MASK;
  return `${value[0]}${MASK}@${value.slice(at + 1)}`;
}

/** `+55 11 98765-4321` -> `***4321`: the last 4 digits only. */
export function maskPhone(value: string | null | undefined): string {
  const digits = onlyDigits(value);
  if (digits.length < 8) return MASK;
  return `${MASK}${digits.slice(-4)}`;
}

/**
 * A CPF keeps its middle six digits as the Brazilian government's own publications do
 * (`***.456.789-**`); any other document (CNPJ, foreign tax id) keeps its last 4 characters.
 */
export function maskDocument(value: string | null | undefined): string {
  if (typeof value !== 'string') return MASK;
  const chars = value.replace(/[^0-9A-Za-z]/g, '');
  if (chars.length === 11 && /^\d+$/.test(chars)) return `***.${chars.slice(3, 6)}.${chars.slice(6, 9)}-**`;
  if (chars.length < 8) return MASK;
  return `${MASK}${chars.slice(-4)}`;
}

/**
 * A card number (PAN) with at most its first 6 and last 4 digits visible (PCI DSS); PANs shorter
 * than 16 digits keep only the last 4, so at least 6 digits stay hidden.
 */
export function maskPan(value: string | null | undefined): string {
  const digits = onlyDigits(value);
  if (digits.length < 12 || digits.length > 19) return MASK;
  const head = digits.length >= 16 ? digits.slice(0, 6) : '';
  const tail = digits.slice(-4);
  return `${head}${'*'.repeat(digits.length - head.length - tail.length)}${tail}`;
}

function onlyDigits(value: string | null | undefined): string {
  return typeof value === 'string' ? value.replace(/\D/g, '') : '';
}
