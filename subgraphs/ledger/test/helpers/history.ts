import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { MAX_COUNTER, type AccountState, type TransferRequest } from '../../src/domain/types';

/** Accounts for generated histories: per currency, two unguarded funding accounts and guarded ones. */
export function makeAccounts(): AccountState[] {
  const out: AccountState[] = [];
  for (const currency of ['BRL', 'USD']) {
    for (const flags of [0, 0, 1, 1, 2]) {
      out.push({ id: randomUUID(), currency, flags, debitsPosted: 0n, creditsPosted: 0n, debitsPending: 0n, creditsPending: 0n });
    }
  }
  return out;
}

export type Op =
  | { type: 'transfer'; pending: boolean; debit: number; credit: number; amount: bigint; currencyOf: 'debit' | 'other'; timeout: number }
  | { type: 'post'; pendingIndex: number; amount: bigint | null }
  | { type: 'void'; pendingIndex: number }
  | { type: 'replay'; index: number; tamper: boolean }
  | { type: 'linked'; legs: { debit: number; credit: number; amount: bigint }[] };

/** Generated ops whose amounts come from `amount` (transfers, linked legs) and `postAmount` (partial posts). */
export function opArbWith(amount: fc.Arbitrary<bigint>, postAmount: fc.Arbitrary<bigint>, legAmount: fc.Arbitrary<bigint> = amount): fc.Arbitrary<Op> {
  return fc.oneof(
    { weight: 5, arbitrary: fc.record({ type: fc.constant('transfer' as const), pending: fc.boolean(), debit: fc.nat(9), credit: fc.nat(9), amount, currencyOf: fc.constantFrom('debit' as const, 'debit' as const, 'other' as const), timeout: fc.constantFrom(0, 0, 3600) }) },
    { weight: 2, arbitrary: fc.record({ type: fc.constant('post' as const), pendingIndex: fc.nat(50), amount: fc.option(postAmount, { nil: null }) }) },
    { weight: 1, arbitrary: fc.record({ type: fc.constant('void' as const), pendingIndex: fc.nat(50) }) },
    { weight: 1, arbitrary: fc.record({ type: fc.constant('replay' as const), index: fc.nat(200), tamper: fc.boolean() }) },
    { weight: 1, arbitrary: fc.record({ type: fc.constant('linked' as const), legs: fc.array(fc.record({ debit: fc.nat(9), credit: fc.nat(9), amount: legAmount }), { minLength: 2, maxLength: 3 }) }) },
  );
}

export const opArb: fc.Arbitrary<Op> = opArbWith(fc.bigInt({ min: -2n, max: 500n }), fc.bigInt({ min: 0n, max: 600n }), fc.bigInt({ min: 1n, max: 300n }));

/**
 * Amounts for histories near the 64-bit limit: small ones, ones just under, at and over 2^63 - 1,
 * and halves of it (two of which nearly fill a counter).
 */
export const nearLimitAmountArb: fc.Arbitrary<bigint> = fc.oneof(
  fc.bigInt({ min: 1n, max: 1000n }),
  fc.bigInt({ min: MAX_COUNTER - 1000n, max: MAX_COUNTER }),
  fc.bigInt({ min: MAX_COUNTER / 2n - 1000n, max: MAX_COUNTER / 2n + 1000n }),
  fc.bigInt({ min: MAX_COUNTER + 1n, max: 2n ** 64n + 1000n }),
);

/** Turns generated ops into requests against the given accounts, remembering what was sent. */
export function createRequestFactory(accounts: AccountState[]) {
  const sent: TransferRequest[] = [];
  const pendingIds: string[] = [];
  const currencyOf = (i: number) => accounts[i]!.currency;
  return {
    sent,
    toJob(op: Op): { requests: TransferRequest[]; linked: boolean } {
      switch (op.type) {
        case 'transfer': {
          const r: TransferRequest = {
            kind: op.pending ? 'PENDING' : 'SINGLE',
            id: randomUUID(),
            debitAccountId: accounts[op.debit]!.id,
            creditAccountId: accounts[op.credit]!.id,
            amount: op.amount,
            currency: op.currencyOf === 'debit' ? currencyOf(op.debit) : currencyOf(op.credit) === 'BRL' ? 'USD' : 'BRL',
            code: 1,
            ...(op.pending && op.timeout ? { timeoutSeconds: op.timeout } : {}),
          };
          if (op.pending) pendingIds.push(r.id);
          sent.push(r);
          return { requests: [r], linked: false };
        }
        case 'post':
        case 'void': {
          const pendingId = pendingIds.length ? pendingIds[op.pendingIndex % pendingIds.length]! : randomUUID();
          const r: TransferRequest =
            op.type === 'post'
              ? { kind: 'POST', id: randomUUID(), pendingId, ...(op.amount !== null ? { amount: op.amount } : {}) }
              : { kind: 'VOID', id: randomUUID(), pendingId };
          sent.push(r);
          return { requests: [r], linked: false };
        }
        case 'replay': {
          if (sent.length === 0) return { requests: [], linked: false };
          const original = sent[op.index % sent.length]!;
          const r = op.tamper && 'code' in original ? { ...original, code: original.code + 1 } : original;
          return { requests: [r], linked: false };
        }
        case 'linked': {
          const requests: TransferRequest[] = op.legs.map((leg) => ({
            kind: 'SINGLE',
            id: randomUUID(),
            debitAccountId: accounts[leg.debit]!.id,
            creditAccountId: accounts[leg.credit]!.id,
            amount: leg.amount,
            currency: currencyOf(leg.debit),
            code: 2,
          }));
          sent.push(...requests);
          return { requests, linked: true };
        }
      }
    },
  };
}

/** The invariants every ledger state must keep. Returns a list of violations (empty when sound). */
export function checkInvariants(accounts: Iterable<AccountState>): string[] {
  const problems: string[] = [];
  const sums = new Map<string, { dp: bigint; cp: bigint; dpe: bigint; cpe: bigint }>();
  for (const a of accounts) {
    const s = sums.get(a.currency) ?? { dp: 0n, cp: 0n, dpe: 0n, cpe: 0n };
    s.dp += a.debitsPosted;
    s.cp += a.creditsPosted;
    s.dpe += a.debitsPending;
    s.cpe += a.creditsPending;
    sums.set(a.currency, s);
    if (a.debitsPosted < 0n || a.creditsPosted < 0n || a.debitsPending < 0n || a.creditsPending < 0n) problems.push(`${a.id}: negative counter`);
    if (a.debitsPosted + a.debitsPending > MAX_COUNTER || a.creditsPosted + a.creditsPending > MAX_COUNTER) problems.push(`${a.id}: a counter passes 2^63 - 1`);
    if (a.flags & 1 && a.debitsPosted + a.debitsPending > a.creditsPosted) problems.push(`${a.id}: overdrawn`);
    if (a.flags & 2 && a.creditsPosted + a.creditsPending > a.debitsPosted) problems.push(`${a.id}: credits exceed debits`);
  }
  for (const [currency, s] of sums) {
    if (s.dp !== s.cp) problems.push(`${currency}: posted debits ${s.dp} != credits ${s.cp}`);
    if (s.dpe !== s.cpe) problems.push(`${currency}: pending debits ${s.dpe} != credits ${s.cpe}`);
  }
  return problems;
}
