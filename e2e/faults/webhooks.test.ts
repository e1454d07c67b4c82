import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { uuidv7 } from '@baas/db';
import { startPrivateStores, type PrivateStores } from '@baas/testing';
import type { WebhookReceiver } from '@baas/webhook-receiver';
import type { OpenedAccount, Tenant } from '../risk/risk-world';
import { startWebhooksWorld, type WebhooksWorld } from '../webhooks/webhooks-world';

/*
 * Issue 14, "Done when — Faults": the webhook worker killed mid-delivery and NATS restarting lose
 * no event (at-least-once: duplicates allowed, none missing); a receiver that hangs does not hold
 * up the other endpoints.
 *
 * NATS is a private instance (@baas/testing's startPrivateStores, as e2e/faults/store-restarts
 * does): the shared one serves every other test file and is never stopped. The ledger, payments
 * and webhooks subgraphs (the ones on NATS) run as their own processes, so the webhooks one can be
 * SIGKILLed and a crash any of them would have is seen in platform.exits. Nothing asserts a
 * duration: every wait is a condition with a generous deadline (a killed attempt's lease lapses
 * after WEBHOOKS_TIMEOUT_MS + 30 s before another worker retries it).
 */

const PROCESSES = ['ledger', 'payments', 'webhooks'] as const;
/** Deadline for anything that waits out a killed attempt's lease or NATS coming back (a bound, not a measure). */
const DEADLINE_MS = 120_000;
/** The per-endpoint cap (WEBHOOKS_ENDPOINT_CONCURRENCY's default), and a worker with few slots more, so the cap is what saves the others. */
const PER_ENDPOINT = 8;
const CONCURRENCY = 10;

type Posted = { id: string; amount: string; answered: number | null; verified: boolean };
/** Which of a scene's movements a delivered body is (its amount, each movement's own), or null for another event. */
type Match = (type: string | null, body: string) => string | null;

/** ledger.transfer.posted of a transfer into `to`: its amount. */
const postedTo =
  (to: OpenedAccount): Match =>
  (type, body) => {
    if (type !== 'ledger.transfer.posted' || !body.includes(to.ledgerAccountId)) return null;
    const transfer = (JSON.parse(body) as { data: { transfer: { amount: string; creditAccountId: string } } }).data.transfer;
    return transfer.creditAccountId === to.ledgerAccountId ? transfer.amount : null;
  };

/** The deliveries a receiver got of the scene's movements. */
function postedInto(receiver: WebhookReceiver, match: Match): Posted[] {
  const out: Posted[] = [];
  for (const r of receiver.received) {
    const amount = match(r.type, r.body);
    if (amount !== null) out.push({ id: r.id!, amount, answered: r.answered, verified: r.verified });
  }
  return out;
}

/** Amounts (each movement's own) not yet received verified and answered 204. */
function missing(receiver: WebhookReceiver, match: Match, amounts: readonly bigint[]): string[] {
  const got = new Set(postedInto(receiver, match).filter((p) => p.verified && p.answered === 204).map((p) => p.amount));
  return amounts.map(String).filter((a) => !got.has(a));
}

describe('webhook delivery survives faults (issue 14)', { timeout: 600_000 }, () => {
  let stores: PrivateStores;
  let w: WebhooksWorld;

  before(async () => {
    stores = await startPrivateStores({ stores: ['nats'] });
    try {
      // Only NATS is private (the other stores are the shared ones). Retries keep coming for as long as a hanging receiver needs.
      const env = { NATS_URL: stores.urls.nats, WEBHOOKS_CONCURRENCY: String(CONCURRENCY), WEBHOOKS_ENDPOINT_CONCURRENCY: String(PER_ENDPOINT), WEBHOOKS_RETRY_DELAYS_MS: Array(5).fill('200,300,400,500,600').join(',') };
      w = await startWebhooksWorld(env, { processes: PROCESSES });
    } catch (error) {
      await stores.close();
      throw error;
    }
  });
  after(async () => {
    await w?.stop().catch(() => undefined);
    await stores?.close();
  });

  /** A tenant with one customer, a funded account to send from and an empty one to send to. */
  async function scene(): Promise<{ tenant: Tenant; send: (amount: bigint) => Promise<void>; match: Match; types: string[] }> {
    const tenant = await w.newTenant();
    const alice = await w.newCustomer(tenant);
    const from = await w.openAccount(alice, 10_000_000n);
    const to = await w.openAccount(alice);
    /** One transfer, retried with the same id (its idempotency key) after a transient error, as a careful client does. */
    const send = async (amount: bigint) => {
      const id = uuidv7();
      let last = '';
      for (let attempt = 1; attempt <= 60; attempt++) {
        const res = await w.transfer(alice.identity, { id, fromAccountId: from.id, toAccountId: to.id, amount }).catch((e: Error) => ({ errors: [{ message: e.message }], data: undefined }));
        if (res.data?.transfer.status === 'POSTED') return;
        last = JSON.stringify(res.errors ?? res.data);
        await sleep(250);
      }
      assert.fail(`transfer of ${amount} not POSTED: ${last}`);
    };
    return { tenant, send, match: postedTo(to), types: ['ledger.transfer.posted'] };
  }

  /** Waits until every amount reached the receiver verified and answered 204, and the delivery log shows each SUCCEEDED. */
  async function allDelivered(tenant: Tenant, endpointId: string, receiver: WebhookReceiver, match: Match, amounts: readonly bigint[]): Promise<void> {
    try {
      await receiver.waitFor(() => missing(receiver, match, amounts).length === 0, { timeoutMs: DEADLINE_MS, intervalMs: 100 });
    } catch (error) {
      const log = await w.deliveries(tenant, endpointId).catch(() => []);
      assert.fail(`${(error as Error).message}; missing amounts ${missing(receiver, match, amounts).join(',')}; delivery log ${JSON.stringify(log.map((d) => [d.eventId, d.status, d.attemptCount, d.lastStatusCode]))}; exits ${JSON.stringify(w.platform.exits)}`);
    }
    const ids = new Set(postedInto(receiver, match).filter((p) => p.answered === 204).map((p) => p.id));
    assert.equal(ids.size, amounts.length, 'one event per transfer (repeats of an event carry its id)');
    await w.until(
      'every delivery SUCCEEDED in the log',
      async () => (await w.deliveries(tenant, endpointId)).filter((d) => ids.has(d.eventId)).map((d) => d.status),
      (statuses) => statuses.length === ids.size && statuses.every((s) => s === 'SUCCEEDED'),
      30_000,
    );
  }

  const inFlight = async (endpointId: string): Promise<number> =>
    Number((await w.sql(`SELECT count(*)::int AS n FROM webhooks.webhook_delivery WHERE endpoint_id = $1::uuid AND status = 'DELIVERING' AND lease_until > now()`, [endpointId])).rows[0].n);

  it('the webhooks process killed mid-delivery: every event is delivered after it restarts', async () => {
    const { tenant, send, match, types } = await scene();
    const ep = await w.endpoint(tenant, types, { hang: true });
    const amounts = [101n, 102n, 103n, 104n, 105n];
    await Promise.all(amounts.map(send));
    // Attempts are in flight: the receiver holds requests it never answers, and the log has claimed deliveries.
    await ep.receiver.waitFor((r) => r.length > 0, { timeoutMs: DEADLINE_MS });
    await w.until('a delivery claimed (DELIVERING)', () => inFlight(ep.id), (n) => n > 0, DEADLINE_MS);

    await w.platform.killSubgraph('webhooks');
    // What the dead worker held: deliveries still DELIVERING under its lease (only another worker, after the lease, retries them).
    assert.ok((await inFlight(ep.id)) > 0, 'the kill caught at least one attempt in flight');
    ep.receiver.setHang(false);
    const heldAtKill = ep.receiver.received.length;
    assert.ok(ep.receiver.received.every((r) => r.answered === null), 'nothing was answered before the kill');
    await w.platform.restartSubgraph('webhooks');

    // Transfers after the restart are delivered too (the fan-out resumed its durable consumer).
    const later = [106n, 107n];
    for (const a of later) await send(a);
    await allDelivered(tenant, ep.id, ep.receiver, match, [...amounts, ...later]);
    assert.ok(ep.receiver.received.length > heldAtKill, 'delivered again after the restart');
    assert.deepEqual(w.platform.exits, [], 'no process ended on its own');
  });

  it('NATS stopped and started: events from transfers made while it was down are all delivered', async () => {
    const { tenant, send, match, types } = await scene();
    const ep = await w.endpoint(tenant, types);
    // The path works before the outage (and the fan-out's consumers exist).
    await send(201n);
    await allDelivered(tenant, ep.id, ep.receiver, match, [201n]);

    await stores.stop('nats');
    const down = [202n, 203n, 204n, 205n, 206n];
    try {
      // The ledger commits each transfer and its outbox row; the relay cannot publish until NATS is back.
      for (const a of down) await send(a);
    } finally {
      await stores.start('nats');
    }
    const afterwards = [207n, 208n];
    for (const a of afterwards) await send(a);
    await allDelivered(tenant, ep.id, ep.receiver, match, [201n, ...down, ...afterwards]);
    assert.deepEqual(w.platform.exits, [], 'no process ended on its own');
  });

  it('a receiver that hangs does not delay another endpoint of the tenant', async () => {
    const { tenant, send, match, types } = await scene();
    const a = await w.endpoint(tenant, types, { hang: true });
    const b = await w.endpoint(tenant, types);
    // More transfers than the per-endpoint cap: without it, A's attempts would take every slot of the worker.
    const amounts = Array.from({ length: PER_ENDPOINT + 4 }, (_, i) => BigInt(301 + i));
    await Promise.all(amounts.map(send));
    await allDelivered(tenant, b.id, b.receiver, match, amounts);
    // At that moment A has been sent deliveries and answered none of them; at most the cap of its deliveries are in flight.
    const heldByA = postedInto(a.receiver, match);
    assert.ok(heldByA.length > 0, 'A was sent deliveries');
    assert.deepEqual(heldByA.filter((p) => p.answered !== null), [], 'A answered none');
    assert.ok((await inFlight(a.id)) <= PER_ENDPOINT, 'A holds at most the per-endpoint cap');
    assert.equal((await w.deliveries(tenant, a.id)).filter((d) => d.status === 'SUCCEEDED').length, 0);
    assert.deepEqual(w.platform.exits, [], 'no process ended on its own');
  });
});
