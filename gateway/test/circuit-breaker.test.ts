import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CircuitBreaker } from '../src/circuit-breaker';

describe('CircuitBreaker', () => {
  it('opens after the threshold, fails fast, then lets one trial through and closes on success', () => {
    let now = 0;
    const breaker = new CircuitBreaker('accounts', { failureThreshold: 3, resetMs: 1000, now: () => now });
    for (let i = 0; i < 3; i++) {
      assert.equal(breaker.tryAcquire(), true);
      breaker.recordFailure();
    }
    assert.equal(breaker.current, 'open');
    assert.equal(breaker.tryAcquire(), false);
    now = 1000;
    assert.equal(breaker.current, 'half-open');
    assert.equal(breaker.tryAcquire(), true);
    assert.equal(breaker.tryAcquire(), false, 'only one trial at a time');
    breaker.recordSuccess();
    assert.equal(breaker.current, 'closed');
    assert.equal(breaker.tryAcquire(), true);
  });

  it('re-opens when the trial fails', () => {
    let now = 0;
    const breaker = new CircuitBreaker('ledger', { failureThreshold: 1, resetMs: 500, now: () => now });
    breaker.recordFailure();
    now = 500;
    assert.equal(breaker.tryAcquire(), true);
    breaker.recordFailure();
    assert.equal(breaker.current, 'open');
    assert.equal(breaker.tryAcquire(), false);
  });

  it('a success resets the failure count', () => {
    const breaker = new CircuitBreaker('kyc', { failureThreshold: 2, resetMs: 1000 });
    breaker.recordFailure();
    breaker.recordSuccess();
    breaker.recordFailure();
    assert.equal(breaker.current, 'closed');
  });
});
