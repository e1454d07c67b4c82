import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { z, parseConfig, port, flag, url, storeEnv } from '../src/index';

describe('parseConfig', () => {
  const schema = z.object({ PORT: port(4000), SECRET: z.string().min(8), DEBUG: flag(false), DATABASE_URL: storeEnv.DATABASE_URL, HOOK: url('https') });

  it('applies defaults and coerces', () => {
    const r = parseConfig(schema, { SECRET: '12345678', HOOK: 'https://x.test' });
    assert.ok(r.ok);
    assert.equal(r.config.PORT, 4000);
    assert.equal(r.config.DEBUG, false);
    assert.match(r.config.DATABASE_URL, /^postgresql:/);
  });

  it('lists every missing or bad variable at once', () => {
    const r = parseConfig(schema, { PORT: 'abc', DEBUG: 'yes', HOOK: 'ftp://x' });
    assert.equal(r.ok, false);
    if (r.ok) return;
    const text = r.problems.join('\n');
    for (const name of ['PORT', 'SECRET', 'DEBUG', 'HOOK']) assert.match(text, new RegExp(`^${name}:`, 'm'));
    assert.match(text, /SECRET: is required but missing/);
  });
});

describe('loadConfig', () => {
  it('prints every problem and exits 1 (a real service entry point)', async () => {
    const { spawnSync } = await import('node:child_process');
    const main = new URL('../../../subgraphs/accounts/src/main.ts', import.meta.url).pathname;
    const env = { PATH: process.env.PATH, PORT: 'not-a-port', DATABASE_URL: 'mysql://nope' };
    const out = spawnSync(process.execPath, ['--import', 'tsx', main], { env, encoding: 'utf8', timeout: 60_000 });
    assert.equal(out.status, 1);
    assert.match(out.stderr, /Invalid configuration for accounts:/);
    assert.match(out.stderr, /PORT:/);
    assert.match(out.stderr, /DATABASE_URL:/);
    assert.match(out.stderr, /INTERNAL_IDENTITY_SECRET: is required but missing/);
  });
});
