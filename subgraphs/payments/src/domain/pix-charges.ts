import { DomainError, badInput } from '@baas/errors';
import { divideRounded, formatMoney, money } from '@baas/money';
import { addDays, localDateOf, parseLocalDate, type LocalDate } from './business-days';

/**
 * PIX charges (pure): cob (immediate) and cobv (with a due date), as the BCB's API Pix defines them.
 *
 * - Statuses: ATIVA, CONCLUIDA (paid), REMOVIDA_PELO_USUARIO_RECEBEDOR (the receiver removed it),
 *   REMOVIDA_PELO_PSP (we removed it). Only an ATIVA charge is payable.
 * - A cob expires `expiration` seconds after its creation (payable while `at < createdAt + expiration`).
 * - A cobv may be paid until its due date plus `expiration` calendar days (inclusive), São Paulo local
 *   dates (business-days.ts). Up to and on the due date the fixed discount (desconto) applies; from the
 *   day after, the fine (multa, basis points of the original amount) applies once, and the interest
 *   (juros, basis points per month of the original amount) pro rata per calendar day late, a month
 *   being 30 days (the API Pix's "percentual ao mês, dias corridos").
 * - All arithmetic is integer bigint on centavos. Rounding: the fine and the interest are each
 *   rounded HALF_UP (ties away from zero) to whole centavos, the interest once on its total
 *   (amount × bps × days / 300 000), never per day; the discount is exact. The amount due is never negative.
 */

export const CHARGE_KINDS = ['COB', 'COBV'] as const;
export type ChargeKind = (typeof CHARGE_KINDS)[number];
export const CHARGE_STATUSES = ['ATIVA', 'CONCLUIDA', 'REMOVIDA_PELO_USUARIO_RECEBEDOR', 'REMOVIDA_PELO_PSP'] as const;
export type ChargeStatus = (typeof CHARGE_STATUSES)[number];

/** A cobv's rules: fine and monthly interest in basis points of the original amount, discount in centavos. */
export type ChargeRules = { readonly fineBps: number; readonly interestMonthlyBps: number; readonly discount: bigint };
/** What the amount due and the payability of a charge depend on. */
export type ChargeTerms = {
  readonly kind: string;
  readonly status: string;
  readonly amount: bigint;
  readonly createdAt: Date;
  /** cob: seconds from creation; cobv: days after the due date. */
  readonly expiration: number;
  readonly dueDate: LocalDate | null;
  readonly rules: ChargeRules;
};
export type AmountDue = { readonly original: bigint; readonly fine: bigint; readonly interest: bigint; readonly discount: bigint; readonly final: bigint };
export type ChargeRefusal = 'CHARGE_EXPIRED' | 'CHARGE_NOT_ACTIVE';
export type Payability = { readonly ok: true; readonly amountDue: bigint } | { readonly ok: false; readonly code: ChargeRefusal };

export const NO_RULES: ChargeRules = { fineBps: 0, interestMonthlyBps: 0, discount: 0n };
export const DEFAULT_COB_EXPIRATION_SECONDS = 3600;
export const DEFAULT_COBV_DAYS_AFTER_DUE = 30;
/** The longest a cob may live (a year) and a cobv be paid after its due date (ten years). */
export const MAX_COB_EXPIRATION_SECONDS = 365 * 86_400;
export const MAX_COBV_DAYS_AFTER_DUE = 3650;
/** Fine at most 100 %, interest at most 100 % a month (basis points). */
export const MAX_RATE_BPS = 10_000;
const DAY_MS = 86_400_000;

/** Whole calendar days from `from` to `to` (local dates; negative when `to` is earlier). */
export function daysBetween(from: LocalDate, to: LocalDate): number {
  const ms = (d: LocalDate) => {
    const [y, m, day] = d.split('-').map(Number) as [number, number, number];
    return Date.UTC(y, m - 1, day);
  };
  return Math.round((ms(to) - ms(from)) / DAY_MS);
}

/** The fine once late: amount × fineBps / 10 000, HALF_UP. */
export function fineOf(amount: bigint, fineBps: number): bigint {
  return divideRounded(amount * BigInt(fineBps), 10_000n, 'HALF_UP');
}

/** Interest for `daysLate` calendar days: amount × bps × days / (10 000 × 30), HALF_UP on the total. */
export function interestOf(amount: bigint, interestMonthlyBps: number, daysLate: number): bigint {
  if (daysLate <= 0) return 0n;
  return divideRounded(amount * BigInt(interestMonthlyBps) * BigInt(daysLate), 300_000n, 'HALF_UP');
}

/** What a payer owes at `at`, itemised (a cob: the original amount). Never negative. */
export function amountDueAt(terms: ChargeTerms, at: Date): AmountDue {
  const original = terms.amount;
  if (terms.kind !== 'COBV' || !terms.dueDate) return { original, fine: 0n, interest: 0n, discount: 0n, final: original };
  const late = daysBetween(terms.dueDate, localDateOf(at));
  if (late <= 0) {
    const discount = terms.rules.discount > original ? original : terms.rules.discount < 0n ? 0n : terms.rules.discount;
    return { original, fine: 0n, interest: 0n, discount, final: original - discount };
  }
  const fine = fineOf(original, terms.rules.fineBps);
  const interest = interestOf(original, terms.rules.interestMonthlyBps, late);
  return { original, fine, interest, discount: 0n, final: original + fine + interest };
}

/** A cob's expiry instant; a cobv's last payable local date. */
export function chargeDeadline(terms: Pick<ChargeTerms, 'kind' | 'createdAt' | 'expiration' | 'dueDate'>): { expiresAt: Date } | { lastPayableDate: LocalDate } {
  if (terms.kind === 'COBV' && terms.dueDate) return { lastPayableDate: addDays(terms.dueDate, terms.expiration) };
  return { expiresAt: new Date(terms.createdAt.getTime() + terms.expiration * 1000) };
}

/** Whether the charge's payment window has passed at `at` (whatever its status). */
export function isChargeExpired(terms: ChargeTerms, at: Date): boolean {
  const deadline = chargeDeadline(terms);
  if ('expiresAt' in deadline) return at.getTime() >= deadline.expiresAt.getTime();
  return daysBetween(deadline.lastPayableDate, localDateOf(at)) > 0;
}

/** May the charge be paid at `at`: ok with the amount due, or CHARGE_NOT_ACTIVE (not ATIVA) / CHARGE_EXPIRED. */
export function chargePayable(charge: ChargeTerms, at: Date): Payability {
  if (charge.status !== 'ATIVA') return { ok: false, code: 'CHARGE_NOT_ACTIVE' };
  if (isChargeExpired(charge, at)) return { ok: false, code: 'CHARGE_EXPIRED' };
  return { ok: true, amountDue: amountDueAt(charge, at).final };
}

/** The coded DomainError for a refusal: CONFLICT with details.reason. */
export function chargeRefusalError(code: ChargeRefusal): DomainError {
  const message = code === 'CHARGE_EXPIRED' ? 'The charge has expired.' : 'The charge is no longer active (paid or removed).';
  return new DomainError('CONFLICT', message, { reason: code });
}

/** The rules as stored (JSON, amounts as decimal strings) read back; anything missing is zero. */
export function rulesFromJson(json: unknown): ChargeRules {
  const r = (json && typeof json === 'object' ? json : {}) as Record<string, unknown>;
  const int = (v: unknown) => (typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : 0);
  const discount = typeof r.discount === 'string' && /^\d+$/.test(r.discount) ? BigInt(r.discount) : 0n;
  return { fineBps: int(r.fineBps), interestMonthlyBps: int(r.interestMonthlyBps), discount };
}

/** The rules as stored (JSON-safe). */
export function rulesToJson(rules: ChargeRules): { fineBps: number; interestMonthlyBps: number; discount: string } {
  return { fineBps: rules.fineBps, interestMonthlyBps: rules.interestMonthlyBps, discount: rules.discount.toString() };
}

export type ChargeTermsInput = {
  readonly kind: string;
  readonly amount: bigint;
  readonly expiration?: number | null;
  readonly dueDate?: string | null;
  readonly fineBps?: number | null;
  readonly interestMonthlyBps?: number | null;
  readonly discount?: bigint | null;
  /** Today (São Paulo): a cobv's due date may not be earlier. */
  readonly today: LocalDate;
};

const bps = (value: number | null | undefined, field: string): number => {
  if (value === undefined || value === null) return 0;
  if (!Number.isInteger(value) || value < 0 || value > MAX_RATE_BPS) throw badInput(`${field} is 0 to ${MAX_RATE_BPS} basis points.`, { field, reason: 'OUT_OF_RANGE' });
  return value;
};

/**
 * Validates a new charge's kind, window and rules (BAD_USER_INPUT with details.field): a cob takes no
 * due date, fine, interest or discount; a cobv needs a due date not before today and a discount below
 * the amount. Defaults: a cob expires after 3600 s, a cobv may be paid 30 days after its due date.
 */
export function parseChargeTerms(input: ChargeTermsInput): { kind: ChargeKind; expiration: number; dueDate: LocalDate | null; rules: ChargeRules } {
  if (!(CHARGE_KINDS as readonly string[]).includes(input.kind)) throw badInput('kind is COB or COBV.', { field: 'kind' });
  const kind = input.kind as ChargeKind;
  const exp = input.expiration ?? null;
  if (kind === 'COB') {
    for (const field of ['dueDate', 'fineBps', 'interestMonthlyBps', 'discount'] as const) {
      if (input[field] !== undefined && input[field] !== null) throw badInput(`${field} is for COBV charges only.`, { field, reason: 'COBV_ONLY' });
    }
    if (exp !== null && (!Number.isInteger(exp) || exp < 1 || exp > MAX_COB_EXPIRATION_SECONDS)) throw badInput(`expiration is 1 to ${MAX_COB_EXPIRATION_SECONDS} seconds.`, { field: 'expiration' });
    return { kind, expiration: exp ?? DEFAULT_COB_EXPIRATION_SECONDS, dueDate: null, rules: NO_RULES };
  }
  if (!input.dueDate) throw badInput('A COBV charge needs a due date.', { field: 'dueDate', reason: 'REQUIRED' });
  const dueDate = parseLocalDate(input.dueDate, 'dueDate');
  if (daysBetween(input.today, dueDate) < 0) throw badInput('The due date is in the past.', { field: 'dueDate', reason: 'DUE_DATE_PAST' });
  if (exp !== null && (!Number.isInteger(exp) || exp < 0 || exp > MAX_COBV_DAYS_AFTER_DUE)) throw badInput(`expiration is 0 to ${MAX_COBV_DAYS_AFTER_DUE} days.`, { field: 'expiration' });
  const discount = input.discount ?? 0n;
  if (discount < 0n || discount >= input.amount) throw badInput('The discount must be below the amount.', { field: 'discount', reason: 'OUT_OF_RANGE' });
  const rules = { fineBps: bps(input.fineBps, 'fineBps'), interestMonthlyBps: bps(input.interestMonthlyBps, 'interestMonthlyBps'), discount };
  return { kind, expiration: exp ?? DEFAULT_COBV_DAYS_AFTER_DUE, dueDate, rules };
}

/** A charge as its location serves it. */
export type LocationCharge = ChargeTerms & { readonly txid: string; readonly revision: number; readonly key: string; readonly description: string | null };

const brl = (centavos: bigint) => formatMoney(money(centavos, 'BRL'));

/**
 * The payload the location serves (signed as a JWS by the caller), shaped as the BCB's API Pix: txid,
 * revisao, calendario (criacao, apresentacao = `at`, and expiracao for a cob or dataDeVencimento and
 * validadeAposVencimento for a cobv), status, valor (decimal strings with 2 decimals: original; a
 * cobv adds multa, juros, desconto and final, the amount due at `at`), chave, solicitacaoPagador.
 */
export function locationPayload(charge: LocationCharge, at: Date): Record<string, unknown> {
  const due = amountDueAt(charge, at);
  const cobv = charge.kind === 'COBV' && charge.dueDate !== null;
  return {
    txid: charge.txid,
    revisao: charge.revision,
    calendario: cobv
      ? { criacao: charge.createdAt.toISOString(), apresentacao: at.toISOString(), dataDeVencimento: charge.dueDate, validadeAposVencimento: charge.expiration }
      : { criacao: charge.createdAt.toISOString(), apresentacao: at.toISOString(), expiracao: charge.expiration },
    status: charge.status,
    valor: cobv
      ? { original: brl(due.original), multa: brl(due.fine), juros: brl(due.interest), desconto: brl(due.discount), final: brl(due.final) }
      : { original: brl(due.original) },
    chave: charge.key,
    ...(charge.description ? { solicitacaoPagador: charge.description } : {}),
  };
}

/** "10.50" as centavos (exact); null unless a non-negative amount with exactly 2 decimals. */
export function parsePayloadAmount(text: unknown): bigint | null {
  const m = typeof text === 'string' ? /^(\d{1,17})\.(\d{2})$/.exec(text) : null;
  return m ? BigInt(m[1]!) * 100n + BigInt(m[2]!) : null;
}

/** A stored charge's columns as the domain reads them (a PixChargeRow fits). */
export type StoredCharge = {
  readonly txid: string;
  readonly kind: string;
  readonly status: string;
  readonly amount: bigint;
  readonly createdAt: Date;
  readonly expiration: number;
  readonly dueDate: string | null;
  readonly rules: unknown;
  readonly revision: number;
  readonly pixKey: string;
  readonly description: string | null;
};

/** A stored charge as its terms and location view (the rules JSON read back). */
export function locationChargeOf(row: StoredCharge): LocationCharge {
  return {
    txid: row.txid, kind: row.kind, status: row.status, amount: row.amount, createdAt: row.createdAt, expiration: row.expiration,
    dueDate: row.dueDate, rules: rulesFromJson(row.rules), revision: row.revision, key: row.pixKey, description: row.description,
  };
}
