import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_EVENT_TYPE_REGISTRY as registry } from '@baas/webhooks';
import { tenantEventsOf, webhookBody } from '../../src/domain/event-routing';

const T1 = '0193a000-0000-7000-8000-000000000001';
const T2 = '0193a000-0000-7000-8000-000000000002';
const ID = '0193a000-0000-7000-8000-00000000abcd';
const at = '2026-12-05T12:00:00.000Z';

const ledger = (tenants: (string | null)[]) => ({
  id: ID,
  type: 'ledger.transfer.posted',
  occurredAt: at,
  data: {
    seq: '7',
    correlationId: 'internal',
    transfer: { id: 't', amount: '100', currency: 'BRL', debitAccountId: 'a1', creditAccountId: 'a2' },
    accounts: tenants.map((tenantId, i) => ({ id: `a${i + 1}`, tenantId, debitsPosted: String(i * 10), creditsPosted: '0', debitsPending: '0', creditsPending: '0' })),
  },
});

describe('event routing (pure)', () => {
  it('a ledger transfer between two tenants is one event for each, each seeing only its own account', () => {
    const out = tenantEventsOf(ledger([T1, T2]), registry);
    assert.deepEqual(out.map((e) => e.tenantId), [T1, T2]);
    for (const e of out) {
      const body = JSON.parse(e.body) as { id: string; type: string; timestamp: string; data: { accounts: { tenantId: string }[]; correlationId?: string } };
      assert.deepEqual([body.id, body.type, body.timestamp], [ID, 'ledger.transfer.posted', at]);
      assert.deepEqual(body.data.accounts.map((a) => a.tenantId), [e.tenantId]);
      assert.equal(body.data.correlationId, undefined, 'internal fields stay inside');
    }
  });

  it('within one tenant it is one event; the platform own accounts (no tenant) are nobody s', () => {
    assert.deepEqual(tenantEventsOf(ledger([T1, T1]), registry).map((e) => e.tenantId), [T1]);
    assert.deepEqual(tenantEventsOf(ledger([null, T2]), registry).map((e) => e.tenantId), [T2]);
    assert.deepEqual(tenantEventsOf(ledger([null, null]), registry), []);
  });

  it('other sources go to data.tenantId, with the data as published', () => {
    const data = { orderId: 'o', tenantId: T1.toUpperCase(), amount: '2500' };
    const [e] = tenantEventsOf({ id: ID, type: 'payments.order.settled', occurredAt: at, data }, registry);
    assert.equal(e!.tenantId, T1);
    assert.equal(e!.body, webhookBody(ID, 'payments.order.settled', new Date(at), data));
  });

  it('internal and unknown types, events without a tenant, id or time become nothing', () => {
    const base = { id: ID, occurredAt: at, data: { tenantId: T1 } };
    assert.deepEqual(tenantEventsOf({ ...base, type: 'risk.observed.movement' }, registry), []);
    assert.deepEqual(tenantEventsOf({ ...base, type: 'payments.order.exploded' }, registry), []);
    assert.deepEqual(tenantEventsOf({ ...base, type: 'payments.order.settled', data: {} }, registry), []);
    assert.deepEqual(tenantEventsOf({ ...base, type: 'payments.order.settled', id: 'not-a-uuid' }, registry), []);
    assert.deepEqual(tenantEventsOf({ ...base, type: 'payments.order.settled', occurredAt: 'yesterday' }, registry), []);
    assert.deepEqual(tenantEventsOf({ ...base, type: 'payments.order.settled', data: [T1] }, registry), []);
  });
});
