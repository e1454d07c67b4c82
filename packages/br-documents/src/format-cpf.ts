import { normalizeCpf } from './normalize-cpf';

/**
 * Shows a CPF as "123.456.789-09". Checks the shape (11 digits after normalizeCpf), not the check digits,
 * so it can also display a number being rejected; throws RangeError on any other shape.
 */
export function formatCpf(digits: string): string {
  const cpf = normalizeCpf(digits);
  if (!/^\d{11}$/.test(cpf)) throw new RangeError('formatCpf expects 11 digits');
  return `${cpf.slice(0, 3)}.${cpf.slice(3, 6)}.${cpf.slice(6, 9)}-${cpf.slice(9)}`;
}
