import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomInt, randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { decodeJwt } from 'jose';
import { Redis } from 'ioredis';
import { cpfCheckDigits } from '@baas/br-documents';
import { createPrismaClient, uuidv7 } from '@baas/db';
import { createLogger, type Logger } from '@baas/observability';
import { createPiiVault, generatePiiKey, type PiiVault } from '@baas/pii';
import { createTestDatabase } from '@baas/testing';
import type { IdentityConfig } from '../src/config';
import { PrismaClient } from '../src/generated/prisma/client';
import { createIdentityLoaders, type IdentityContext } from '../src/context';
import { signInMutations } from '../src/resolvers/sign-in';
import { CUSTOMER_SCOPES } from '../src/domain/scopes';
import { destinationIndex } from '../src/domain/pii-contexts';
import { loadSigningKey } from '../src/domain/signing-key';
import { createTokenIssuer } from '../src/domain/token-issuer';
import { newCode } from '../src/domain/sign-in-secrets';
import { createIdentityStores } from '../src/store/identity-stores';
import { createSendCounterStore, sendCounterKeys } from '../src/store/send-counter-store';
import { createPasskeyChallengeStore } from '../src/store/passkey-challenge-store';
import { createSessionStore } from '../src/store/session-store';
import type { IdentityDeps } from '../src/use-cases/deps';
import { parseStartSignInInput, type StartSignInInput } from '../src/use-cases/parse-start-sign-in-input';
import { redeemMagicLink } from '../src/use-cases/redeem-magic-link';
import { startSignIn, type SignInChallengeView, type StartSignInDeps } from '../src/use-cases/start-sign-in';
import { verifySignInCode } from '../src/use-cases/verify-sign-in-code';
import { notificationContext, type NotificationPayload } from '../src/workers/notification-stream';
import { createCustomer } from './helpers/seed';

const policy = { refreshTtlSeconds: 3600, sessionTtlSeconds: 86_400 };
const MAGIC_LINK_URL = 'https://app.bank.example/auth/magic-link';

type SessionTokensAnswer = {
  accessToken: { accessToken: string };
  refreshToken: string;
  session: { id: string; amr: string[] };
};

/** A valid CPF with a random base. */
function randomCpf(): string {
  const base = String(randomInt(100_000_000, 999_999_999));
  return base + cpfCheckDigits(base);
}

/** A Brazilian mobile number in national format, e.g. "(11) 9xxxx-xxxx". */
function randomMobile(): string {
  const n = String(randomInt(0, 100_000_000)).padStart(8, '0');
  return `(11) 9${n.slice(0, 4)}-${n.slice(4)}`;
}

/** Rejects with a DomainError of `code`; returns its details. */
async function rejectsWith(promise: Promise<unknown>, code: string): Promise<Record<string, unknown> | undefined> {
  let details: Record<string, unknown> | undefined;
  await assert.rejects(promise, (error: unknown) => {
    assert.equal((error as { code?: string }).code, code, `expected ${code}, got ${String(error)}`);
    details = (error as { details?: Record<string, unknown> }).details;
    return true;
  });
  return details;
}

describe('passwordless sign-in: one-time codes and magic links (PostgreSQL, Redis)', () => {
  let testDb: Awaited<ReturnType<typeof createTestDatabase>>;
  let db: PrismaClient;
  let redis: Redis;
  let vault: PiiVault;
  let ctx: IdentityContext;
  let deps: IdentityDeps;
  let sessions: ReturnType<typeof createSessionStore>;
  let tenantId: string;
  const logLines: string[] = [];
  const prefix = `test:identity-sign-in:${randomUUID()}`;
  const config = {
    OTP_TTL_SECONDS: 300,
    OTP_MAX_ATTEMPTS: 5,
    OTP_SENDS_PER_WINDOW: 50,
    OTP_SEND_WINDOW_SECONDS: 900,
    MAGIC_LINK_URL,
    REDIS_PREFIX: prefix,
  };

  before(async () => {
    testDb = await createTestDatabase({ domains: ['identity'] });
    db = createPrismaClient(PrismaClient, testDb.url);
    redis = new Redis('redis://127.0.0.1:6379', { lazyConnect: true, maxRetriesPerRequest: 2 });
    await redis.connect();
    vault = createPiiVault({ keys: { t1: generatePiiKey() }, activeKeyId: 't1', blindIndexKey: generatePiiKey() });
    const logger: Logger = createLogger({ service: 'identity-test', level: 'debug', destination: { write: (line: string) => void logLines.push(line) } });
    const key = await loadSigningKey({ kid: 'test', allowGenerated: true });
    const stores = createIdentityStores(db);
    deps = {
      stores,
      passkeyChallenges: createPasskeyChallengeStore(redis, prefix),
      sendCounters: createSendCounterStore(redis, prefix),
      vault,
      signIn: config as unknown as IdentityConfig,
      loaders: createIdentityLoaders(stores),
      tokens: createTokenIssuer({ key: () => key, issuer: 'https://identity.test', audience: 'baas-api', accessTtlSeconds: 300 }),
      keyRing: undefined as unknown as IdentityDeps['keyRing'],
      sessionPolicy: policy,
      passkeyChanges: undefined as unknown as IdentityDeps['passkeyChanges'],
      relyingParty: undefined as unknown as IdentityDeps['relyingParty'],
      audit: null,
      logger,
    };
    sessions = createSessionStore(db);
    ctx = { identity: null, correlationId: 'test', logger, audit: null, deps };
    tenantId = await newTenant();
  });

  after(async () => {
    if (redis) {
      const keys = await redis.keys(`${prefix}:*`);
      if (keys.length) await redis.del(...keys);
      redis.disconnect();
    }
    await db?.$disconnect();
    await testDb?.drop();
  });

  async function newTenant(): Promise<string> {
    const id = uuidv7();
    await db.tenant.create({ data: { id, slug: `t-${id}`, name: 'Test tenant' } });
    return id;
  }

  async function newCustomer(opts: { tenant?: string; email?: string; phone?: string } = {}) {
    const email = opts.email ?? `ana.${randomUUID().slice(0, 8)}@example.com`;
    const phone = opts.phone ?? randomMobile();
    const { customer } = await createCustomer(db, vault, { id: uuidv7(), tenantId: opts.tenant ?? tenantId, kind: 'PERSON', displayName: 'Ana Souza', taxId: randomCpf(), email, phone });
    return { customer, email, phone };
  }

  const resolve = async <T>(resolver: unknown, args: unknown): Promise<T> =>
    (await (resolver as (parent: unknown, args: unknown, context: IdentityContext, info: unknown) => unknown)({}, args, ctx, {})) as T;

  const start = (input: Partial<StartSignInInput> & Pick<StartSignInInput, 'destination'>, startDeps: StartSignInDeps = deps) =>
    startSignIn(startDeps, { id: uuidv7(), tenantId, channel: 'EMAIL', ...input });

  /** The notifications written for a challenge, opened. */
  async function sent(challengeId: string, tenant = tenantId): Promise<NotificationPayload[]> {
    const rows = await db.notificationOutbox.findMany({ where: { tenantId: tenant }, orderBy: { createdAt: 'asc' } });
    return rows
      .map((r) => ({ row: r, payload: JSON.parse(vault.decrypt(r.payloadSealed, notificationContext(r.tenantId))) as NotificationPayload }))
      .filter((x) => x.payload.challengeId === challengeId)
      .map((x) => {
        assert.equal(x.row.subject, `identity.notify.${x.payload.channel === 'EMAIL' ? 'email' : 'sms'}.${tenant}`);
        return x.payload;
      });
  }

  async function codeOf(challengeId: string): Promise<string> {
    const [payload] = await sent(challengeId);
    assert.ok(payload, 'a notification was written');
    return payload.code;
  }

  /** A 6-digit code other than `code`. */
  const wrong = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');

  describe('startSignIn', () => {
    it('stores a challenge with hashes only and writes one sealed notification in the same transaction', async () => {
      const { email } = await newCustomer();
      const id = uuidv7();
      const requestedAt = Date.now();
      const view = await resolve<SignInChallengeView>(signInMutations.startSignIn, { input: { id, tenantId, channel: 'EMAIL', destination: `  ${email.replace('example.com', 'EXAMPLE.com')} ` } });
      const answeredAt = Date.now();
      assert.deepEqual(Object.keys(view).sort(), ['attemptsLeft', 'channel', 'expiresAt', 'id', 'maskedDestination']);
      assert.equal(view.id, id);
      assert.equal(view.channel, 'EMAIL');
      assert.equal(view.maskedDestination, 'a***@example.com');
      assert.equal(view.attemptsLeft, 5);
      // Five minutes after it was made, which happened between the two clock reads (no bound on how long the call took).
      const expiresAt = Date.parse(view.expiresAt);
      assert.ok(expiresAt >= requestedAt + 299_000 && expiresAt <= answeredAt + 300_000, `expires about 5 minutes after the request (${view.expiresAt})`);

      const [payload, ...more] = await sent(id);
      assert.equal(more.length, 0);
      assert.ok(payload, 'a notification was written');
      assert.equal(payload.template, 'sign-in');
      assert.equal(payload.channel, 'EMAIL');
      assert.equal(payload.to, email, 'the normalised destination');
      assert.equal(payload.tenantId, tenantId);
      assert.match(payload.code, /^\d{6}$/);
      assert.equal(payload.link, undefined);

      const row = await db.signInChallenge.findUniqueOrThrow({ where: { id } });
      const outbox = await db.notificationOutbox.findFirstOrThrow({ where: { tenantId } });
      for (const stored of [JSON.stringify(row), outbox.payloadSealed]) {
        assert.ok(!stored.includes(payload.code), 'no clear code');
        assert.ok(!stored.includes(email) && !stored.includes('ana.'), 'no clear destination');
      }
      assert.notEqual(row.codeHash, payload.code);
      assert.equal(row.codeHash.length, 64);
      assert.equal(row.destinationIndex, destinationIndex(vault, { tenantId, channel: 'EMAIL', destination: email }));
    });

    it('sends SMS codes to the E.164 form of a Brazilian number typed in national format', async () => {
      const { phone } = await newCustomer();
      const view = await start({ channel: 'SMS', destination: phone });
      const e164 = `+55${phone.replace(/\D/g, '')}`;
      assert.equal(view.maskedDestination, `***${e164.slice(-4)}`);
      const [payload] = await sent(view.id);
      assert.equal(payload?.to, e164);
      assert.equal(payload?.channel, 'SMS');
      // The same number written as E.164 reaches the same customer.
      const again = await start({ channel: 'SMS', destination: e164 });
      assert.equal((await sent(again.id)).length, 1);
    });

    it('is idempotent by id: the same request answers the same challenge and sends nothing more', async () => {
      const { email } = await newCustomer();
      const input = { id: uuidv7(), tenantId, channel: 'EMAIL' as const, destination: email, magicLink: true };
      const first = await startSignIn(deps, input);
      const second = await startSignIn(deps, { ...input, id: input.id.toUpperCase(), destination: ` ${email} ` });
      const concurrent = await Promise.all([startSignIn(deps, input), startSignIn(deps, input)]);
      for (const view of [second, ...concurrent]) assert.deepEqual(view, first);
      assert.equal((await sent(input.id)).length, 1, 'one notification');
      assert.equal(await db.signInChallenge.count({ where: { id: input.id } }), 1);
      const keys = sendCounterKeys(prefix, { tenantId, destinationIndex: destinationIndex(vault, { tenantId, channel: 'EMAIL', destination: email }), requesterIndex: '' });
      const counter = await redis.get(keys.destination);
      assert.equal(counter, '1', 'a replay is not a send');
    });

    it('refuses the same id with another request: IDEMPOTENCY_KEY_REUSED', async () => {
      const { email, phone } = await newCustomer();
      const id = uuidv7();
      await startSignIn(deps, { id, tenantId, channel: 'EMAIL', destination: email });
      await rejectsWith(startSignIn(deps, { id, tenantId, channel: 'EMAIL', destination: `other.${email}` }), 'IDEMPOTENCY_KEY_REUSED');
      await rejectsWith(startSignIn(deps, { id, tenantId, channel: 'EMAIL', destination: email, magicLink: true }), 'IDEMPOTENCY_KEY_REUSED');
      await rejectsWith(startSignIn(deps, { id, tenantId, channel: 'SMS', destination: phone }), 'IDEMPOTENCY_KEY_REUSED');
      await rejectsWith(startSignIn(deps, { id, tenantId: await newTenant(), channel: 'EMAIL', destination: email }), 'IDEMPOTENCY_KEY_REUSED');
      assert.equal((await sent(id)).length, 1);
    });

    it('validates the input: BAD_USER_INPUT naming the field', async () => {
      const cases: [Partial<StartSignInInput>, string][] = [
        [{ id: 'not-a-uuid' }, 'id'],
        [{ channel: 'FAX' as never }, 'channel'],
        [{ destination: 'ana@' }, 'destination'],
        [{ destination: 'ana@example' }, 'destination'],
        [{ destination: '' }, 'destination'],
        [{ channel: 'SMS', destination: '12345' }, 'destination'],
        [{ channel: 'SMS', destination: '(00) 91234-5678' }, 'destination'],
        [{ channel: 'SMS', destination: 'ana@example.com' }, 'destination'],
        [{ channel: 'SMS', destination: '+5511912345678', magicLink: true }, 'magicLink'],
      ];
      for (const [input, field] of cases) {
        const details = await rejectsWith(start({ destination: 'ana@example.com', ...input }), 'BAD_USER_INPUT');
        assert.deepEqual(details, { field }, JSON.stringify(input));
      }
    });

    it('an unknown or malformed tenant is NOT_FOUND, a suspended one TENANT_SUSPENDED; nothing is stored or sent', async () => {
      const { email } = await newCustomer();
      const suspended = await newTenant();
      await db.tenant.update({ where: { id: suspended }, data: { status: 'SUSPENDED' } });
      for (const [tenant, code] of [['acme', 'NOT_FOUND'], [uuidv7(), 'NOT_FOUND'], [suspended, 'TENANT_SUSPENDED']] as const) {
        const id = uuidv7();
        await rejectsWith(start({ id, tenantId: tenant, destination: email }), code);
        assert.equal(await db.signInChallenge.count({ where: { id } }), 0);
      }
    });

    it('normalises destinations so every spelling of one contact has one blind index (property)', () => {
      fc.assert(
        fc.property(fc.integer({ min: 0, max: 99_999_999 }), fc.constantFrom('national', 'e164', 'spaced', 'trunk'), (n, style) => {
          const local = `9${String(n).padStart(8, '0')}`;
          const typed = { national: `(11) ${local.slice(0, 5)}-${local.slice(5)}`, e164: `+5511${local}`, spaced: `+55 11 ${local}`, trunk: `011${local}` }[style];
          const req = parseStartSignInInput({ id: uuidv7(), tenantId, channel: 'SMS', destination: typed });
          assert.equal(req.destination, `+5511${local}`);
        }),
      );
      fc.assert(
        fc.property(fc.stringMatching(/^[a-z0-9._]{1,20}$/), fc.constantFrom('example.com', 'EXAMPLE.com', 'Example.COM'), (local, domain) => {
          const req = parseStartSignInInput({ id: uuidv7(), tenantId, channel: 'EMAIL', destination: ` ${local}@${domain} ` });
          assert.equal(req.destination, `${local}@example.com`);
        }),
      );
    });

    it('answers unknown, blocked and other tenants\' contacts exactly like known ones, and sends nothing', async () => {
      const known = await newCustomer();
      const blocked = await newCustomer();
      await db.customer.update({ where: { id: blocked.customer.id }, data: { status: 'BLOCKED' } });
      const elsewhere = await newCustomer({ tenant: await newTenant() });
      const real = await start({ destination: known.email, magicLink: true });
      for (const destination of [`nobody.${randomUUID().slice(0, 6)}@example.com`, blocked.email, elsewhere.email]) {
        const view = await start({ destination, magicLink: true });
        assert.deepEqual(Object.keys(view).sort(), Object.keys(real).sort());
        assert.equal(view.channel, real.channel);
        assert.equal(view.attemptsLeft, real.attemptsLeft);
        assert.match(view.maskedDestination, /^.\*\*\*@example\.com$/);
        assert.ok(Math.abs(Date.parse(view.expiresAt) - Date.parse(real.expiresAt)) < 5000, 'the same lifetime');
        assert.equal((await sent(view.id)).length, 0, 'nothing sent');
        const row = await db.signInChallenge.findUniqueOrThrow({ where: { id: view.id } });
        assert.equal(row.customerId, null);
        assert.ok(row.linkTokenHash, 'looks like a real challenge, link included');
        // No code works: a wrong code answers exactly as on a real challenge.
        const details = await rejectsWith(verifySignInCode(deps, view.id, '000000'), 'INVALID_CODE');
        assert.deepEqual(details, { attemptsLeft: 4 });
      }
      const realDetails = await rejectsWith(verifySignInCode(deps, real.id, wrong(await codeOf(real.id))), 'INVALID_CODE');
      assert.deepEqual(realDetails, { attemptsLeft: 4 });
    });

    it('limits sends per caller and destination: RATE_LIMITED with retryAfterSeconds', async () => {
      const limited = { ...deps, clientAddress: '198.51.100.7', signIn: { ...config, OTP_SENDS_PER_WINDOW: 3, OTP_SEND_WINDOW_SECONDS: 60, OTP_SENDS_PER_ADDRESS_PER_WINDOW: 1000, OTP_DELIVERIES_PER_DESTINATION_PER_WINDOW: 1000 } };
      const { email } = await newCustomer();
      const views = [];
      for (let i = 0; i < 3; i++) views.push(await start({ destination: email }, limited));
      const details = await rejectsWith(start({ destination: email }, limited), 'RATE_LIMITED');
      const retry = details?.retryAfterSeconds as number;
      assert.ok(Number.isInteger(retry) && retry >= 1 && retry <= 60, `retryAfterSeconds ${retry}`);
      // Replays are not sends; other destinations and other tenants have their own budget.
      assert.deepEqual(await startSignIn(limited, { id: views[0]!.id, tenantId, channel: 'EMAIL', destination: email }), views[0]);
      await start({ destination: `other.${email}` }, limited);
      const otherTenant = await newTenant();
      await start({ tenantId: otherTenant, destination: email }, limited);
      // Unknown contacts are limited the same way (no oracle there either).
      const unknown = `ghost.${randomUUID().slice(0, 6)}@example.com`;
      for (let i = 0; i < 3; i++) await start({ destination: unknown }, limited);
      await rejectsWith(start({ destination: unknown }, limited), 'RATE_LIMITED');
      // Refused sends store nothing.
      const stored = await db.signInChallenge.count({ where: { tenantId, destinationIndex: destinationIndex(vault, { tenantId, channel: 'EMAIL', destination: email }) } });
      assert.equal(stored, 3);
    });

    it('counts sends in PostgreSQL when Redis is down instead of failing open or closed', async () => {
      const down = new Redis('redis://127.0.0.1:1', { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy: () => null });
      down.on('error', () => {});
      try {
        const redisDown = { ...deps, sendCounters: createSendCounterStore(down, prefix), clientAddress: '198.51.100.8', signIn: { ...config, OTP_SENDS_PER_WINDOW: 2, OTP_SEND_WINDOW_SECONDS: 60, OTP_SENDS_PER_ADDRESS_PER_WINDOW: 1000 } };
        const { email } = await newCustomer();
        await start({ destination: email }, redisDown);
        await start({ destination: email }, redisDown);
        const details = await rejectsWith(start({ destination: email }, redisDown), 'RATE_LIMITED');
        assert.ok((details?.retryAfterSeconds as number) >= 1 && (details?.retryAfterSeconds as number) <= 60, `retryAfterSeconds ${String(details?.retryAfterSeconds)}`);
        // Another caller is not refused for it.
        await start({ destination: email }, { ...redisDown, clientAddress: '198.51.100.9' });
      } finally {
        down.disconnect();
      }
    });

    it("a stranger's requests never refuse the owner (issue 10 item 9): quotas are per caller; past the destination's cap nothing is sent and the owner's challenge takes the last code delivered", async () => {
      const quotas = { ...config, OTP_SENDS_PER_WINDOW: 3, OTP_SEND_WINDOW_SECONDS: 600, OTP_SENDS_PER_ADDRESS_PER_WINDOW: 1000, OTP_DELIVERIES_PER_DESTINATION_PER_WINDOW: 4 };
      const stranger = (n: number) => ({ ...deps, clientAddress: `203.0.113.${n}`, signIn: quotas });
      const owner = { ...deps, clientAddress: '192.0.2.10', signIn: quotas };
      const { customer, email } = await newCustomer();
      // Two strangers exhaust their own quota for this destination (3 each): the sixth and seventh are refused.
      const theirs = [];
      for (const n of [1, 2]) {
        for (let i = 0; i < 3; i++) theirs.push(await start({ destination: email }, stranger(n)));
        await rejectsWith(start({ destination: email }, stranger(n)), 'RATE_LIMITED');
      }
      const delivered = (await Promise.all(theirs.map((v) => sent(v.id)))).filter((x) => x.length > 0);
      assert.equal(delivered.length, 4, 'the destination cap (4) stops the mail bombing: two of the six were not sent');
      // The owner is not refused: a challenge like any other, nothing more sent, and it accepts the last code the owner received.
      const mine = await start({ destination: email }, owner);
      assert.equal(mine.attemptsLeft, 5);
      assert.equal((await sent(mine.id)).length, 0, 'nothing more sent');
      const lastCode = await (async () => {
        for (const v of [...theirs].reverse()) {
          const [payload] = await sent(v.id);
          if (payload) return { id: v.id, code: payload.code };
        }
        throw new Error('no code delivered');
      })();
      const opened = await verifySignInCode(deps, mine.id, lastCode.code);
      assert.equal(opened.session.subject, customer.id);
      // Single use across both: the delivered challenge is spent too.
      await rejectsWith(verifySignInCode(deps, lastCode.id, lastCode.code), 'INVALID_CODE');
      await rejectsWith(verifySignInCode(deps, mine.id, lastCode.code), 'INVALID_CODE');
    });
  });

  describe('verifySignInCode', () => {
    it('opens a customer session with amr otp for the right code', async () => {
      const { customer, email } = await newCustomer();
      const view = await start({ destination: email });
      const answer = await resolve<SessionTokensAnswer>(signInMutations.verifySignInCode, { challengeId: view.id, code: await codeOf(view.id) });
      assert.deepEqual(answer.session.amr, ['otp']);
      assert.match(answer.refreshToken, /^brt_/);
      const claims = decodeJwt(answer.accessToken.accessToken);
      assert.equal(claims.sub, customer.id);
      assert.deepEqual(claims.amr, ['otp']);
      const session = await db.session.findUniqueOrThrow({ where: { id: answer.session.id } });
      assert.equal(session.kind, 'customer');
      assert.equal(session.subject, customer.id);
      assert.equal(session.tenantId, tenantId);
      assert.deepEqual(session.scopes, [...CUSTOMER_SCOPES]);
      assert.equal(session.challengeId, view.id);
      const challenge = await db.signInChallenge.findUniqueOrThrow({ where: { id: view.id } });
      assert.ok(challenge.consumedAt, 'the challenge is consumed');
      // The session works like any other.
      const refreshed = await sessions.refresh(answer.refreshToken, policy);
      assert.equal(refreshed.session.id, answer.session.id);
    });

    it('accepts the code typed with a space or a dash', async () => {
      const { email } = await newCustomer();
      const view = await start({ destination: email });
      const code = await codeOf(view.id);
      const opened = await verifySignInCode(deps, view.id.toUpperCase(), `${code.slice(0, 3)} ${code.slice(3)}`);
      assert.equal(opened.session.challengeId, view.id);
    });

    it('counts wrong codes, then TOO_MANY_ATTEMPTS, and the right code is refused afterwards', async () => {
      const { email } = await newCustomer();
      const view = await start({ destination: email, magicLink: true });
      const [payload] = await sent(view.id);
      const code = payload!.code;
      for (const left of [4, 3, 2, 1]) {
        assert.deepEqual(await rejectsWith(verifySignInCode(deps, view.id, wrong(code)), 'INVALID_CODE'), { attemptsLeft: left });
      }
      await rejectsWith(verifySignInCode(deps, view.id, wrong(code)), 'TOO_MANY_ATTEMPTS');
      await rejectsWith(verifySignInCode(deps, view.id, code), 'TOO_MANY_ATTEMPTS');
      await rejectsWith(redeemMagicLink(deps, new URL(payload!.link!).searchParams.get('token')!), 'TOO_MANY_ATTEMPTS');
      assert.equal(await db.session.count({ where: { challengeId: view.id } }), 0);
      const replayed = await startSignIn(deps, { id: view.id, tenantId, channel: 'EMAIL', destination: email, magicLink: true });
      assert.equal(replayed.attemptsLeft, 0);
    });

    it('spends attempts atomically under concurrent guesses', async () => {
      const { email } = await newCustomer();
      const view = await start({ destination: email });
      const code = await codeOf(view.id);
      const guesses = Array.from({ length: 12 }, (_, i) => String((Number(code) + 1 + i) % 1_000_000).padStart(6, '0'));
      const outcomes = await Promise.allSettled(guesses.map((g) => verifySignInCode(deps, view.id, g)));
      const codes = outcomes.map((o) => (o.status === 'rejected' ? (o.reason as { code: string }).code : 'OK'));
      assert.equal(codes.filter((c) => c === 'INVALID_CODE').length, 4);
      assert.equal(codes.filter((c) => c === 'TOO_MANY_ATTEMPTS').length, 8);
      const row = await db.signInChallenge.findUniqueOrThrow({ where: { id: view.id } });
      assert.equal(row.attempts, 5);
    });

    it('refuses an expired code, an unknown challenge and malformed input', async () => {
      const { email } = await newCustomer();
      const view = await start({ destination: email });
      const code = await codeOf(view.id);
      await db.$executeRaw`UPDATE identity.sign_in_challenge SET expires_at = now() - interval '1 second' WHERE id = ${view.id}::uuid`;
      assert.equal(await rejectsWith(verifySignInCode(deps, view.id, code), 'INVALID_CODE'), undefined);
      assert.equal(await rejectsWith(verifySignInCode(deps, uuidv7(), code), 'INVALID_CODE'), undefined);
      assert.deepEqual(await rejectsWith(verifySignInCode(deps, view.id, '12345'), 'BAD_USER_INPUT'), { field: 'code' });
      assert.deepEqual(await rejectsWith(verifySignInCode(deps, view.id, 'abcdef'), 'BAD_USER_INPUT'), { field: 'code' });
      assert.deepEqual(await rejectsWith(verifySignInCode(deps, 'nope', code), 'BAD_USER_INPUT'), { field: 'challengeId' });
    });

    it('expires by the configured TTL', async () => {
      const { email } = await newCustomer();
      const view = await start({ destination: email }, { ...deps, signIn: { ...config, OTP_TTL_SECONDS: 1 } });
      const code = await codeOf(view.id);
      await new Promise((r) => setTimeout(r, 1100));
      await rejectsWith(verifySignInCode(deps, view.id, code), 'INVALID_CODE');
    });

    it('refuses a customer suspended after the code was sent, exactly like a wrong code', async () => {
      const { customer, email } = await newCustomer();
      const view = await start({ destination: email });
      await db.customer.update({ where: { id: customer.id }, data: { status: 'CLOSED' } });
      assert.deepEqual(await rejectsWith(verifySignInCode(deps, view.id, await codeOf(view.id)), 'INVALID_CODE'), { attemptsLeft: 4 });
      assert.equal(await db.session.count({ where: { subject: customer.id } }), 0);
    });

    it('a code works once (issue 10 item 8): the second try is INVALID_CODE and the owner keeps their session', async () => {
      const { email } = await newCustomer();
      const view = await start({ destination: email });
      const code = await codeOf(view.id);
      const first = await resolve<SessionTokensAnswer>(signInMutations.verifySignInCode, { challengeId: view.id, code });
      assert.deepEqual(await rejectsWith(verifySignInCode(deps, view.id, code), 'INVALID_CODE'), undefined);
      assert.equal(await db.session.count({ where: { challengeId: view.id } }), 1);
      // Nothing was reissued or revoked: the owner's refresh token still works.
      assert.equal((await sessions.refresh(first.refreshToken, policy)).session.id, first.session.id);
      await sessions.revoke(first.session.id, 'LOGOUT');
      await rejectsWith(verifySignInCode(deps, view.id, code), 'INVALID_CODE');
    });

    it('two redemptions racing with the right code: exactly one session, the other INVALID_CODE', async () => {
      for (let round = 0; round < 5; round++) {
        const { email } = await newCustomer();
        const view = await start({ destination: email });
        const code = await codeOf(view.id);
        const results = await Promise.allSettled([verifySignInCode(deps, view.id, code), verifySignInCode(deps, view.id, code), verifySignInCode(deps, view.id, code)]);
        const won = results.filter((r) => r.status === 'fulfilled');
        assert.equal(won.length, 1, `round ${round}: one winner`);
        for (const r of results) if (r.status === 'rejected') assert.equal((r.reason as { code?: string }).code, 'INVALID_CODE');
        assert.equal(await db.session.count({ where: { challengeId: view.id } }), 1);
      }
    });
  });

  describe('redeemMagicLink', () => {
    it('sends a link to MAGIC_LINK_URL with a 256-bit token, stores only its SHA-256, and opens an otp session', async () => {
      const { customer, email } = await newCustomer();
      const view = await start({ destination: email, magicLink: true });
      const [payload] = await sent(view.id);
      const link = new URL(payload!.link!);
      assert.equal(`${link.origin}${link.pathname}`, MAGIC_LINK_URL);
      const token = link.searchParams.get('token')!;
      assert.equal(Buffer.from(token, 'base64url').length, 32);
      const row = await db.signInChallenge.findUniqueOrThrow({ where: { id: view.id } });
      assert.notEqual(row.linkTokenHash, token);
      assert.equal(row.linkTokenHash?.length, 64);

      const answer = await resolve<SessionTokensAnswer>(signInMutations.redeemMagicLink, { token });
      assert.deepEqual(answer.session.amr, ['otp']);
      assert.equal(decodeJwt(answer.accessToken.accessToken).sub, customer.id);
      // Single use: a repeat, the code of the same challenge, or both racing open nothing more.
      await rejectsWith(redeemMagicLink(deps, token), 'INVALID_CODE');
      await rejectsWith(verifySignInCode(deps, view.id, payload!.code), 'INVALID_CODE');
      assert.equal(await db.session.count({ where: { challengeId: view.id } }), 1);
      const next = await start({ destination: email, magicLink: true });
      const [nextPayload] = await sent(next.id);
      const nextToken = new URL(nextPayload!.link!).searchParams.get('token')!;
      const raced = await Promise.allSettled([redeemMagicLink(deps, nextToken), verifySignInCode(deps, next.id, nextPayload!.code), redeemMagicLink(deps, nextToken)]);
      assert.equal(raced.filter((r) => r.status === 'fulfilled').length, 1);
      assert.equal(await db.session.count({ where: { challengeId: next.id } }), 1);
    });

    it('refuses unknown, malformed and expired links', async () => {
      const { email } = await newCustomer();
      const view = await start({ destination: email, magicLink: true });
      const token = new URL((await sent(view.id))[0]!.link!).searchParams.get('token')!;
      await rejectsWith(redeemMagicLink(deps, Buffer.alloc(32, 7).toString('base64url')), 'INVALID_CODE');
      await rejectsWith(redeemMagicLink(deps, 'short'), 'INVALID_CODE');
      await rejectsWith(redeemMagicLink(deps, `${token}x`), 'INVALID_CODE');
      await db.$executeRaw`UPDATE identity.sign_in_challenge SET expires_at = now() - interval '1 second' WHERE id = ${view.id}::uuid`;
      await rejectsWith(redeemMagicLink(deps, token), 'INVALID_CODE');
    });
  });

  it('makes uniformly shaped 6-digit codes', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const code = newCode();
      assert.match(code, /^\d{6}$/);
      seen.add(code);
    }
    assert.ok(seen.size > 1990, 'codes do not repeat in practice');
  });

  it('never logs codes, link tokens, links or clear destinations', async () => {
    logLines.length = 0;
    const { email, phone } = await newCustomer();
    const byMail = await start({ destination: email, magicLink: true });
    const bySms = await start({ channel: 'SMS', destination: phone });
    const [mail] = await sent(byMail.id);
    const [sms] = await sent(bySms.id);
    await rejectsWith(verifySignInCode(deps, bySms.id, wrong(sms!.code)), 'INVALID_CODE');
    await verifySignInCode(deps, bySms.id, sms!.code);
    const token = new URL(mail!.link!).searchParams.get('token')!;
    await redeemMagicLink(deps, token);
    await rejectsWith(redeemMagicLink(deps, token), 'INVALID_CODE');
    const logged = logLines.join('\n');
    assert.ok(logLines.length >= 6, 'the flow logged');
    for (const secret of [mail!.code, sms!.code, wrong(sms!.code), token, mail!.link!, email, email.split('@')[0]!, phone, sms!.to, sms!.to.slice(3)]) {
      assert.ok(!logged.includes(secret), 'a secret or a destination reached the log');
    }
  });
});
