import { maskDocument } from '@baas/observability';

// Masks are for display and logs only; storage uses the vault. Anything that does not look like
// the expected document becomes '***' rather than a partial echo of unknown input.
const MASK = '***';

/** `123.456.789-09` or `12345678909` -> `***.456.789-**`; anything that is not 11 digits -> `***`. */
export function maskCpf(value: string | null | undefined): string {
  if (typeof value !== 'string') return MASK;
  const chars = value.replace(/[.\-\s]/g, '');
  // Same output as the logger's maskDocument, so logs and screens show a CPF the same way.
  return /^\d{11}$/.test(chars) ? maskDocument(chars) : MASK;
}

/**
 * `12.345.678/0001-95` -> `**.345.678/****-**`: like the CPF mask, the middle six characters of
 * the root stay visible, the branch and check digits do not. Accepts the alphanumeric CNPJ (12
 * letters or digits, then 2 check digits); anything else -> `***`.
 */
export function maskCnpj(value: string | null | undefined): string {
  if (typeof value !== 'string') return MASK;
  const chars = value.replace(/[.\-/\s]/g, '');
  if (!/^[0-9A-Za-z]{12}\d{2}$/.test(chars)) return MASK;
  return `**.${chars.slice(2, 5)}.${chars.slice(5, 8)}/****-**`;
}
