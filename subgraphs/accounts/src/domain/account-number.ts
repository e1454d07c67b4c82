/**
 * Brazilian-style account identifiers: a 4-digit branch (agência) and an account number of 1..10 digits followed
 * by one check digit (dígito verificador), written "0001 / 12345678-9".
 *
 * Check digit: modulo 11 over the account number only (the branch is not part of it), weights 2, 3, ..., 9 from
 * the rightmost digit, cycling back to 2 after 9. With S the weighted sum and r = S mod 11, the digit is 11 - r,
 * where 11 is written "0" and 10 is written "X". This is Banco do Brasil's published rule for agência and
 * conta (weights 9..2 from the left over its 8-digit account, i.e. 2..9 from the right; "resto 10 → X,
 * resto 11 → 0"; worked example 00210169-6), the same mod-11/"X" pair ISBN-10 uses.
 *
 * Why "X" rather than folding 10 into "0" (as CPF/CNPJ do): with 11 distinct check characters every residue
 * has its own digit, so the check works as "S + value(checkDigit) ≡ 0 (mod 11)" with the check digit weighted 1.
 * Because 11 is prime and no weight (1..9) is a multiple of 11, that gives these guarantees, for any length:
 *   - every single-character substitution is detected (number digits and the check digit itself);
 *   - every transposition of two adjacent, different characters is detected, the check digit included, because
 *     adjacent weights differ by 1 (or by 7 where 9 wraps to 2), never by a multiple of 11.
 * Not guaranteed: two digits 8 positions apart carry the same weight, so swapping them goes unnoticed (only
 * possible with 9+ digits), nor are multiple errors, which slip through with probability about 1/11.
 * Folding 10 into "0" would lose the first guarantee: r = 0 and r = 1 would share "0".
 */

export const BRANCH_LENGTH = 4;
export const MAX_ACCOUNT_NUMBER_LENGTH = 10;

/** The parts of an account reference; `number` keeps its leading zeros ("00012345" is stored as such). */
export type AccountReference = { readonly branch: string; readonly number: string; readonly checkDigit: string };

export type AccountReferenceErrorCode =
  | 'INVALID_FORMAT'
  | 'INVALID_BRANCH'
  | 'INVALID_NUMBER'
  | 'INVALID_CHECK_DIGIT';

/** Why an account reference was rejected; `message` is safe to show to the client that typed it. */
export type AccountReferenceError = { readonly code: AccountReferenceErrorCode; readonly message: string };

export type AccountReferenceResult =
  | { readonly ok: true; readonly value: AccountReference }
  | { readonly ok: false; readonly error: AccountReferenceError };

/** Thrown (not returned) for programming errors: formatting an invalid reference, an exhausted sequence, ... */
export class AccountNumberError extends Error {
  readonly code: AccountReferenceErrorCode | 'SEQUENCE_OUT_OF_RANGE';

  constructor(code: AccountNumberError['code'], message: string) {
    super(message);
    this.name = 'AccountNumberError';
    this.code = code;
  }
}

const BRANCH = /^[0-9]{4}$/;
const NUMBER = /^[0-9]{1,10}$/;
const CHECK_DIGIT = /^[0-9X]$/;
// "0001 / 12345678-9"; spaces around the slash are optional, a lowercase x is accepted and normalised to "X".
const REFERENCE = /^([0-9]{4}) *\/ *([0-9]{1,10})-([0-9Xx])$/;
const MAX_REFERENCE_TEXT = 64;

/** The check digit ("0".."9" or "X") of an account number of 1..10 ASCII digits; throws INVALID_NUMBER otherwise. */
export function computeCheckDigit(number: string): string {
  if (typeof number !== 'string' || !NUMBER.test(number)) {
    throw new AccountNumberError('INVALID_NUMBER', 'An account number has 1 to 10 digits');
  }
  const residue = 11 - (weightedSum(number) % 11); // 1..11
  return residue === 11 ? '0' : residue === 10 ? 'X' : String(residue);
}

/**
 * Checks each part and the check digit. Returns the reference with parts as given (the check digit upper-cased);
 * never throws for bad input. An all-zero number is rejected: sequences start at 1, so it can only be a typo.
 */
export function validateAccount(ref: { branch: string; number: string; checkDigit: string }): AccountReferenceResult {
  if (typeof ref !== 'object' || ref === null) return fail('INVALID_FORMAT', 'An account reference is required');
  const { branch, number } = ref;
  const checkDigit = typeof ref.checkDigit === 'string' ? ref.checkDigit.toUpperCase() : ref.checkDigit;
  if (typeof branch !== 'string' || !BRANCH.test(branch)) return fail('INVALID_BRANCH', 'The branch has exactly 4 digits');
  if (typeof number !== 'string' || !NUMBER.test(number) || /^0+$/.test(number)) {
    return fail('INVALID_NUMBER', 'The account number has 1 to 10 digits and is not zero');
  }
  if (typeof checkDigit !== 'string' || !CHECK_DIGIT.test(checkDigit)) {
    return fail('INVALID_CHECK_DIGIT', 'The check digit is one digit or X');
  }
  if (computeCheckDigit(number) !== checkDigit) {
    return fail('INVALID_CHECK_DIGIT', 'The check digit does not match the account number');
  }
  return { ok: true, value: Object.freeze({ branch, number, checkDigit }) };
}

/** Parses "0001 / 12345678-9" (also "0001/12345678-9"; surrounding whitespace ignored) and validates it. */
export function parseAccountReference(text: string): AccountReferenceResult {
  if (typeof text !== 'string' || text.length > MAX_REFERENCE_TEXT) {
    return fail('INVALID_FORMAT', 'Expected an account reference like "0001 / 12345678-9"');
  }
  const match = REFERENCE.exec(text.trim());
  if (match === null) return fail('INVALID_FORMAT', 'Expected an account reference like "0001 / 12345678-9"');
  const [, branch = '', number = '', checkDigit = ''] = match;
  return validateAccount({ branch, number, checkDigit });
}

/** "0001 / 12345678-9"; throws AccountNumberError when the reference does not validate. */
export function formatAccount(ref: { branch: string; number: string; checkDigit: string }): string {
  const result = validateAccount(ref);
  if (!result.ok) throw new AccountNumberError(result.error.code, result.error.message);
  const { branch, number, checkDigit } = result.value;
  return `${branch} / ${number}-${checkDigit}`;
}

/**
 * The account number for a database sequence value: zero-padded to `width` digits (1..10), with its check digit.
 * Throws SEQUENCE_OUT_OF_RANGE for values below 1 or with more than `width` digits (the sequence is exhausted:
 * wrapping around would hand out a number that already exists).
 */
export function nextAccountNumber(sequenceValue: bigint, width: number): { number: string; checkDigit: string } {
  if (!Number.isInteger(width) || width < 1 || width > MAX_ACCOUNT_NUMBER_LENGTH) {
    throw new AccountNumberError('SEQUENCE_OUT_OF_RANGE', `Width must be an integer from 1 to ${MAX_ACCOUNT_NUMBER_LENGTH}`);
  }
  if (typeof sequenceValue !== 'bigint' || sequenceValue < 1n || sequenceValue >= 10n ** BigInt(width)) {
    throw new AccountNumberError('SEQUENCE_OUT_OF_RANGE', `Sequence value does not fit in ${width} digits`);
  }
  const number = sequenceValue.toString().padStart(width, '0');
  return { number, checkDigit: computeCheckDigit(number) };
}

function weightedSum(digits: string): number {
  let sum = 0;
  for (let fromRight = 0; fromRight < digits.length; fromRight++) {
    sum += (digits.charCodeAt(digits.length - 1 - fromRight) - 48) * (2 + (fromRight % 8));
  }
  return sum;
}

function fail(code: AccountReferenceErrorCode, message: string): AccountReferenceResult {
  return { ok: false, error: { code, message } };
}
