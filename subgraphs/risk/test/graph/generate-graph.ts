import { createHash } from 'node:crypto';
import type { Identifier } from '../../src/domain/graph-events';
import { canonicalCycle } from '../../src/domain/graph-features';

/**
 * A deterministic graph of ordinary traffic with planted fraud patterns and near misses, and the
 * findings each pattern must report (exactly those). Ids carry `run` so concurrent test files on
 * the one shared Neo4j never meet; the same seed and run give the same events.
 *
 * Ordinary traffic cannot form a pattern by construction: consumers pay merchants (who never pay
 * out) and each other only "downhill" (lower index to higher: no cycle) and only days ago (outside
 * the 24 h mule window), every customer has identifiers of its own, and ordinary traffic touches
 * the fraudster only through a hub merchant (more than 50 counterparties: not traversed).
 */
export type GeneratedGraph = {
  tenantIds: string[];
  now: Date;
  accounts: { accountId: string; customerId: string; tenantId: string }[];
  identifiers: { tenantId: string; customerId: string; identifiers: Identifier[]; at: Date }[];
  payments: { eventId: string; transferId: string; payerAccountId: string; payeeAccountId: string; amount: bigint; currency: string; at: Date }[];
  frauds: { tenantId: string; customerId: string }[];
  expected: {
    sharedGroups: string[][];
    rings: string[][];
    cycles: string[][];
    mules: string[];
    /** Near misses: accounts that received money in the window but are not mules. */
    notMules: string[];
    customerDistances: Record<string, number>;
    accountDistances: Record<string, number>;
  };
};

/** mulberry32: a small seeded PRNG. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export function generateGraph(seed: number, run: string): GeneratedGraph {
  const rnd = prng(seed);
  const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
  const now = new Date(Date.UTC(2025, 5, 1, 12, 0, 0));
  const ago = (ms: number) => new Date(now.getTime() - ms);
  const t1 = `${run}-t1`;
  const t2 = `${run}-t2`;
  const g: GeneratedGraph = {
    tenantIds: [t1, t2],
    now,
    accounts: [],
    identifiers: [],
    payments: [],
    frauds: [],
    expected: { sharedGroups: [], rings: [], cycles: [], mules: [], notMules: [], customerDistances: {}, accountDistances: {} },
  };
  const runHex = createHash('sha256').update(run).digest('hex');
  const hash = (s: string) => createHash('sha256').update(`${run}:${s}`).digest('base64url');
  let ip6 = 0;
  const uniqueIp = () => `fd${runHex.slice(0, 2)}:${runHex.slice(2, 6)}:${runHex.slice(6, 10)}::${(++ip6).toString(16)}`;
  let transfers = 0;

  /** A customer with one account and identifiers of its own (plus `extra` shared ones). */
  const customer = (name: string, tenantId = t1, extra: Identifier[] = []) => {
    const customerId = `${run}-c-${name}`;
    const accountId = `${run}-a-${name}`;
    g.accounts.push({ accountId, customerId, tenantId });
    const own: Identifier[] = [
      { kind: 'DEVICE', value: `${run}-dev-${name}` },
      { kind: 'IP', value: uniqueIp() },
      { kind: 'PHONE', value: hash(`phone-${name}`) },
      { kind: 'EMAIL', value: hash(`email-${name}`) },
    ];
    g.identifiers.push({ tenantId, customerId, identifiers: [...own, ...extra], at: ago(int(1, 90) * DAY) });
    return { customerId, accountId };
  };
  const pay = (payer: string, payee: string, amount: bigint, at: Date) => {
    const n = ++transfers;
    g.payments.push({ eventId: `${run}-e-${n}`, transferId: `${run}-tr-${n}`, payerAccountId: payer, payeeAccountId: payee, amount, currency: 'BRL', at });
  };
  const amount = () => BigInt(int(100, 500_000));

  // Ordinary traffic: consumers, small merchants, a hub merchant, outside payers of the hub.
  const consumers = [...Array.from({ length: 40 }, (_, i) => customer(`n${i}`)), ...Array.from({ length: 10 }, (_, i) => customer(`m${i}`, t2))];
  const merchants = Array.from({ length: 8 }, (_, i) => customer(`shop${i}`));
  const hub = customer('hub');
  for (const c of consumers) {
    for (let k = int(1, 3); k > 0; k--) pay(c.accountId, merchants[int(0, merchants.length - 1)]!.accountId, amount(), ago(int(0, 29 * 24) * HOUR + int(1, 3000) * 1000));
    pay(c.accountId, hub.accountId, amount(), ago(int(1, 29) * DAY));
  }
  for (let i = 0; i < 15; i++) pay(`${run}-ext-${i}`, hub.accountId, amount(), ago(int(1, 29) * DAY));
  for (let k = 0; k < 60; k++) {
    const i = int(0, consumers.length - 2);
    const j = int(i + 1, consumers.length - 1);
    pay(consumers[i]!.accountId, consumers[j]!.accountId, amount(), ago(int(2, 29) * DAY));
  }
  for (const m of merchants) g.expected.notMules.push(m.accountId);
  g.expected.notMules.push(hub.accountId);

  // Cycles of 3, 4 and 5 accounts (one pair paid twice), and a 6-cycle that is too long.
  for (const len of [3, 4, 5, 6]) {
    const members = Array.from({ length: len }, (_, i) => customer(`cyc${len}-${String.fromCharCode(97 + ((i * 7 + seed) % 26))}${i}`));
    members.forEach((m, i) => pay(m.accountId, members[(i + 1) % len]!.accountId, amount(), ago(int(2, 6) * DAY + i * HOUR)));
    if (len === 4) pay(members[1]!.accountId, members[2]!.accountId, amount(), ago(3 * DAY));
    if (len <= 5) g.expected.cycles.push(canonicalCycle(members.map((m) => m.accountId)));
  }

  // A mule: 4 unrelated payers in the last 24 h, then most of it out to two outside accounts.
  const mule = customer('mule');
  let muleIn = 0n;
  for (let i = 0; i < 4; i++) {
    const a = BigInt(int(50_000, 200_000));
    muleIn += a;
    pay(customer(`mulepayer${i}`).accountId, mule.accountId, a, ago((20 - i) * HOUR));
  }
  pay(mule.accountId, `${run}-cashout-1`, (muleIn * 6n) / 10n, ago(3 * HOUR));
  pay(mule.accountId, `${run}-cashout-2`, (muleIn * 3n) / 10n, ago(2 * HOUR));
  g.expected.mules.push(mule.accountId);

  // Near misses: payers sharing the holder's device (a ring too); fan-in without fan-out; 2 payers only.
  const sharedDevice: Identifier = { kind: 'DEVICE', value: `${run}-dev-shared-nm` };
  const nm1 = customer('nm1', t1, [sharedDevice]);
  const nm1Payers = Array.from({ length: 4 }, (_, i) => customer(`nm1payer${i}`, t1, [sharedDevice]));
  nm1Payers.forEach((p) => pay(p.accountId, nm1.accountId, 100_000n, ago(10 * HOUR)));
  pay(nm1.accountId, `${run}-cashout-3`, 350_000n, ago(HOUR));
  g.expected.sharedGroups.push([nm1, ...nm1Payers].map((c) => c.customerId).sort());
  g.expected.rings.push([nm1, ...nm1Payers].map((c) => c.customerId).sort());
  const nm2 = customer('nm2');
  for (let i = 0; i < 4; i++) pay(customer(`nm2payer${i}`).accountId, nm2.accountId, 80_000n, ago((12 - i) * HOUR));
  const nm3 = customer('nm3');
  for (let i = 0; i < 2; i++) pay(customer(`nm3payer${i}`).accountId, nm3.accountId, 80_000n, ago((12 - i) * HOUR));
  pay(nm3.accountId, `${run}-cashout-4`, 150_000n, ago(HOUR));
  g.expected.notMules.push(nm1.accountId, nm2.accountId, nm3.accountId);

  // A ring: four customers on one device, the fourth shares a phone with a fifth.
  const ringDevice: Identifier = { kind: 'DEVICE', value: `${run}-dev-ring` };
  const ringPhone: Identifier = { kind: 'PHONE', value: hash('phone-ring') };
  const ring = [0, 1, 2, 3].map((i) => customer(`ring${i}`, t1, i === 3 ? [ringDevice, ringPhone] : [ringDevice]));
  ring.push(customer('ring4', t1, [ringPhone]));
  g.expected.sharedGroups.push(ring.slice(0, 4).map((c) => c.customerId).sort(), [ring[3]!, ring[4]!].map((c) => c.customerId).sort());
  g.expected.rings.push(ring.map((c) => c.customerId).sort());

  // A public IP: 25 customers behind one carrier NAT address share nothing else.
  const publicIp: Identifier = { kind: 'IP', value: uniqueIp() };
  for (let i = 0; i < 25; i++) customer(`pub${i}`, i % 2 ? t1 : t2, [publicIp]);

  // A confirmed fraudster F -> Y -> X -> Z, and F paying the hub (which stops the walk).
  const [f, y, x, z] = ['fraudster', 'y', 'x', 'z'].map((n) => customer(n));
  pay(f!.accountId, y!.accountId, amount(), ago(5 * DAY));
  pay(x!.accountId, y!.accountId, amount(), ago(4 * DAY)); // either direction counts
  pay(x!.accountId, z!.accountId, amount(), ago(3 * DAY));
  pay(f!.accountId, hub.accountId, amount(), ago(2 * DAY));
  g.frauds.push({ tenantId: t1, customerId: f!.customerId });
  [f, y, x, z].forEach((c, hops) => {
    g.expected.customerDistances[c!.customerId] = hops;
    g.expected.accountDistances[c!.accountId] = hops;
  });

  g.expected.sharedGroups.sort();
  g.expected.rings.sort();
  g.expected.cycles.sort();
  return g;
}
