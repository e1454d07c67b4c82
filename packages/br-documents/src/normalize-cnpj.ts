/**
 * Strips the separators of a CNPJ ('.', '/', '-', whitespace) and upper-cases ASCII letters, since the
 * alphanumeric format (from July 2026) only defines A-Z. It does not validate; use isValidCnpj.
 */
export function normalizeCnpj(input: string): string {
  // Only a-z: String#toUpperCase would turn 'ß' into 'SS' or 'ı' into 'I' and let a foreign letter validate.
  return input.replace(/[./\-\s]/g, '').replace(/[a-z]/g, (char) => char.toUpperCase());
}
