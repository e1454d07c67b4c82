import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseConfig } from '@baas/config';
import { accountsConfigSchema } from '../src/config';
import { platformCurrencies } from '../src/domain/platform-currencies';

const base = { INTERNAL_IDENTITY_SECRET: 'x'.repeat(32) };
const sandbox = (env: Record<string, string>) => {
  const r = parseConfig(accountsConfigSchema, { ...base, ...env });
  assert.ok(r.ok, JSON.stringify(r));
  return r.config.SANDBOX;
};

describe('accounts configuration', () => {
  it('SANDBOX (play money) defaults to on in development and test, off in production; production opts in explicitly', () => {
    assert.equal(sandbox({}), true);
    assert.equal(sandbox({ NODE_ENV: 'test' }), true);
    assert.equal(sandbox({ NODE_ENV: 'production' }), false);
    assert.equal(sandbox({ NODE_ENV: 'production', SANDBOX: 'true' }), true);
    assert.equal(sandbox({ NODE_ENV: 'development', SANDBOX: 'false' }), false);
    assert.equal(parseConfig(accountsConfigSchema, { ...base, SANDBOX: 'yes' }).ok, false);
  });

  it('IDENTITY_URL defaults to the local identity subgraph', () => {
    const r = parseConfig(accountsConfigSchema, base);
    assert.ok(r.ok);
    assert.equal(r.config.IDENTITY_URL, 'http://127.0.0.1:4101/graphql');
  });

  it('the platform claims FX liquidity accounts for the currencies of its rates and defaults', () => {
    assert.deepEqual(platformCurrencies({ FX_MID_RATES: 'USD/BRL=5.4,EUR/BRL=5.9,EUR/USD=1.08', DEFAULT_CURRENCIES: 'BRL, gbp' }), ['BRL', 'EUR', 'GBP', 'USD']);
  });
});
