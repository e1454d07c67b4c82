import { randomUUID } from 'node:crypto';
import { applyBatch } from '../subgraphs/ledger/src/domain/apply-batch';
import { buildJournal } from '../subgraphs/ledger/src/domain/journal';
import { transferFingerprint } from '../subgraphs/ledger/src/domain/transfer-fingerprint';
import { canonicalize } from '@baas/ledger-proofs';
const customers = Array.from({ length: 1000 }, () => randomUUID());
const pick = () => customers[Math.floor(Math.random() * customers.length)]!;
const mk = () => Array.from({ length: 4000 }, () => { const d = pick(); let c = pick(); while (c === d) c = pick(); return { kind: 'SINGLE' as const, id: randomUUID(), debitAccountId: d, creditAccountId: c, amount: 5n, currency: 'BRL', code: 1 }; });
for (let i = 0; i < 5; i++) {
  const reqs = mk();
  let t = performance.now();
  for (const r of reqs) transferFingerprint(r);
  const th = performance.now() - t;
  t = performance.now();
  for (const r of reqs) canonicalize(r as never);
  const tc = performance.now() - t;
  t = performance.now();
  const out = applyBatch([{ linked: false, requests: reqs }], { accounts: new Map(customers.map((id) => [id, { id, currency: 'BRL', flags: 0, debitsPosted: 0n, creditsPosted: 10n ** 12n, debitsPending: 0n, creditsPending: 0n }])), existing: new Map(), pendings: new Map(), nextSeq: 1n, now: new Date() });
  const ta = performance.now() - t;
  t = performance.now();
  buildJournal({ created: out.created, head: Buffer.alloc(32), balancesAfter: out.balancesAfter });
  const tj = performance.now() - t;
  console.log(`hash ${th.toFixed(0)} canon ${tc.toFixed(0)} apply ${ta.toFixed(0)} journal ${tj.toFixed(0)} ms`);
}
