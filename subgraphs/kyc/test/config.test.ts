import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { parseConfig } from '@baas/config';
import { kycConfigSchema } from '../src/config';

const key = () => randomBytes(32).toString('base64');
const base = { INTERNAL_IDENTITY_SECRET: 'x'.repeat(32), OPS_TOKEN: 'o'.repeat(32) };
const production = { ...base, NODE_ENV: 'production', PII_KEYS: `k1:${key()}`, PII_BLIND_INDEX_KEY: key(), KYC_UPLOAD_TOKEN_KEY: key(), KYC_PUBLIC_URL: 'https://kyc.example.com' };
const parse = (env: Record<string, string>) => parseConfig(kycConfigSchema, env);

describe('kyc configuration', () => {
  it('production needs the PII keys, its own upload-token key and a public upload URL; development runs on defaults', () => {
    assert.equal(parse(production).ok, true);
    for (const missing of ['PII_KEYS', 'PII_BLIND_INDEX_KEY', 'KYC_UPLOAD_TOKEN_KEY', 'KYC_PUBLIC_URL'] as const) {
      const { [missing]: _gone, ...env } = production;
      assert.equal(parse(env).ok, false, `${missing} missing`);
    }
    assert.equal(parse({ ...production, KYC_UPLOAD_TOKEN_KEY: Buffer.from('short').toString('base64') }).ok, false, 'under 32 bytes');
    const dev = parse(base);
    assert.ok(dev.ok);
    assert.deepEqual([dev.config.KYC_PUBLIC_URL, dev.config.KYC_MIN_FACE_SIMILARITY, dev.config.KYC_PROCESS_LEASE_MS], [undefined, 0.6, 120_000]);
    assert.equal(parse({ ...base, KYC_MIN_FACE_SIMILARITY: '1.5' }).ok, false);
  });

  it('the checks: models by default; fixture sanctions lists and sandbox-licensed models outside production only', () => {
    const dev = parse(base);
    assert.ok(dev.ok);
    assert.deepEqual([dev.config.KYC_CHECKS, dev.config.KYC_SANCTIONS_FIXTURES, dev.config.KYC_SANDBOX_MODELS], ['models', true, true]);
    const prod = parse(production);
    assert.ok(prod.ok);
    assert.deepEqual([prod.config.KYC_CHECKS, prod.config.KYC_SANCTIONS_FIXTURES, prod.config.KYC_SANDBOX_MODELS], ['models', false, false]);
    for (const flag of ['KYC_SANCTIONS_FIXTURES', 'KYC_SANDBOX_MODELS']) assert.equal(parse({ ...production, [flag]: 'true' }).ok, false, `${flag} refused in production`);
    assert.equal(parse({ ...base, KYC_CHECKS: 'magic' }).ok, false);
    const off = parse({ ...base, KYC_CHECKS: 'off', KYC_SANDBOX_MODELS: 'false' });
    assert.ok(off.ok);
    assert.deepEqual([off.config.KYC_CHECKS, off.config.KYC_SANDBOX_MODELS], ['off', false]);
  });
});
