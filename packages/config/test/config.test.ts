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
