import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseConfig } from '@baas/config';
import { riskConfigSchema } from '../src/config';

const base = { INTERNAL_IDENTITY_SECRET: 'x'.repeat(32) };

describe('risk configuration', () => {
  it('RISK_LOCAL_HOUR is for tests: 0-23, refused in production', () => {
    const test = parseConfig(riskConfigSchema, { ...base, RISK_LOCAL_HOUR: '14' });
    assert.ok(test.ok);
    assert.equal(test.config.RISK_LOCAL_HOUR, 14);
    assert.equal(parseConfig(riskConfigSchema, { ...base, RISK_LOCAL_HOUR: '24' }).ok, false);
    const production = { ...base, NODE_ENV: 'production', NEO4J_PASSWORD: 'p' };
    const prod = parseConfig(riskConfigSchema, production);
    assert.ok(prod.ok, JSON.stringify(prod));
    assert.equal(prod.config.RISK_LOCAL_HOUR, undefined, 'the clock decides in production');
    assert.equal(parseConfig(riskConfigSchema, { ...production, RISK_LOCAL_HOUR: '14' }).ok, false);
  });
});
