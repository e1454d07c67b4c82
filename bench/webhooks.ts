// npm run bench:webhooks — the webhooks delivery path (issue 14): `payments.order.settled` events
// published to a throwaway JetStream stream, fanned out by the webhooks subgraph (started in this
// process: durable consumer -> tenant event + delivery rows -> delivery worker claims, signs, POSTs)
// to one local receiver per tenant, which verifies every signature. Beside it, in the same run, the
// baseline: a bare durable consumer (@baas/events' bus.consume) on a second stream receiving the same
// events. Two phases each: a fixed rate (open loop; delay = receipt − publish call) and a burst
// published as fast as possible (throughput until the last one is received).
//   npm run bench:webhooks -- [rate per second] [seconds] [tenants] [burst]
//   BENCH_WEBHOOKS_ENV='{"WEBHOOKS_POLL_MS":"500"}' overrides the subgraph's configuration.
import { randomUUID } from 'node:crypto';
import { startWebhooksBenchWorld, type WebhooksBenchWorld } from './webhooks-setup';

const RATE = Number(process.argv[2] ?? 200);
const SECONDS = Number(process.argv[3] ?? 10);
const TENANTS = Number(process.argv[4] ?? 4);
const BURST = Number(process.argv[5] ?? 2000);
const TYPE = 'payments.order.settled';
const DRAIN_TIMEOUT_MS = 300_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
/** Wall-clock ms with sub-ms precision (the receiver stamps receipts with a Date). */
const nowMs = () => performance.timeOrigin + performance.now();

type Row = { name: string; cpuMs: number; elu: number; sent: number; received: number; verified: number; duplicates: number; seconds: number; perSecond: number; p50: number; p99: number; max: number; publishErrors: number };

/** One phase's bookkeeping: publish time per event id, receipt time per event id (first receipt). */
class Run {
  published = new Map<string, number>();
  received = new Map<string, number>();
  duplicates = 0;
  verified = 0;
  publishErrors = 0;
  firstPublish = Infinity;
  /** This process's CPU ms per event and event-loop utilisation over the phase (publish to last receipt). */
  cpuMs = 0;
  elu = 0;
  private cpu0 = process.cpuUsage();
  private elu0 = performance.eventLoopUtilization();
  constructor(readonly name: string) {}
  finish() {
    const c = process.cpuUsage(this.cpu0);
    this.cpuMs = (c.user + c.system) / 1000 / Math.max(1, this.published.size);
    this.elu = performance.eventLoopUtilization(this.elu0).utilization;
  }
  markReceived(id: string, at: number, verified: boolean) {
    if (!this.published.has(id)) return;
    if (this.received.has(id)) {
      this.duplicates += 1;
      return;
    }
    this.received.set(id, at);
    if (verified) this.verified += 1;
  }
  done() {
    return this.received.size >= this.published.size;
  }
  row(): Row {
    const delays = [...this.received].map(([id, at]) => at - this.published.get(id)!).sort((a, b) => a - b);
    const last = Math.max(...this.received.values());
    const seconds = (last - this.firstPublish) / 1000;
    return { name: this.name, cpuMs: this.cpuMs, elu: this.elu, sent: this.published.size, received: this.received.size, verified: this.verified, duplicates: this.duplicates, seconds, perSecond: this.received.size / seconds, p50: pct(delays, 50), p99: pct(delays, 99), max: delays.at(-1) ?? NaN, publishErrors: this.publishErrors };
  }
}

/** Publishes `total` events, at `rate`/s (open loop) or, rate Infinity, as fast as the publish acks allow (500 in flight). */
async function publishAll(world: WebhooksBenchWorld, run: Run, prefix: string, total: number, rate: number): Promise<void> {
  const inflight = new Set<Promise<unknown>>();
  const start = performance.now();
  for (let i = 0; i < total; i++) {
    if (Number.isFinite(rate)) {
      const wait = start + (i * 1000) / rate - performance.now();
      if (wait > 0) await sleep(wait);
    } else if (inflight.size >= 500) await Promise.race(inflight);
    const tenantId = world.tenants[i % world.tenants.length]!.tenantId;
    const id = randomUUID();
    const at = nowMs();
    run.published.set(id, at);
    run.firstPublish = Math.min(run.firstPublish, at);
    const p = world.bus
      .publish(`${prefix}.${TYPE}`, { id, type: TYPE, occurredAt: new Date(at).toISOString(), data: { tenantId, orderId: randomUUID(), amount: '100', currency: 'BRL' } })
      .catch(() => (run.publishErrors += 1))
      .finally(() => inflight.delete(p));
    inflight.add(p);
  }
  await Promise.all(inflight);
}

/** Webhooks: receipts come from the receivers (verified and stamped on arrival). */
async function webhooksPhase(world: WebhooksBenchWorld, name: string, total: number, rate: number): Promise<Run> {
  for (const t of world.tenants) t.receiver.clear();
  const run = new Run(name);
  await publishAll(world, run, world.subject, total, rate);
  const deadline = Date.now() + DRAIN_TIMEOUT_MS;
  const seen = world.tenants.map(() => 0);
  for (;;) {
    world.tenants.forEach((t, i) => {
      const list = t.receiver.received;
      for (; seen[i]! < list.length; seen[i]!++) {
        const r = list[seen[i]!]!;
        if (r.id) run.markReceived(r.id, r.receivedAt.getTime(), r.verified);
      }
    });
    if (run.done() || Date.now() > deadline) break;
    await sleep(20);
  }
  run.finish();
  await sleep(500); // late duplicates would show here
  world.tenants.forEach((t, i) => {
    for (const r of t.receiver.received.slice(seen[i])) if (r.id) run.markReceived(r.id, r.receivedAt.getTime(), r.verified);
  });
  return run;
}

/** Baseline: a bare durable consumer; receipt = handler entry. */
async function baselinePhase(world: WebhooksBenchWorld, name: string, total: number, rate: number): Promise<Run> {
  const run = new Run(name);
  const consumer = await world.bus.consume<{ tenantId: string }>({
    stream: world.baseStream,
    durable: `bench_base_${randomUUID().slice(0, 8)}`,
    deliverNew: true,
    pullExpiresMs: 1000,
    handler: async (event) => run.markReceived(event.id, nowMs(), true),
  });
  await publishAll(world, run, world.baseSubject, total, rate);
  const deadline = Date.now() + DRAIN_TIMEOUT_MS;
  while (!run.done() && Date.now() < deadline) await sleep(20);
  run.finish();
  await consumer.stop();
  return run;
}

/** Where a phase's delay went, from the delivery rows: publish -> row created (fan-out), row created -> receipt (claim + POST). */
async function breakdown(world: WebhooksBenchWorld, run: Run): Promise<string> {
  const rows = (await world.deliveryRows()).filter((r) => run.published.has(r.eventId));
  const fanout = rows.map((r) => r.createdAt - run.published.get(r.eventId)!).sort((a, b) => a - b);
  const toReceipt = rows.filter((r) => run.received.has(r.eventId)).map((r) => run.received.get(r.eventId)! - r.createdAt).sort((a, b) => a - b);
  const post = rows.flatMap((r) => (r.latencyMs === null ? [] : [r.latencyMs])).sort((a, b) => a - b);
  const retried = rows.filter((r) => r.attempts > 1).length;
  const notOk = rows.filter((r) => r.status !== 'SUCCEEDED').length;
  const f = (xs: number[]) => `${pct(xs, 50).toFixed(1)} / ${pct(xs, 99).toFixed(1)}`;
  return `${run.name}: ${rows.length} delivery rows; publish -> row created (fan-out) p50/p99 ${f(fanout)} ms; row created -> received (claim, sign, POST) ${f(toReceipt)} ms; POST latency ${f(post)} ms; retried ${retried}, not SUCCEEDED ${notOk}`;
}

function print(rows: Row[]): void {
  const h = ['scenario', 'sent', 'received', 'verified', 'dup', 'seconds', 'per s', 'p50 ms', 'p99 ms', 'max ms', 'cpu ms/ev', 'loop %'];
  console.log(`${h[0]!.padEnd(40)} ${h.slice(1).map((x) => x.padStart(8)).join(' ')}`);
  for (const r of rows) {
    const f = (n: number) => n.toFixed(1).padStart(8);
    console.log(`${r.name.padEnd(40)} ${[r.sent, r.received, r.verified, r.duplicates].map((n) => String(n).padStart(8)).join(' ')} ${f(r.seconds)} ${f(r.perSecond)} ${f(r.p50)} ${f(r.p99)} ${f(r.max)} ${f(r.cpuMs)} ${f(r.elu * 100)}`);
  }
}

const t0 = Date.now();
// BENCH_WEBHOOKS_ENV: JSON of webhooks config overrides, e.g. '{"WEBHOOKS_POLL_MS":"500"}'.
const world = await startWebhooksBenchWorld({ tenants: TENANTS, env: JSON.parse(process.env.BENCH_WEBHOOKS_ENV ?? '{}') as Record<string, string> });
let failed = false;
try {
  console.log(`bench:webhooks: ${TENANTS} tenants (one endpoint and receiver each), ${RATE}/s for ${SECONDS} s, burst ${BURST}; node ${process.version}; set up in ${Date.now() - t0} ms`);
  // Warm-up: JIT, connection pools, keep-alive sockets to the receivers.
  await webhooksPhase(world, 'warm-up', 100, 100);
  await baselinePhase(world, 'warm-up', 100, 100);

  const commits0 = await world.commits();
  const rateHook = await webhooksPhase(world, `webhooks, ${RATE}/s`, Math.round(RATE * SECONDS), RATE);
  await sleep(1500); // pg_stat_database is flushed by the backends within a second
  const commits = (await world.commits()) - commits0;
  const rateBase = await baselinePhase(world, `baseline consumer, ${RATE}/s`, Math.round(RATE * SECONDS), RATE);
  const burstHook = await webhooksPhase(world, `webhooks, burst of ${BURST}`, BURST, Infinity);
  const burstBase = await baselinePhase(world, `baseline consumer, burst of ${BURST}`, BURST, Infinity);

  const runs = [rateHook, rateBase, burstHook, burstBase];
  console.log('');
  print(runs.map((r) => r.row()));
  console.log('');
  console.log(await breakdown(world, rateHook));
  console.log(await breakdown(world, burstHook));
  console.log(`PostgreSQL transactions committed during the ${RATE}/s webhooks phase: ${commits} (${(commits / rateHook.published.size).toFixed(1)} per event)`);
  for (const r of runs) {
    const missing = r.published.size - r.received.size;
    if (missing > 0 || r.publishErrors > 0 || (r.name.startsWith('webhooks') && r.verified < r.received.size)) {
      failed = true;
      console.error(`${r.name}: ${missing} not received, ${r.publishErrors} publish errors, ${r.received.size - r.verified} unverified`);
    }
  }
  console.log(failed ? 'SOME EVENTS WERE NOT DELIVERED (above)' : 'every event delivered once and verified');
} finally {
  await world.stop();
}
console.log(`done in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
process.exit(failed ? 1 : 0);
