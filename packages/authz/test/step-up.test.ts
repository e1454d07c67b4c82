import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { isDomainError } from '@baas/errors';
import {
  applyPermissions,
  assertStepUp,
  createPermissions,
  isAuthenticated,
  isInternal,
  or,
  requireStepUp,
  STEP_UP_CLOCK_SKEW_SECONDS,
  stepUpSatisfied,
  toAmountMinor,
  type AuthzIdentity,
  type DeniedInfo,
  type ShieldRule,
  type StepUpPolicy,
} from '../src/index';
import { buildSchema, codes, ruleTree, run, who } from './fixtures';

const NOW = 1_750_000_000;
const policy: StepUpPolicy = {
  LARGE_TRANSFER: { maxAgeSeconds: 300, minAmountMinor: '10000' },
  CLOSE_ACCOUNT: { maxAgeSeconds: 60 },
};
const customer = (extra: Partial<AuthzIdentity> = {}): AuthzIdentity => ({ ...who.alice, stepUpPolicy: policy, ...extra });

describe('stepUpSatisfied', () => {
  it('needs nothing for an action the policy does not list, or without a policy', () => {
    assert.equal(stepUpSatisfied(customer(), 'readStatement', 10n ** 12n, NOW), true);
    assert.equal(stepUpSatisfied({ ...who.alice }, 'LARGE_TRANSFER', 10n ** 12n, NOW), true);
  });

  it('needs nothing for an amount strictly below minAmountMinor', () => {
    assert.equal(stepUpSatisfied(customer(), 'LARGE_TRANSFER', 0n, NOW), true);
    assert.equal(stepUpSatisfied(customer(), 'LARGE_TRANSFER', 9_999n, NOW), true);
    assert.equal(stepUpSatisfied(customer(), 'LARGE_TRANSFER', 10_000n, NOW), false);
  });

  it('requires a step-up when the amount is unknown or negative', () => {
    assert.equal(stepUpSatisfied(customer(), 'LARGE_TRANSFER', undefined, NOW), false);
    assert.equal(stepUpSatisfied(customer(), 'LARGE_TRANSFER', null, NOW), false);
    assert.equal(stepUpSatisfied(customer(), 'LARGE_TRANSFER', -1n, NOW), false);
  });

  it('accepts a step-up at most maxAgeSeconds old', () => {
    assert.equal(stepUpSatisfied(customer({ stepUpAt: NOW - 300 }), 'LARGE_TRANSFER', 50_000n, NOW), true);
    assert.equal(stepUpSatisfied(customer({ stepUpAt: NOW - 301 }), 'LARGE_TRANSFER', 50_000n, NOW), false);
    assert.equal(stepUpSatisfied(customer({ stepUpAt: NOW - 60 }), 'CLOSE_ACCOUNT', undefined, NOW), true);
    assert.equal(stepUpSatisfied(customer({ stepUpAt: NOW - 61 }), 'CLOSE_ACCOUNT', undefined, NOW), false);
    assert.equal(stepUpSatisfied(customer(), 'CLOSE_ACCOUNT', undefined, NOW), false);
  });

  it('tolerates a little clock skew but not a step-up far in the future', () => {
    assert.equal(stepUpSatisfied(customer({ stepUpAt: NOW + STEP_UP_CLOCK_SKEW_SECONDS }), 'CLOSE_ACCOUNT', undefined, NOW), true);
    assert.equal(stepUpSatisfied(customer({ stepUpAt: NOW + STEP_UP_CLOCK_SKEW_SECONDS + 1 }), 'CLOSE_ACCOUNT', undefined, NOW), false);
  });

  it('fails closed on malformed policies and identities', () => {
    const broken = (entry: unknown) => customer({ stepUpAt: NOW, stepUpPolicy: { LARGE_TRANSFER: entry } as unknown as StepUpPolicy });
    assert.equal(stepUpSatisfied(broken({ maxAgeSeconds: 'soon' }), 'LARGE_TRANSFER', 1n, NOW), false);
    assert.equal(stepUpSatisfied(broken({ maxAgeSeconds: -1 }), 'LARGE_TRANSFER', 1n, NOW), false);
    assert.equal(stepUpSatisfied(broken(null), 'LARGE_TRANSFER', 1n, NOW), false);
    // A threshold that is not an integer exempts nothing; the step-up itself still counts.
    assert.equal(stepUpSatisfied(customer({ stepUpPolicy: { LARGE_TRANSFER: { maxAgeSeconds: 300, minAmountMinor: '1e9' } } }), 'LARGE_TRANSFER', 1n, NOW), false);
    assert.equal(stepUpSatisfied(customer({ stepUpAt: NOW, stepUpPolicy: { LARGE_TRANSFER: { maxAgeSeconds: 300, minAmountMinor: '1e9' } } }), 'LARGE_TRANSFER', 1n, NOW), true);
    assert.equal(stepUpSatisfied(customer({ stepUpAt: Number.NaN }), 'CLOSE_ACCOUNT', undefined, NOW), false);
    assert.equal(stepUpSatisfied(null, 'readStatement', undefined, NOW), false);
  });

  it('reads only the policy own entries (no prototype keys)', () => {
    assert.equal(stepUpSatisfied(customer(), 'constructor', undefined, NOW), true);
    assert.equal(stepUpSatisfied(customer(), '__proto__', undefined, NOW), true);
  });

  it('property: below the threshold never needs a step-up; at or above it, exactly a fresh one passes', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10n ** 15n }),
        fc.bigInt({ min: 0n, max: 10n ** 15n }),
        fc.integer({ min: 0, max: 86_400 }),
        fc.option(fc.integer({ min: -2 * 86_400, max: 86_400 }), { nil: undefined }),
        (threshold, amount, maxAgeSeconds, offset) => {
          const identity = customer({
            stepUpPolicy: { pay: { maxAgeSeconds, minAmountMinor: threshold.toString() } },
            ...(offset === undefined ? {} : { stepUpAt: NOW + offset }),
          });
          const fresh = offset !== undefined && -offset <= maxAgeSeconds && offset <= STEP_UP_CLOCK_SKEW_SECONDS;
          assert.equal(stepUpSatisfied(identity, 'pay', amount, NOW), amount < threshold || fresh);
        },
      ),
    );
  });
});

describe('assertStepUp', () => {
  it('returns the identity when satisfied and throws the platform errors otherwise', () => {
    const fresh = customer({ stepUpAt: NOW - 5 });
    assert.equal(assertStepUp(fresh, 'CLOSE_ACCOUNT', undefined, NOW), fresh);
    assert.equal(assertStepUp(customer(), 'LARGE_TRANSFER', 1n, NOW).subject, 'c1');
    assert.throws(() => assertStepUp(customer(), 'CLOSE_ACCOUNT', undefined, NOW), (error) => isDomainError(error) && error.code === 'STEP_UP_REQUIRED');
    assert.throws(() => assertStepUp(null, 'CLOSE_ACCOUNT'), (error) => isDomainError(error) && error.code === 'UNAUTHENTICATED');
  });
});

describe('toAmountMinor', () => {
  it('reads bigints, integer strings and safe integers; nothing else', () => {
    assert.equal(toAmountMinor(12n), 12n);
    assert.equal(toAmountMinor('123456789012345678901234567890'), 123456789012345678901234567890n);
    assert.equal(toAmountMinor('-5'), -5n);
    assert.equal(toAmountMinor(7), 7n);
    for (const value of ['1.5', '1e3', '', ' 1', 1.5, Number.MAX_SAFE_INTEGER + 1, null, undefined, {}]) {
      assert.equal(toAmountMinor(value), undefined, String(value));
    }
  });
});

describe('requireStepUp in a schema', () => {
  const schema = applyPermissions(buildSchema(), createPermissions(ruleTree));
  const transfer = 'mutation ($amount: String!) { transfer(input: { amount: $amount, to: "c2" }) }';
  const now = () => Math.floor(Date.now() / 1000);

  it('lets a small transfer through without step-up', async () => {
    assert.deepEqual((await run(schema, transfer, customer(), { amount: '9999' })).data, { transfer: 'sent' });
  });

  it('asks for a step-up at or above the threshold: STEP_UP_REQUIRED naming the action', async () => {
    const outcome = await run(schema, transfer, customer(), { amount: '10000' });
    assert.deepEqual(outcome.data, { transfer: null });
    assert.deepEqual(outcome.errors.map(({ code, details, message }) => ({ code, details, message })), [
      { code: 'STEP_UP_REQUIRED', details: { action: 'LARGE_TRANSFER' }, message: 'This action needs a recent passkey confirmation (step-up).' },
    ]);
  });

  it('accepts a recent passkey assertion and refuses a stale one', async () => {
    assert.deepEqual((await run(schema, transfer, customer({ stepUpAt: now() - 10 }), { amount: '50000' })).data, { transfer: 'sent' });
    assert.deepEqual(codes(await run(schema, transfer, customer({ stepUpAt: now() - 3600 }), { amount: '50000' })), ['STEP_UP_REQUIRED']);
  });

  it('applies to actions without an amount, and not at all when the policy does not list the action', async () => {
    assert.deepEqual(codes(await run(schema, 'mutation { closeAccount(id: "a1") }', customer())), ['STEP_UP_REQUIRED']);
    assert.deepEqual((await run(schema, 'mutation { closeAccount(id: "a1") }', customer({ stepUpAt: now() }))).data, { closeAccount: 'closed' });
    assert.deepEqual((await run(schema, 'mutation { closeAccount(id: "a1") }', { ...who.alice })).data, { closeAccount: 'closed' });
  });

  it('is UNAUTHENTICATED without an identity, and reports the step-up code to onDenied', async () => {
    assert.deepEqual(codes(await run(schema, transfer, null, { amount: '1' })), ['UNAUTHENTICATED']);
    const denied: DeniedInfo[] = [];
    const audited = applyPermissions(buildSchema(), createPermissions(ruleTree, { onDenied: (info) => denied.push(info) }));
    await run(audited, transfer, customer(), { amount: '10000' });
    assert.deepEqual(denied.map(({ typeName, fieldName, code, path }) => ({ typeName, fieldName, code, path })), [
      { typeName: 'Mutation', fieldName: 'transfer', code: 'STEP_UP_REQUIRED', path: ['transfer'] },
    ]);
  });

  it('in or(), the first failing rule in order decides the code the client sees', async () => {
    const withTree = (closeAccount: ShieldRule) => applyPermissions(buildSchema(), createPermissions({ Mutation: { closeAccount } }));
    const close = 'mutation { closeAccount(id: "a1") }';
    assert.deepEqual(codes(await run(withTree(or(requireStepUp('CLOSE_ACCOUNT'), isInternal)), close, customer())), ['STEP_UP_REQUIRED']);
    assert.deepEqual(codes(await run(withTree(or(isInternal, requireStepUp('CLOSE_ACCOUNT'))), close, customer())), ['FORBIDDEN']);
    assert.deepEqual((await run(withTree(or(requireStepUp('CLOSE_ACCOUNT'), isInternal)), close, who.operator)).data, { closeAccount: 'closed' });
  });

  it('takes a clock for tests, and reads bigint amounts from nested arguments', async () => {
    const rule = requireStepUp('pay', { amountArg: 'input.money.amountMinor', now: () => NOW });
    const identity = customer({ stepUpPolicy: { pay: { maxAgeSeconds: 30, minAmountMinor: '100' } }, stepUpAt: NOW - 31 });
    const context = { identity, _shield: { cache: {} } };
    const options = { debug: false, allowExternalErrors: true, fallbackRule: isAuthenticated, hashFunction: () => '' };
    const resolve = (amountMinor: unknown) => rule.resolve({}, { input: { money: { amountMinor } } }, context, {} as never, options);
    assert.equal(await resolve(99n), true);
    assert.deepEqual(((await resolve(100n)) as { details?: unknown }).details, { action: 'pay' });
    assert.equal(((await resolve('100')) as { code?: unknown }).code, 'STEP_UP_REQUIRED');
    assert.equal(((await resolve('ninety')) as { code?: unknown }).code, 'STEP_UP_REQUIRED');
  });
});
