import { calculaMod10 } from '@mrmgomes/boleto-utils';
import { badInput, type DomainError } from '@baas/errors';
import { addDays, parseLocalDate, type LocalDate } from './business-days';

/**
 * Bank boleto ("boleto de cobrança") parsing and validation (pure).
 *
 * Accepts the 47-digit digitable line (linha digitável) or the 44-digit barcode, with or without the
 * usual separators (spaces, dots, hyphens). Barcode layout (FEBRABAN): bank(3) currency(1) DV(1)
 * due-date factor(4) amount(10) free field(25). The three digitable-line fields carry mod-10 check
 * digits (computed with @mrmgomes/boleto-utils' calculaMod10); the barcode's general check digit is
 * mod 11 with weights 2..9 from the right, and FEBRABAN maps the results 0, 10 and 11 to 1 for bank
 * boletos. (The library's calculaMod11 implements the convênio rule, which maps them to 0, so the
 * bank rule is implemented here.) Because of that mapping a bank DV of 1 cannot tell a few
 * single-digit changes in the factor/amount apart; FEBRABAN accepts that, and so do we.
 *
 * Convênio / arrecadação codes (utility bills, taxes: a 48-digit line or a 44-digit barcode starting
 * with 8) are recognised and refused with reason UNSUPPORTED_CONVENIO: they are paid through another
 * rail and are out of scope here.
 *
 * Due date: factor 0000 means no due date. The factor counts days from 1997-10-07 and reached 9999 on
 * 2025-02-21; on 2025-02-22 it restarted at 1000 and from then on cycles every 9000 days. The same
 * factor therefore names several dates; the one nearest to the caller's reference date (normally
 * today; ties go to the later date) is chosen, which is deterministic. Factors 0001-0999 are refused.
 *
 * The amount is bigint centavos read from the 10-digit field as a string (0n: the payer enters it).
 * Refusals are BAD_USER_INPUT with details { field, reason }: reason MALFORMED_BOLETO (with `part`),
 * BAD_CHECK_DIGIT (with `part`) or UNSUPPORTED_CONVENIO.
 */

export type BankBoleto = {
  readonly kind: 'BANK';
  readonly barcode: string;
  readonly digitableLine: string;
  readonly bankCode: string;
  readonly currencyCode: '9';
  readonly currency: 'BRL';
  readonly dueDateFactor: number;
  /** Local date, or null when the factor is 0000. */
  readonly dueDate: LocalDate | null;
  /** Centavos; 0n when the amount is not fixed by the boleto. */
  readonly amount: bigint;
  readonly freeField: string;
};

export type BoletoCodeKind = 'BANK_LINE' | 'BANK_BARCODE' | 'CONVENIO_LINE' | 'CONVENIO_BARCODE';

export type ParseBoletoOptions = {
  /** The date the due-date factor is read against (local ISO date); required for a deterministic answer. */
  readonly referenceDate: LocalDate;
  /** The input's field name in errors; 'line' by default. */
  readonly field?: string;
};

export const FACTOR_BASE_DATE: LocalDate = '1997-10-07';
export const FACTOR_RESET_DATE: LocalDate = '2025-02-22';
const FACTOR_CYCLE_DAYS = 9000;

const refuse = (field: string, reason: string, message: string, part?: string): DomainError =>
  badInput(message, part === undefined ? { field, reason } : { field, reason, part });

/** Removes the separators people type; refuses any other character. */
export function normaliseBoletoInput(input: string, field = 'line'): string {
  if (typeof input !== 'string' || !/^[\d\s.\-]*$/.test(input)) {
    throw refuse(field, 'MALFORMED_BOLETO', 'A boleto code has only digits, spaces, dots and hyphens.', 'characters');
  }
  return input.replace(/[\s.\-]/g, '');
}

/** Which kind of code a normalised digit string is, or null for none. */
export function identifyBoletoCode(digits: string): BoletoCodeKind | null {
  if (!/^\d+$/.test(digits)) return null;
  if (digits.length === 48 && digits[0] === '8') return 'CONVENIO_LINE';
  if (digits.length === 47) return 'BANK_LINE';
  if (digits.length === 44) return digits[0] === '8' ? 'CONVENIO_BARCODE' : 'BANK_BARCODE';
  return null;
}

/** Mod-10 check digit of a digitable-line field (via the library). */
export function fieldCheckDigit(digits: string): string {
  return String(calculaMod10(digits));
}

/** The bank barcode's general check digit over the other 43 digits (FEBRABAN mod 11, 0/10/11 -> 1). */
export function barcodeCheckDigit(digits43: string): string {
  let sum = 0;
  let weight = 2;
  for (let i = digits43.length - 1; i >= 0; i -= 1) {
    sum += weight * (digits43.charCodeAt(i) - 48);
    weight = weight === 9 ? 2 : weight + 1;
  }
  const dac = 11 - (sum % 11);
  return dac === 0 || dac === 10 || dac === 11 ? '1' : String(dac);
}

/** The digitable line of a 44-digit bank barcode (check digits computed). */
export function barcodeToDigitableLine(barcode: string): string {
  const f1 = barcode.slice(0, 4) + barcode.slice(19, 24);
  const f2 = barcode.slice(24, 34);
  const f3 = barcode.slice(34, 44);
  return f1 + fieldCheckDigit(f1) + f2 + fieldCheckDigit(f2) + f3 + fieldCheckDigit(f3) + barcode.slice(4, 19);
}

/** The due date a factor names, read against `referenceDate` (see the module comment). */
export function dueDateFromFactor(factor: number, referenceDate: LocalDate): LocalDate | null {
  if (factor === 0) return null;
  const candidates: LocalDate[] = [];
  const old = addDays(FACTOR_BASE_DATE, factor);
  if (old < FACTOR_RESET_DATE) candidates.push(old);
  for (let k = 0; k < 8; k += 1) candidates.push(addDays(FACTOR_RESET_DATE, factor - 1000 + k * FACTOR_CYCLE_DAYS));
  const ref = Date.parse(`${referenceDate}T00:00:00Z`);
  let best = candidates[0]!;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const distance = Math.abs(Date.parse(`${c}T00:00:00Z`) - ref);
    if (distance < bestDistance || (distance === bestDistance && c > best)) [best, bestDistance] = [c, distance];
  }
  return best;
}

/** Parses and validates a bank boleto's digitable line or barcode. */
export function parseBoleto(input: string, options: ParseBoletoOptions): BankBoleto {
  const field = options.field ?? 'line';
  const referenceDate = parseLocalDate(options.referenceDate, 'referenceDate');
  const digits = normaliseBoletoInput(input, field);
  const kind = identifyBoletoCode(digits);
  if (kind === null) {
    throw refuse(field, 'MALFORMED_BOLETO', 'A boleto code has 47 (line) or 44 (barcode) digits.', 'length');
  }
  if (kind === 'CONVENIO_LINE' || kind === 'CONVENIO_BARCODE') {
    throw refuse(field, 'UNSUPPORTED_CONVENIO', 'Convênio / arrecadação codes are not bank boletos and are not accepted here.');
  }

  let barcode: string;
  if (kind === 'BANK_LINE') {
    const fields: Array<[string, string, string]> = [
      [digits.slice(0, 9), digits[9]!, 'field1'],
      [digits.slice(10, 20), digits[20]!, 'field2'],
      [digits.slice(21, 31), digits[31]!, 'field3'],
    ];
    for (const [data, dv, part] of fields) {
      if (fieldCheckDigit(data) !== dv) throw refuse(field, 'BAD_CHECK_DIGIT', 'A check digit of the boleto line is wrong.', part);
    }
    barcode = digits.slice(0, 4) + digits.slice(32, 47) + digits.slice(4, 9) + digits.slice(10, 20) + digits.slice(21, 31);
  } else {
    barcode = digits;
  }

  if (barcode[3] !== '9') throw refuse(field, 'MALFORMED_BOLETO', 'Only boletos in reais (currency code 9) are accepted.', 'currency');
  if (barcodeCheckDigit(barcode.slice(0, 4) + barcode.slice(5)) !== barcode[4]) {
    throw refuse(field, 'BAD_CHECK_DIGIT', 'The general check digit of the boleto is wrong.', 'general');
  }
  const dueDateFactor = Number(barcode.slice(5, 9));
  if (dueDateFactor > 0 && dueDateFactor < 1000) {
    throw refuse(field, 'MALFORMED_BOLETO', 'The due-date factor is out of range.', 'dueDateFactor');
  }
  return {
    kind: 'BANK',
    barcode,
    digitableLine: barcodeToDigitableLine(barcode),
    bankCode: barcode.slice(0, 3),
    currencyCode: '9',
    currency: 'BRL',
    dueDateFactor,
    dueDate: dueDateFromFactor(dueDateFactor, referenceDate),
    amount: BigInt(barcode.slice(9, 19)),
    freeField: barcode.slice(19),
  };
}
