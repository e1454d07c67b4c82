import { maskDocument } from '@baas/observability';

// Patterns for personal data and credentials that can hide in any string, under any key. Each is
// bounded (an e-mail local part is at most 64 characters) so a hostile string cannot make the
// scan quadratic. Order matters: tokens first (they contain dots and digits), then e-mails (their
// local part may hold digits), then CNPJ before CPF (a CNPJ holds a CPF-length run).
const AUTH_SCHEME = /\b(Bearer|Basic)\s+[A-Za-z0-9\-._~+/]+=*/gi;
// A JWS/JWE always starts with `eyJ` (base64url of `{"`); the signature part may be cut off.
const JWT = /eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]*)*/g;
const LABEL = '[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?';
const EMAIL = new RegExp(`[A-Za-z0-9!#$%&'*+/=?^_\`{|}~.-]{1,64}@${LABEL}(?:\\.${LABEL})*`, 'g');
const CNPJ_ALNUM = /(?<![0-9A-Za-z])[0-9A-Z]{2}\.[0-9A-Z]{3}\.[0-9A-Z]{3}\/[0-9A-Z]{4}-\d{2}(?!\d)/g;
const CNPJ = /(?<!\d)\d{2}\.?\d{3}\.?\d{3}\/?\d{4}-?\d{2}(?!\d)/g;
const CPF = /(?<!\d)\d{3}\.?\d{3}\.?\d{3}-?\d{2}(?!\d)/g;

export const REDACTED = '[REDACTED]';
const MASK = '***';

/** `joao.silva@example.com.br` -> `j***@e***.br`; anything that is not an e-mail -> `***`. */
export function maskAuditEmail(value: string): string {
  const at = value.lastIndexOf('@');
  if (at < 1 || at === value.length - 1) return MASK;
  const domain = value.slice(at + 1);
  const dot = domain.lastIndexOf('.');
  const tld = dot > 0 && dot < domain.length - 1 ? `.${domain.slice(dot + 1)}` : '';
  return `${value[0]}${MASK}@${domain[0]}${MASK}${tld}`;
}

/** `+55 11 98765-4321` -> `***21`: the last 2 digits only (fewer than 4 digits -> `***`). */
export function maskAuditPhone(value: string): string {
  const digits = value.replace(/\D/g, '');
  return digits.length < 4 ? MASK : `${MASK}${digits.slice(-2)}`;
}

/**
 * Replaces every e-mail, CPF, CNPJ, JWT and `Bearer`/`Basic` credential inside `text` by its mask
 * (tokens by "[REDACTED]"), wherever it appears and whatever key it was found under.
 */
export function maskSensitiveText(text: string): string {
  return text
    .replace(AUTH_SCHEME, (_m, scheme: string) => `${scheme} ${REDACTED}`)
    .replace(JWT, REDACTED)
    .replace(EMAIL, maskAuditEmail)
    .replace(CNPJ_ALNUM, maskDocument)
    .replace(CNPJ, maskDocument)
    .replace(CPF, maskDocument);
}
