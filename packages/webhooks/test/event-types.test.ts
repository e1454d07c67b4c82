import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { isDomainError } from '@baas/errors';
import {
  checkEventPattern,
  checkEventPatterns,
  createEventTypeRegistry,
  DEFAULT_EVENT_TYPE_REGISTRY,
  endpointWants,
  eventPatternInputError,
  isWellFormedPattern,
  patternMatches,
  typesMatching,
  WEBHOOK_EVENT_TYPES,
} from '../src/index';

test('the grammar: "*" is one token, ">" (last) one or more, ">" alone everything', () => {
  assert.ok(patternMatches('payments.order.*', 'payments.order.settled'));
  assert.ok(!patternMatches('payments.order.*', 'payments.order'));
  assert.ok(!patternMatches('payments.order.*', 'payments.pix.key.registered'));
  assert.ok(patternMatches('payments.>', 'payments.pix.key.registered'));
  assert.ok(patternMatches('payments.>', 'payments.order.settled'));
  assert.ok(!patternMatches('payments.>', 'payments'));
  assert.ok(patternMatches('*.transfer.*', 'ledger.transfer.posted'));
  assert.ok(patternMatches('>', 'ledger.transfer.posted'));
  assert.ok(patternMatches('ledger.transfer.posted', 'ledger.transfer.posted'));
  assert.ok(!patternMatches('ledger.transfer.post', 'ledger.transfer.posted'));
  assert.ok(!patternMatches('ledger.transfer.posted.x', 'ledger.transfer.posted'));
});

test('malformed patterns are refused as MALFORMED_EVENT_PATTERN', () => {
  for (const bad of ['', '.', 'payments.', '.payments', 'payments..order', 'payments.>.x', 'payments.ord*', 'Payments.order', 'payments order', 'payments.>>', '**', 'a.b.c.d.e.f.g.h.i', 'x'.repeat(256), 'ledger.transfer.posted\n']) {
    assert.equal(isWellFormedPattern(bad), false, JSON.stringify(bad));
    assert.equal(checkEventPattern(bad)?.reason, 'MALFORMED_EVENT_PATTERN', JSON.stringify(bad));
  }
});

test('unknown types and patterns that select nothing are refused; internal types cannot be named or matched', () => {
  assert.equal(checkEventPattern('payments.order.teleported')?.reason, 'UNKNOWN_EVENT_TYPE');
  assert.equal(checkEventPattern('risk.>')?.reason, 'NO_MATCHING_EVENT_TYPE');
  assert.equal(checkEventPattern('identity.events.customer.identifiers')?.reason, 'UNKNOWN_EVENT_TYPE');
  assert.equal(checkEventPattern('identity.>')?.reason, 'NO_MATCHING_EVENT_TYPE');
  assert.equal(checkEventPattern('payments.order.*'), null);
  assert.equal(checkEventPattern('ledger.>'), null);
  assert.equal(checkEventPattern('>'), null);
  assert.ok(!typesMatching('>').includes('identity.events.customer.identifiers'));
  assert.ok(!typesMatching('>').includes('risk.observed.movement'));
  assert.ok(!endpointWants(['>'], 'identity.events.customer.identifiers'));
  assert.ok(!endpointWants(['>'], 'payments.order.invented'), 'a type nobody registered is not delivered');
  assert.ok(endpointWants(['ledger.>', 'payments.order.settled'], 'payments.order.settled'));
  assert.ok(!endpointWants(['payments.order.settled'], 'payments.order.failed'));
  assert.deepEqual(typesMatching('payments.order.*'), WEBHOOK_EVENT_TYPES.filter((t) => t.type.startsWith('payments.order.')).map((t) => t.type));
});

test('an endpoint\'s list: empty or too long refused, every bad pattern reported, mapped to BAD_USER_INPUT with a reason', () => {
  assert.equal(checkEventPatterns([])[0]?.reason, 'NO_MATCHING_EVENT_TYPE');
  assert.equal(checkEventPatterns(Array.from({ length: 51 }, () => '>'))[0]?.reason, 'TOO_MANY_EVENT_PATTERNS');
  const refusals = checkEventPatterns(['ledger.>', 'bogus..x', 'payments.order.nope']);
  assert.deepEqual(refusals.map((r) => r.reason), ['MALFORMED_EVENT_PATTERN', 'UNKNOWN_EVENT_TYPE']);
  const err = eventPatternInputError(refusals);
  assert.ok(isDomainError(err));
  assert.equal(err.code, 'BAD_USER_INPUT');
  assert.deepEqual(err.details, { field: 'eventTypes', reason: 'MALFORMED_EVENT_PATTERN', patterns: ['bogus..x', 'payments.order.nope'] });
});

test('the registry: concrete dotted names, each once; subgraphs extend it', () => {
  assert.ok(DEFAULT_EVENT_TYPE_REGISTRY.subscribable.has('payments.order.settled'));
  assert.ok(DEFAULT_EVENT_TYPE_REGISTRY.subscribable.has('ledger.transfer.posted'));
  assert.ok(DEFAULT_EVENT_TYPE_REGISTRY.subscribable.has('webhook.ping'));
  assert.throws(() => createEventTypeRegistry([...WEBHOOK_EVENT_TYPES, { type: 'ledger.transfer.posted', source: 'ledger', description: 'again' }]), /twice/);
  assert.throws(() => createEventTypeRegistry([{ type: 'kyc.*', source: 'kyc', description: 'a wildcard' }]), /concrete/);
  const extended = createEventTypeRegistry([...WEBHOOK_EVENT_TYPES, { type: 'kyc.case.approved', source: 'kyc', description: 'A KYC case was approved.' }]);
  assert.equal(checkEventPattern('kyc.>', extended), null);
  assert.ok(endpointWants(['kyc.*.approved'], 'kyc.case.approved', extended));
});

const token = fc.stringMatching(/^[a-z0-9_]{1,6}$/);
const type = fc.array(token, { minLength: 1, maxLength: 6 });

test('property: a pattern made from a type by wildcarding tokens matches it; changing a literal token breaks it', () => {
  fc.assert(
    fc.property(type, fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }), fc.nat({ max: 5 }), (tokens, stars, cut) => {
      const concrete = tokens.join('.');
      const starred = tokens.map((t, i) => (stars[i] ? '*' : t));
      assert.ok(isWellFormedPattern(starred.join('.')));
      assert.ok(patternMatches(starred.join('.'), concrete));
      const keep = Math.min(cut, tokens.length - 1);
      const tail = [...starred.slice(0, keep), '>'].join('.');
      assert.ok(isWellFormedPattern(tail));
      assert.ok(patternMatches(tail, concrete));
      assert.ok(!patternMatches(starred.join('.'), `${concrete}.extra`));
      const literal = starred.findIndex((t) => t !== '*');
      if (literal >= 0) {
        const changed = [...tokens];
        changed[literal] = `${changed[literal]}x`;
        assert.ok(!patternMatches(starred.join('.'), changed.join('.')));
      }
    }),
    { numRuns: 500 },
  );
});

test('property: patternMatches agrees with a regular expression built from the grammar', () => {
  const pattern = fc.tuple(fc.array(fc.oneof(token, fc.constant('*')), { minLength: 0, maxLength: 4 }), fc.boolean()).filter(([ts, tail]) => ts.length > 0 || tail).map(([ts, tail]) => [...ts, ...(tail ? ['>'] : [])].join('.'));
  const toRegExp = (p: string) => new RegExp(`^${p.split('.').map((t) => (t === '*' ? '[a-z0-9_]+' : t === '>' ? '[a-z0-9_]+(?:\\.[a-z0-9_]+)*' : t)).join('\\.')}$`);
  fc.assert(
    fc.property(pattern, type, (p, tokens) => {
      assert.equal(patternMatches(p, tokens.join('.')), toRegExp(p).test(tokens.join('.')));
    }),
    { numRuns: 1000 },
  );
});
