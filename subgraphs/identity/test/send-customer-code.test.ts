import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import pg from 'pg';
import type { Identity } from '@baas/auth';
import { cpfCheckDigits } from '@baas/br-documents';
import { uuidv7 } from '@baas/db';
import { startIdentity, type TestIdentity } from './helpers/start-identity';

/**
 * sendCustomerCode: another service (cards' 3-D Secure) has identity send a customer a one-time code
 * to the customer's own channel. Services only; the caller sees the destination masked, never the
 * address; the outbox row is sealed (no code, no address in clear); coded errors write nothing.
 */
describe('sendCustomerCode: codes other services send through identity (PostgreSQL, HTTP)', () => {
  let identity: TestIdentity;
  let sql: pg.Pool;
  const operator: Identity = { subject: 'ops-code', kind: 'operator', tenantId: null, scopes: [] };
  const cards: Identity = { subject: 'cards', kind: 'service', tenantId: null, scopes: ['identity:read'] };
  const SEND = `mutation S($t: ID!, $c: ID!, $p: String!, $r: ID!, $code: String!, $e: DateTime!, $s: String) {
    sendCustomerCode(tenantId: $t, customerId: $c, purpose: $p, reference: $r, code: $code, expiresAt: $e, summary: $s) { channel maskedTo } }`;
  const TENANT = `mutation($input: CreateTenantInput!) { createTenant(input: $input) { tenant { id } } }`;
  const CUSTOMER = `mutation($input: CreateCustomerInput!) { createCustomer(input: $input) { customer { id } } }`;
  let tenantId: string;
  let otherTenant: string;
  const cpf = () => {
    const base = String(randomInt(100_000_000, 999_999_999));
    return base + cpfCheckDigits(base);
  };
  const newTenant = async () => {
    const id = uuidv7();
    const res = await identity.call(operator, TENANT, { input: { id, slug: `code-${id.slice(-12)}`, name: 'Code' } });
    assert.ok(!res.errors, JSON.stringify(res.errors));
    return id;
  };
  const newCustomer = async (contact: { email?: string; phone?: string }) => {
    const res = await identity.call<{ createCustomer: { customer: { id: string } } }>(operator, CUSTOMER, { input: { id: uuidv7(), tenantId, kind: 'PERSON', displayName: 'Bia', taxId: cpf(), ...contact } });
    assert.ok(!res.errors, JSON.stringify(res.errors));
    return res.data!.createCustomer.customer.id;
  };
  const vars = (customerId: string, over: Record<string, unknown> = {}) => ({ t: tenantId, c: customerId, p: 'card-3ds-code', r: uuidv7(), code: '482913', e: new Date(Date.now() + 5 * 60_000).toISOString(), s: 'BRL 25.00 at Cafe Central, card 1234', ...over });
  const outboxRows = async () => (await sql.query(`select subject, payload_sealed from identity.notification_outbox where tenant_id = $1`, [tenantId])).rows as { subject: string; payload_sealed: string }[];

  before(async () => {
    identity = await startIdentity();
    sql = new pg.Pool({ connectionString: identity.db.url, max: 2 });
    tenantId = await newTenant();
    otherTenant = await newTenant();
  });
  after(async () => {
    await sql?.end();
    await identity?.stop();
  });

  it('goes to the phone by SMS when there is one, else the e-mail; the caller sees it masked; the outbox row is sealed', async () => {
    const both = await newCustomer({ email: 'bia@example.com', phone: '+5511987654321' });
    const sms = await identity.call<{ sendCustomerCode: { channel: string; maskedTo: string } }>(cards, SEND, vars(both));
    assert.ok(!sms.errors, JSON.stringify(sms.errors));
    assert.equal(sms.data!.sendCustomerCode.channel, 'SMS');
    assert.match(sms.data!.sendCustomerCode.maskedTo, /4321$/);
    assert.ok(!sms.data!.sendCustomerCode.maskedTo.includes('98765'));
    const mailOnly = await newCustomer({ email: 'caio@example.com' });
    const mail = await identity.call<{ sendCustomerCode: { channel: string; maskedTo: string } }>(cards, SEND, vars(mailOnly));
    assert.deepEqual([mail.data!.sendCustomerCode.channel, mail.data!.sendCustomerCode.maskedTo.endsWith('@example.com'), mail.data!.sendCustomerCode.maskedTo.includes('caio')], ['EMAIL', true, false]);
    const rows = await outboxRows();
    assert.deepEqual(rows.map((r) => r.subject).sort(), [`identity.notify.email.${tenantId}`, `identity.notify.sms.${tenantId}`]);
    for (const r of rows) for (const clear of ['482913', 'bia@example.com', 'caio@example.com', '987654321']) assert.ok(!r.payload_sealed.includes(clear), 'sealed');
  });

  it('services only; another tenant, an unknown customer, bad input and a customer without contacts are refused, writing nothing', async () => {
    const customer = await newCustomer({ email: 'dora@example.com' });
    const before = (await outboxRows()).length;
    for (const who of [null, operator, { subject: customer, kind: 'customer', tenantId, scopes: [] } as Identity]) {
      const res = await identity.call(who, SEND, vars(customer));
      assert.ok(['UNAUTHENTICATED', 'FORBIDDEN'].includes(res.errors?.[0]?.extensions?.code ?? ''), JSON.stringify(res.errors));
    }
    assert.equal((await identity.call(cards, SEND, { ...vars(customer), t: otherTenant })).errors?.[0]?.extensions?.code, 'NOT_FOUND');
    assert.equal((await identity.call(cards, SEND, vars(uuidv7()))).errors?.[0]?.extensions?.code, 'NOT_FOUND');
    for (const [over, reason] of [
      [{ p: 'sign-in' }, 'UNKNOWN_PURPOSE'],
      [{ code: '12ab56' }, 'MALFORMED_CODE'],
      [{ r: 'x' }, 'MALFORMED_REFERENCE'],
      [{ e: new Date(Date.now() - 1000).toISOString() }, 'BAD_EXPIRY'],
      [{ e: new Date(Date.now() + 3_600_000).toISOString() }, 'BAD_EXPIRY'],
    ] as const) {
      const res = await identity.call(cards, SEND, vars(customer, over));
      assert.equal(res.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT', JSON.stringify(res.errors));
      assert.equal((res.errors?.[0]?.extensions as { details?: { reason?: string } })?.details?.reason, reason);
    }
    const silent = await newCustomer({});
    const none = await identity.call(cards, SEND, vars(silent));
    assert.equal(none.errors?.[0]?.extensions?.code, 'CONFLICT');
    assert.equal((await outboxRows()).length, before);
  });
});
