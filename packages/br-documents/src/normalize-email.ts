const MAX_ADDRESS = 254;
const MAX_LOCAL_PART = 64;

/**
 * Normalises an email address for storage and look-up, or returns null. Deliberately not RFC 5322: it trims,
 * lower-cases the domain (case-insensitive by DNS) but keeps the local part as typed (the receiving server owns its
 * meaning), and rejects inner whitespace, anything but exactly one '@', an empty local part, a local part over 64
 * characters, a domain without a dot or with an empty label ("a..b", ".com"), and addresses over 254 characters.
 */
export function normalizeEmail(input: string): string | null {
  const trimmed = input.trim();
  if (trimmed.length === 0 || trimmed.length > MAX_ADDRESS || /\s/.test(trimmed)) return null;
  const parts = trimmed.split('@');
  if (parts.length !== 2) return null;
  const [local = '', rawDomain = ''] = parts;
  const domain = rawDomain.toLowerCase();
  if (local.length === 0 || local.length > MAX_LOCAL_PART) return null;
  const labels = domain.split('.');
  if (labels.length < 2 || labels.some((label) => label.length === 0)) return null;
  return `${local}@${domain}`;
}
