import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes, randomInt, randomUUID } from 'node:crypto';
import { connect, type NatsConnection } from 'nats';
import { cpfCheckDigits } from '@baas/br-documents';
import { createPrismaClient, uuidv7 } from '@baas/db';
import { decodeEvent } from '@baas/events';
import { createLogger } from '@baas/observability';
import { createPiiVault, generatePiiKey, type PiiVault } from '@baas/pii';
import { createTestDatabase } from '@baas/testing';
import { PrismaClient } from '../../src/generated/prisma/client';
import { piiContext } from '../../src/domain/pii-contexts';
import { startDomainEventRelay, type DomainEventRelay } from '../../src/workers/domain-event-relay';
import { CUSTOMER_IDENTIFIERS_SUBJECT, passkeyIdentifier, type CustomerIdentifiersEvent } from '../../src/workers/domain-event-stream';
import { createCustomer } from '../helpers/seed';

/**
 * Identity's domain events: creating a customer writes one `identity.events.customer.identifiers`
 * row to identity.domain_event_outbox in the same transaction, holding only the blind indexes of its
 * phone and e-mail (never the clear values); a replay or a refused create writes none; the relay
 * (@baas/outbox) publishes the rows, here to a stream and subjects of this run's own.
 */
const NATS_URL = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';

describe('identity domain events: customer identifiers (PostgreSQL, NATS JetStream)', () => {
  const run = `ide${randomBytes(4).toString('hex')}`;
  const stream = { name: `IDE_${run}`, subjects: [`${run}.>`] };
  const logger = createLogger({ service: 'identity-domain-events-test', level: 'silent' });
  let testDb: Awaited<ReturnType<typeof createTestDatabase>>;
  let db: PrismaClient;
  let vault: PiiVault;
  let nc: NatsConnection;
  let relay: DomainEventRelay | null = null;
  let tenantId: string;

  before(async () => {
    testDb = await createTestDatabase({ domains: ['identity'] });
    db = createPrismaClient(PrismaClient, testDb.url);
    vault = createPiiVault({ keys: { t1: generatePiiKey() }, activeKeyId: 't1', blindIndexKey: generatePiiKey() });
    nc = await connect({ servers: NATS_URL, name: 'identity-domain-events-test' });
    tenantId = uuidv7();
    await db.tenant.create({ data: { id: tenantId, slug: `t-${tenantId}`, name: 'Test tenant' } });
  });
  after(async () => {
    await relay?.stop();
    if (nc) {
      await (await nc.jetstreamManager()).streams.delete(stream.name).catch(() => undefined);
      await nc.close();
    }
    await db?.$disconnect();
    await testDb?.drop();
  });

  const cpf = () => {
    const base = String(randomInt(100_000_000, 999_999_999));
    return base + cpfCheckDigits(base);
  };
  const rows = () => db.domainEventOutbox.findMany({ orderBy: { seq: 'asc' } });

  it('writes one event with the blind indexes, never the clear phone or e-mail', async () => {
    const email = `ana.${randomUUID().slice(0, 8)}@example.com`;
    const phone = `+55119${String(randomInt(0, 100_000_000)).padStart(8, '0')}`;
    const input = { id: uuidv7(), tenantId, kind: 'PERSON' as const, displayName: 'Ana', taxId: cpf(), email, phone };
    const { customer, status } = await createCustomer(db, vault, input);
    assert.equal(status, 'CREATED');
    const [row, ...more] = await rows();
    assert.ok(row);
    assert.equal(more.length, 0);
    assert.equal(row.subject, CUSTOMER_IDENTIFIERS_SUBJECT);
    const data = JSON.parse(row.payload) as CustomerIdentifiersEvent;
    assert.deepEqual(data, {
      tenantId,
      customerId: customer.id,
      identifiers: [
        { kind: 'PHONE', value: vault.blindIndex(phone, piiContext('phone', tenantId)) },
        { kind: 'EMAIL', value: vault.blindIndex(email, piiContext('email', tenantId)) },
      ],
      at: customer.createdAt.toISOString(),
    });
    assert.equal(data.identifiers[0]!.value, customer.phoneIndex);
    assert.equal(data.identifiers[1]!.value, customer.emailIndex);
    for (const clear of [email, phone, phone.slice(1), email.split('@')[0]!, input.taxId]) assert.ok(!row.payload.includes(clear), 'no clear PII in the payload');

    // A replay writes nothing; a refused create (the same CPF under another id) writes nothing.
    assert.equal((await createCustomer(db, vault, input)).status, 'REPLAYED');
    await assert.rejects(createCustomer(db, vault, { ...input, id: uuidv7() }), (e: Error & { code?: string }) => e.code === 'CONFLICT');
    assert.equal((await rows()).length, 1);
  });

  it('writes no event for a customer without phone or e-mail', async () => {
    const before = (await rows()).length;
    await createCustomer(db, vault, { id: uuidv7(), tenantId, kind: 'PERSON', displayName: 'Bia', taxId: cpf() });
    assert.equal((await rows()).length, before);
  });

  it('a passkey is identified by the SHA-256 hex digest of its credential id', () => {
    const credentialId = randomBytes(32).toString('base64url');
    const id = passkeyIdentifier(credentialId);
    assert.deepEqual(id, { kind: 'DEVICE', value: createHash('sha256').update(credentialId).digest('hex') });
    assert.match(id.value, /^[0-9a-f]{64}$/);
    assert.ok(!id.value.includes(credentialId));
  });

  it('the relay publishes the events in order, once, with the outbox event id', async () => {
    await createCustomer(db, vault, { id: uuidv7(), tenantId, kind: 'PERSON', displayName: 'Caio', taxId: cpf(), email: `caio.${randomUUID().slice(0, 8)}@example.com` });
    const stored = await rows();
    assert.equal(stored.length, 2);
    relay = startDomainEventRelay({ databaseUrl: testDb.url, natsUrl: NATS_URL, logger, relayName: run, stream, subject: (s) => `${run}.${s}`, pollIntervalMs: 100 });
    await relay.drain();
    const jsm = await nc.jetstreamManager();
    assert.equal((await jsm.streams.info(stream.name)).state.messages, 2);
    for (const [i, row] of stored.entries()) {
      const msg = await jsm.streams.getMessage(stream.name, { seq: i + 1 });
      assert.equal(msg.subject, `${run}.${CUSTOMER_IDENTIFIERS_SUBJECT}`);
      const event = decodeEvent<CustomerIdentifiersEvent & { seq?: string }>(msg.data);
      assert.equal(event.id, row.eventId);
      assert.equal(event.type, CUSTOMER_IDENTIFIERS_SUBJECT);
      assert.equal(event.data.customerId, (JSON.parse(row.payload) as CustomerIdentifiersEvent).customerId);
      assert.equal(event.data.tenantId, tenantId);
    }
    assert.equal(relay.stats().published, 2);
  });
});
