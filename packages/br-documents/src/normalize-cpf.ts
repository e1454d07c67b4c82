/**
 * Strips the separators people type into a CPF ('.', '-', whitespace) and nothing else.
 * It does not validate: "123.456.789-09" gives "12345678909", "12a" stays "12a"; use isValidCpf for that.
 * No zero-padding either: a short input is a typo to report, not a number to complete.
 */
export function normalizeCpf(input: string): string {
  return input.replace(/[.\-\s]/g, '');
}
