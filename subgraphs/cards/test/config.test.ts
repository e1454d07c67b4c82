import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { parseConfig } from '@baas/config';
import { cardsConfigSchema, DEV_CARD_CVV_KEY } from '../src/config';

const key = () => randomBytes(32).toString('base64');
const base = { INTERNAL_IDENTITY_SECRET: 'x'.repeat(32) };
const production = { ...base, NODE_ENV: 'production', CARD_CVV_KEY: key(), PII_KEYS: `k1:${key()}`, PII_BLIND_INDEX_KEY: key() };
const parse = (env: Record<string, string>) => parseConfig(cardsConfigSchema, env);

describe('cards configuration', () => {
  it('production needs its own CVV key and the PII keys; development defaults never leak into it', () => {
    assert.equal(parse(production).ok, true);
    for (const missing of ['CARD_CVV_KEY', 'PII_KEYS', 'PII_BLIND_INDEX_KEY'] as const) {
      const { [missing]: _gone, ...env } = production;
      assert.equal(parse(env).ok, false, `${missing} missing`);
    }
    assert.equal(parse({ ...production, CARD_CVV_KEY: DEV_CARD_CVV_KEY }).ok, false, 'the public development key');
    assert.equal(parse({ ...production, CARD_CVV_KEY: Buffer.from('short').toString('base64') }).ok, false, 'under 16 bytes');
    assert.equal(parse(base).ok, true, 'development runs on defaults');
  });

  it('sandbox mutations and http/loopback decision URLs are on in development, off in production unless opted in', () => {
    const dev = parse(base);
    const prod = parse(production);
    assert.ok(dev.ok && prod.ok);
    assert.deepEqual([dev.config.SANDBOX, dev.config.CARDS_ALLOW_INSECURE_URLS], [true, true]);
    assert.deepEqual([prod.config.SANDBOX, prod.config.CARDS_ALLOW_INSECURE_URLS], [false, false]);
    const optedIn = parse({ ...production, SANDBOX: 'true' });
    assert.ok(optedIn.ok && optedIn.config.SANDBOX);
  });

  it('the token BIN differs from the issuing BIN; hold days are 1 to 30', () => {
    assert.equal(parse({ ...base, CARDS_BIN: '99999901', CARDS_TOKEN_BIN: '99999901' }).ok, false);
    assert.equal(parse({ ...base, CARDS_HOLD_DAYS: '0' }).ok, false);
    assert.equal(parse({ ...base, CARDS_HOLD_DAYS: '31' }).ok, false);
  });
});
