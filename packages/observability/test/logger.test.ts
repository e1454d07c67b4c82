import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  createLogger,
  runWithRequestContext,
  getRequestContext,
  maskEmail,
  maskPhone,
  maskDocument,
  maskPan,
} from '../src/index';

// Collects every line the logger writes, so tests read exactly what would reach the log shipper.
function memoryLogger(level?: string) {
  const lines: string[] = [];
  const logger = createLogger({ service: 'test-svc', level, destination: { write: (line: string) => void lines.push(line) } });
  const parsed = () => lines.map((line) => JSON.parse(line) as Record<string, any>);
  return { logger, lines, parsed };
}

const CPF = '123.456.789-09';
const EMAIL = 'maria.souza@example.com';
const BEARER = 'Bearer eyJhbGciOiJIUzI1NiJ9.secret-payload';

describe('createLogger', () => {
  it('writes JSON with service, ISO time and level label', () => {
    const { logger, parsed } = memoryLogger();
    logger.info({ accountId: 'acc_1' }, 'opened');
    const [line] = parsed();
    assert.ok(line);
    assert.equal(line.service, 'test-svc');
    assert.equal(line.msg, 'opened');
    assert.equal(line.level, 'info');
    assert.equal(line.accountId, 'acc_1');
    assert.match(line.time, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  });

  it('honours the level', () => {
    const { logger, lines } = memoryLogger('warn');
    logger.info('hidden');
    logger.warn('shown');
    assert.equal(lines.length, 1);
  });

  it('redacts a CPF, an e-mail and an authorization header at depths 1, 2 and 3', () => {
    const { logger, lines, parsed } = memoryLogger();
    logger.info({ cpf: CPF, email: EMAIL, authorization: BEARER }, 'depth 1');
    logger.info({ customer: { cpf: CPF, email: EMAIL, name: 'Maria' }, headers: { authorization: BEARER } }, 'depth 2');
    logger.info(
      {
        req: { method: 'POST', headers: { authorization: BEARER, cookie: 'sid=abc', 'set-cookie': ['sid=abc'], host: 'api' } },
        input: { holder: { cpf: CPF, email: EMAIL } },
      },
      'depth 3',
    );
    const raw = lines.join('');
    for (const secret of [CPF, EMAIL, BEARER, 'sid=abc']) assert.equal(raw.includes(secret), false, `${secret} leaked`);

    const [one, two, three] = parsed();
    assert.deepEqual([one?.cpf, one?.email, one?.authorization], ['[REDACTED]', '[REDACTED]', '[REDACTED]']);
    assert.deepEqual(two?.customer, { cpf: '[REDACTED]', email: '[REDACTED]', name: 'Maria' });
    assert.equal(two?.headers.authorization, '[REDACTED]');
    assert.deepEqual(three?.req.headers, {
      authorization: '[REDACTED]',
      cookie: '[REDACTED]',
      'set-cookie': '[REDACTED]',
      host: 'api',
    });
    assert.deepEqual(three?.input.holder, { cpf: '[REDACTED]', email: '[REDACTED]' });
  });

  it('redacts every listed secret and PII key', () => {
    const { logger, lines } = memoryLogger();
    const keys = ['password', 'secret', 'clientSecret', 'token', 'accessToken', 'refreshToken', 'apiKey', 'cnpj', 'document', 'taxId', 'phone', 'pan', 'cvv', 'cardNumber'];
    const values = Object.fromEntries(keys.map((key) => [key, `value-of-${key}`]));
    logger.info({ ...values, nested: { ...values }, deeper: { card: { ...values } } }, 'all keys');
    const raw = lines.join('');
    for (const key of keys) assert.equal(raw.includes(`value-of-${key}`), false, `${key} leaked`);
  });

  it('redacts bindings of child loggers and leaves the logged object intact', () => {
    const { logger, lines } = memoryLogger();
    const payload = { customer: { email: EMAIL } };
    logger.child({ user: { email: EMAIL } }).info(payload, 'child');
    assert.equal(lines.join('').includes(EMAIL), false);
    assert.equal(payload.customer.email, EMAIL);
  });

  it('adds correlationId and traceId from the request context', async () => {
    const { logger, parsed } = memoryLogger();
    logger.info('outside');
    await runWithRequestContext(
      { correlationId: 'corr-123', traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' },
      async () => {
        await new Promise((resolve) => setImmediate(resolve));
        logger.info('inside after an await');
        assert.equal(getRequestContext()?.correlationId, 'corr-123');
      },
    );
    runWithRequestContext({ correlationId: 'corr-456', traceId: 'abcdefabcdefabcdefabcdefabcdef12' }, () => logger.info('explicit trace id'));
    const [outside, inside, explicit] = parsed();
    assert.equal(outside?.correlationId, undefined);
    assert.equal(inside?.correlationId, 'corr-123');
    assert.equal(inside?.traceId, '4bf92f3577b34da6a3ce929d0e0e4736');
    assert.equal(explicit?.correlationId, 'corr-456');
    assert.equal(explicit?.traceId, 'abcdefabcdefabcdefabcdefabcdef12');
    assert.equal(getRequestContext(), undefined);
  });
});

describe('mask helpers', () => {
  it('keep only a hint of the value', () => {
    assert.equal(maskEmail(EMAIL), 'm***@example.com');
    assert.equal(maskEmail('not-an-email'), '***');
    assert.equal(maskPhone('+55 11 98765-4321'), '***4321');
    assert.equal(maskPhone('123'), '***');
    assert.equal(maskDocument(CPF), '***.456.789-**');
    assert.equal(maskDocument('12.345.678/0001-95'), '***0195');
    assert.equal(maskPan('4111 1111 1111 1111'), '411111******1111');
    assert.equal(maskPan('378282246310005'), '***********0005');
    assert.equal(maskPan('12'), '***');
    assert.equal(maskPan(undefined), '***');
  });
});
