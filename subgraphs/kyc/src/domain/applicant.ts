/**
 * The applicant's data as a client sends it, checked (pure). PII: never logged, never in an error
 * message (errors name the field and a reason code only).
 */
import { isValidCpf, normalizeCpf } from '@baas/br-documents';
import { badInput } from '@baas/errors';

export type Applicant = { fullName: string; cpf: string; dateOfBirth: string; nationality: string | null };

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const COUNTRY = /^[A-Z]{2}$/;

/** A calendar date YYYY-MM-DD that exists and is not in the future of `today`. */
export function isPastDate(value: string, today: Date): boolean {
  const m = DATE.exec(value);
  if (!m) return false;
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return date.toISOString().slice(0, 10) === value && date.getTime() <= today.getTime() && Number(m[1]) >= 1900;
}

/** The applicant, normalised (name trimmed and single-spaced, CPF as 11 digits); BAD_USER_INPUT naming the field otherwise. */
export function parseApplicant(input: { fullName: string; cpf: string; dateOfBirth: string; nationality?: string | null }, today: Date): Applicant {
  const fullName = typeof input.fullName === 'string' ? input.fullName.normalize('NFC').trim().replace(/\s+/g, ' ') : '';
  if (fullName.length < 3 || fullName.length > 200 || !/^[\p{L}\p{M}' .-]+$/u.test(fullName) || !fullName.includes(' ')) {
    throw badInput('fullName is a first and last name, 3 to 200 letters.', { field: 'applicant.fullName', reason: 'MALFORMED_NAME' });
  }
  const cpf = typeof input.cpf === 'string' ? normalizeCpf(input.cpf) : '';
  if (!isValidCpf(cpf)) throw badInput('cpf is not a valid CPF.', { field: 'applicant.cpf', reason: 'INVALID_CPF' });
  if (typeof input.dateOfBirth !== 'string' || !isPastDate(input.dateOfBirth, today)) {
    throw badInput('dateOfBirth is a past date, YYYY-MM-DD.', { field: 'applicant.dateOfBirth', reason: 'MALFORMED_DATE' });
  }
  const nationality = input.nationality == null ? null : String(input.nationality).toUpperCase();
  if (nationality !== null && !COUNTRY.test(nationality)) throw badInput('nationality is an ISO 3166-1 alpha-2 code.', { field: 'applicant.nationality', reason: 'MALFORMED_COUNTRY' });
  return { fullName, cpf, dateOfBirth: input.dateOfBirth, nationality };
}
