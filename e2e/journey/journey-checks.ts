import {
  JourneyCreateLedgerCheckpointDocument,
  JourneyRiskAssessmentsDocument,
  JourneyTransferInclusionProofDocument,
  JourneyVerifyLedgerChainDocument,
  StatementDocument,
  TransferDocument,
} from '@baas/sdk';
import { verifyProofBundle } from '@baas/ledger-proofs';
import type { WebhookReceiver } from '@baas/webhook-receiver';
import { expect, fmt, newId, short, until, type Gateway, type JourneyLog } from './journey-client';
import { type Account, type Person, type Sandbox } from './journey-onboard';

export type MuleOutcome = { code: string | undefined; reasons: string[]; transferId: string; decision: string | null };

/**
 * A mule forwards what it collected: after two small moves between its own accounts, the risk graph
 * marks its account as a mule's (`plant`: what a graph scan writes), and its transfer of ten times its
 * usual amount to a new payee is refused by risk. Nothing moves.
 */
export async function muleBlocked(gw: Gateway, log: JourneyLog, sandbox: Sandbox, mule: Person, from: Account, own: Account, payee: Account, plant: (ledgerAccountId: string) => Promise<void>): Promise<MuleOutcome> {
  for (let i = 0; i < 2; i++) {
    const moved = await gw.ok(TransferDocument, { input: { id: newId(), fromAccountId: from.id, toAccountId: own.id, amount: '5000' } }, mule.token);
    expect(moved.transfer.status === 'POSTED', `the mule's own transfer POSTED (is ${moved.transfer.status})`);
  }
  await plant(from.ledgerAccountId);
  log(`Risk graph: account ${short(from.id)} marked as a mule's (mule score 1: what a graph scan writes for an account that collects from many unrelated payers and forwards it all; written to the scans' cache here, the scan itself is not run).`);
  const transferId = newId();
  const res = await gw.request(TransferDocument, { input: { id: transferId, fromAccountId: from.id, toAccountId: payee.id, amount: '50000' } }, sandbox.clientToken);
  const error = res.errors?.[0];
  const code = error?.extensions?.code as string | undefined;
  const reasons = ((error?.extensions?.details as { reasons?: string[] } | undefined)?.reasons ?? []).slice();
  // Risk's own record of the movement, as the tenant reads it (no features, no model internals).
  const assessed = await until(
    `risk's assessment of ${transferId}`,
    async () => (await gw.ok(JourneyRiskAssessmentsDocument, { customerId: mule.id, first: 50 }, sandbox.clientToken)).riskAssessments.items.find((a) => a.movementId === transferId),
    (a) => !!a,
    10_000,
  ).catch(() => undefined);
  const decision = assessed?.decision ?? null;
  expect(error && !res.data?.transfer, `the mule's transfer refused (it was ${res.data?.transfer.status}; risk's decision: ${decision ?? 'none recorded (risk did not answer in time and the tenant fails open?)'})`);
  log(`Risk: the mule's transfer of ${fmt(50_000n, 'BRL')} to the customer was refused: ${code} (${reasons.join(', ') || 'no reasons'}); nothing moved.`);
  if (assessed) {
    const why = assessed.decision === 'REVIEW' ? ' (a step-up; a tenant backend has no customer to step up, so it is refused)' : '';
    log(`Risk: its assessment ${short(assessed.id)}: ${assessed.decision}${why}, score ${(assessed.scoreBps / 100).toFixed(2)} %, model ${assessed.modelVersion}.`);
  }
  return { code, reasons, transferId, decision };
}

export type WebhooksOutcome = { total: number; verified: number; types: string[] };

/** Waits for the steps' events at the local receiver; every one must verify. */
export async function webhooksArrived(log: JourneyLog, receiver: WebhookReceiver, expected: readonly string[]): Promise<WebhooksOutcome> {
  const has = (t: string) => receiver.received.some((r) => r.verified && r.type === t);
  await until(`webhooks ${expected.join(', ')}`, async () => expected.filter((t) => !has(t)), (missing) => missing.length === 0, 60_000).catch(() => undefined);
  const received = receiver.received;
  const types = [...new Set(received.map((r) => r.type ?? '?'))].sort();
  const verified = received.filter((r) => r.verified).length;
  log(`Webhooks: ${received.length} deliveries arrived, ${verified} with a valid signature; event types: ${types.join(', ')}.`);
  const missing = expected.filter((t) => !has(t));
  if (missing.length) log(`Webhooks: not (yet) received: ${missing.join(', ')}.`);
  return { total: received.length, verified, types };
}

export type StatementOutcome = { opening: bigint; closing: bigint; lines: { amount: bigint; description: string | null; ledgerTransferId: string | null }[] };

/** The account's statement as the customer reads it. */
export async function statementOf(gw: Gateway, log: JourneyLog, customer: Person, account: Account): Promise<StatementOutcome> {
  const s = (await gw.ok(StatementDocument, { id: account.id, first: 100 }, customer.token)).account?.statement;
  expect(s, 'the statement');
  const lines = s.entries.map((e) => ({ amount: BigInt(e.amount.minorUnits), description: e.description ?? null, ledgerTransferId: e.ledgerTransferId ?? null }));
  log(`Statement of the ${account.currency} account ${short(account.id)}: opening ${fmt(s.openingBalance.minorUnits, account.currency)}`);
  for (const e of s.entries) log(`   ${e.at}  ${fmt(e.amount.minorUnits, account.currency).padStart(16)}  ${fmt(e.runningBalance.minorUnits, account.currency).padStart(16)}  ${e.description ?? ''}`);
  log(`   closing ${fmt(s.closingBalance.minorUnits, account.currency)}`);
  return { opening: BigInt(s.openingBalance.minorUnits), closing: BigInt(s.closingBalance.minorUnits), lines };
}

export type LedgerOutcome = { chainOk: boolean; checked: number; treeSize: string; proofOk: boolean; transferId: string };

/** The operator verifies the ledger's hash chain and signs a checkpoint; the customer proves one transfer is in it. */
export async function ledgerIntegrity(gw: Gateway, log: JourneyLog, operatorToken: string, customer: Person, ledgerTransferId: string): Promise<LedgerOutcome> {
  const chain = (await gw.ok(JourneyVerifyLedgerChainDocument, {}, operatorToken)).verifyLedgerChain;
  log(`Ledger: hash chain verified by the operator: ${chain.ok ? 'intact' : `BROKEN at ${chain.firstBadSeq}`} (${chain.checked} journal entries, seq ${chain.fromSeq}–${chain.toSeq}).`);
  const cp = (await gw.ok(JourneyCreateLedgerCheckpointDocument, {}, operatorToken)).createLedgerCheckpoint;
  expect(cp, 'a signed checkpoint');
  log(`Ledger: signed checkpoint over ${cp.treeSize} entries, Merkle root ${cp.rootHash.slice(0, 16)}…`);
  const proof = await gw.ok(JourneyTransferInclusionProofDocument, { transferId: ledgerTransferId }, customer.token);
  const verified = verifyProofBundle(proof.transferInclusionProof, proof.ledgerCheckpointPublicKey);
  log(`Ledger: inclusion proof of transfer ${short(ledgerTransferId)} against the signed checkpoint, checked offline: ${verified.ok ? 'valid' : `INVALID (${JSON.stringify(verified)})`}.`);
  return { chainOk: chain.ok, checked: chain.checked, treeSize: cp.treeSize, proofOk: verified.ok, transferId: ledgerTransferId };
}
