import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { createLogger, logClientErrors } from '../src/index';

function memoryLogger() {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger({ service: 'test', level: 'info', destination: { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) } });
  return { logger, lines };
}

describe('logClientErrors', () => {
  it('keeps a client error from ending the process, and logs it without the command it quotes', () => {
    const client = new EventEmitter();
    assert.throws(() => client.emit('error', new Error('unlistened')), /unlistened/, 'an EventEmitter throws an error nobody listens to');
    const { logger, lines } = memoryLogger();
    logClientErrors(client, { logger, store: 'redis' });
    const error = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6379'), { code: 'ECONNREFUSED', command: { name: 'set', args: ['session', 'secret-value'] } });
    assert.doesNotThrow(() => client.emit('error', error));
    assert.equal(lines.length, 1);
    assert.equal(lines[0]!.level, 'warn');
    assert.equal(lines[0]!.store, 'redis');
    const err = lines[0]!.err as Record<string, unknown>;
    assert.deepEqual([err.name, err.message, err.code], ['Error', 'connect ECONNREFUSED 127.0.0.1:6379', 'ECONNREFUSED']);
    assert.ok(!JSON.stringify(lines).includes('secret-value'));
  });

  it('throttles a reconnecting client: the first error, then one line per period with the count in between', () => {
    const client = new EventEmitter();
    const { logger, lines } = memoryLogger();
    logClientErrors(client, { logger, store: 'redis', everyMs: 3_600_000 });
    for (let i = 0; i < 50; i++) client.emit('error', new Error(`attempt ${i}`));
    assert.equal(lines.length, 1, 'one line for fifty errors within the period');

    const every = new EventEmitter();
    const all = memoryLogger();
    logClientErrors(every, { logger: all.logger, store: 'nats', everyMs: 0 });
    for (let i = 0; i < 3; i++) every.emit('error', new Error(`attempt ${i}`));
    assert.deepEqual(all.lines.map((l) => l.suppressed), [0, 0, 0]);
  });
});
