import { normalizeCnpj } from './normalize-cnpj';

/**
 * Shows a CNPJ as "12.ABC.345/01DE-35" (XX.XXX.XXX/XXXX-XX), upper-cased. Checks the shape (12 [A-Z0-9] then
 * 2 digits), not the check digits; throws RangeError on any other shape.
 */
export function formatCnpj(value: string): string {
  const cnpj = normalizeCnpj(value);
  if (!/^[A-Z0-9]{12}\d{2}$/.test(cnpj)) throw new RangeError('formatCnpj expects 12 characters [A-Z0-9] and 2 digits');
  return `${cnpj.slice(0, 2)}.${cnpj.slice(2, 5)}.${cnpj.slice(5, 8)}/${cnpj.slice(8, 12)}-${cnpj.slice(12)}`;
}
