import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Identity } from '@baas/auth';
import { buildStaticBrCode, parseBrCode } from '../../src/domain/pix-brcode';
import { cancelPixCharge } from '../../src/use-cases/cancel-pix-charge';
import { chargeBrCode, chargeLocation, createPixCharge } from '../../src/use-cases/create-pix-charge';
import { chargeAmountDue, getPixCharge } from '../../src/use-cases/get-pix-charge';
import { readBrCode } from '../../src/use-cases/read-br-code';
import { cobInput, coded, startChargeFixture, type ChargeFixture } from './pix-charge-fixture';

describe('PIX charges (cob, cobv) against PostgreSQL', () => {
  let f: ChargeFixture;
  before(async () => {
    f = await startChargeFixture();
  });
  after(async () => {
    await f?.close();
  });

  it('creates a cob with a made txid, its location and dynamic BR Code, and a created event without PII', async () => {
    const { account, who } = f.customer();
    const row = await createPixCharge(f.deps, who, cobInput(account.id, { description: 'Pedido 42' }));
    assert.equal(row.status, 'ATIVA');
    assert.equal(row.kind, 'COB');
    assert.equal(row.amount, 1050n);
    assert.equal(row.expiration, 3600);
    assert.match(row.txid, /^[a-zA-Z0-9]{32}$/);
    assert.equal(row.pixKey, `${account.customerId.slice(0, 8)}@example.com`);
    assert.equal(chargeLocation(f.deps, row), `http://127.0.0.1:4104/pix/v2/cob/${row.locationId}`);
    const code = parseBrCode(chargeBrCode(f.deps, row));
    assert.equal(code.kind, 'DYNAMIC');
    assert.equal(code.location, `127.0.0.1:4104/pix/v2/cob/${row.locationId}`);
    assert.equal(readBrCode(chargeBrCode(f.deps, row)).location, code.location);
    const info = readBrCode(buildStaticBrCode({ key: 'joao@example.com', merchantName: 'Joao', merchantCity: 'Sao Paulo', amount: 1050n, txid: 'abc' }));
    assert.deepEqual(info, { kind: 'STATIC', keyMasked: 'jo***@example.com', location: null, amount: 1050n, txid: 'abc', merchantName: 'JOAO', merchantCity: 'SAO PAULO' });
    const events = (await f.outbox('payments.pix.charge.created')).filter((e) => e.chargeId === row.id);
    assert.equal(events.length, 1);
    assert.equal(events[0]!.amount, '1050');
    assert.ok(!JSON.stringify(events[0]).includes('example.com'));
    assert.ok(!JSON.stringify(events[0]).includes('Pedido'));
  });

  it('creates a cobv with its rules, and refuses bad input with details.field', async () => {
    const { account, who } = f.customer();
    const row = await createPixCharge(f.deps, who, cobInput(account.id, { kind: 'COBV', amount: '10000', dueDate: '2026-03-10', fineBps: 200, interestMonthlyBps: 100, discount: '500', txid: 'A'.repeat(26) }));
    assert.equal(row.kind, 'COBV');
    assert.equal(row.expiration, 30);
    assert.equal(row.txid, 'A'.repeat(26));
    assert.deepEqual(row.rules, { fineBps: 200, interestMonthlyBps: 100, discount: '500' });
    const bad = async (over: Record<string, unknown>, field: string) =>
      assert.rejects(createPixCharge(f.deps, who, cobInput(account.id, over)), coded('BAD_USER_INPUT', { field }));
    await bad({ txid: 'short' }, 'txid');
    await bad({ txid: 'x'.repeat(36) }, 'txid');
    await bad({ txid: `${'a'.repeat(25)}-` }, 'txid');
    await bad({ amount: '0' }, 'amount');
    await bad({ amount: '10.5' }, 'amount');
    await bad({ kind: 'COBV' }, 'dueDate');
    await bad({ dueDate: '2026-03-10' }, 'dueDate');
    await bad({ kind: 'COBV', dueDate: '2026-03-10', fineBps: -1 }, 'fineBps');
    await bad({ kind: 'COBV', dueDate: '2026-03-10', discount: '1050' }, 'discount');
    await bad({ kind: 'PIX' }, 'kind');
    await bad({ id: 'nope' }, 'id');
    await bad({ key: 'other@example.com' }, 'key');
    const keyless = f.customer({ key: null });
    await assert.rejects(createPixCharge(f.deps, keyless.who, cobInput(keyless.account.id)), coded('BAD_USER_INPUT', { field: 'key', reason: 'NO_ACTIVE_KEY' }));
    const frozen = f.customer({ status: 'FROZEN' });
    await assert.rejects(createPixCharge(f.deps, frozen.who, cobInput(frozen.account.id)), coded('ACCOUNT_FROZEN'));
  });

  it('a txid another charge holds is CONFLICT DUPLICATE_TXID and writes nothing', async () => {
    const { account, who } = f.customer();
    const txid = 'Dup'.padEnd(30, '7');
    await createPixCharge(f.deps, who, cobInput(account.id, { txid }));
    const second = cobInput(account.id, { txid, amount: '99' });
    await assert.rejects(createPixCharge(f.deps, who, second), coded('CONFLICT', { reason: 'DUPLICATE_TXID' }));
    assert.equal(await f.deps.charges.findById(second.id), null);
    assert.equal(await f.db.pixCharge.count({ where: { txid } }), 1);
  });

  it('replays the same id and input; another input under the id is IDEMPOTENCY_KEY_REUSED', async () => {
    const { account, who } = f.customer();
    const input = cobInput(account.id);
    const first = await createPixCharge(f.deps, who, input);
    const again = await createPixCharge(f.deps, who, { ...input });
    assert.equal(again.txid, first.txid);
    assert.equal(again.locationId, first.locationId);
    const concurrent = await Promise.all([1, 2, 3].map(() => createPixCharge(f.deps, who, { ...input })));
    assert.ok(concurrent.every((r) => r.id === first.id));
    await assert.rejects(createPixCharge(f.deps, who, { ...input, amount: '1' }), coded('IDEMPOTENCY_KEY_REUSED'));
    const withTxid = cobInput(account.id, { txid: 'Twin'.padEnd(28, '0') });
    const twins = await Promise.all([1, 2, 3, 4].map(() => createPixCharge(f.deps, who, { ...withTxid })));
    assert.ok(twins.every((r) => r.id === withTxid.id));
    assert.equal((await f.outbox('payments.pix.charge.created')).filter((e) => e.chargeId === first.id).length, 1);
  });

  it("another tenant's caller is FORBIDDEN and cannot see the charge", async () => {
    const { account, who } = f.customer();
    const intruder = f.customer();
    await assert.rejects(createPixCharge(f.deps, intruder.who, cobInput(account.id)), coded('FORBIDDEN'));
    const input = cobInput(account.id);
    const row = await createPixCharge(f.deps, who, input);
    // the same id from another tenant (on its own account): FORBIDDEN, never a replay
    await assert.rejects(createPixCharge(f.deps, intruder.who, { ...input, accountId: intruder.account.id }), coded('FORBIDDEN'));
    assert.equal(await getPixCharge(f.deps, intruder.who, row.txid), null);
    assert.equal((await getPixCharge(f.deps, who, row.txid))?.id, row.id);
    const client: Identity = { kind: 'api_client', subject: 'c1', tenantId: account.tenantId, scopes: ['payments:write'] };
    assert.equal((await getPixCharge(f.deps, client, row.txid))?.id, row.id);
    await assert.rejects(cancelPixCharge(f.deps, intruder.who, row.txid), coded('NOT_FOUND'));
    const operator: Identity = { kind: 'operator', subject: 'op', tenantId: null, scopes: [] };
    await assert.rejects(cancelPixCharge(f.deps, operator, row.txid), coded('FORBIDDEN'));
  });

  it('amountDue over time (fixed now): discount until the due date, then fine and interest', async () => {
    const { account, who } = f.customer();
    const row = await createPixCharge(f.deps, who, cobInput(account.id, { kind: 'COBV', amount: '10000', dueDate: '2026-03-10', fineBps: 200, interestMonthlyBps: 100, discount: '500' }));
    const at = (iso: string) => chargeAmountDue({ now: () => new Date(iso) }, row);
    assert.equal(at('2026-03-02T15:00:00Z'), 9500n);
    assert.equal(at('2026-03-11T02:59:59Z'), 9500n); // 23:59:59 on the due date, São Paulo
    assert.equal(at('2026-03-11T03:00:00Z'), 10203n); // fine 200 + one day's interest 3
    assert.equal(at('2026-04-09T15:00:00Z'), 10300n); // a whole month late: interest 100
  });

  it('cancels an active charge (repeat answers the same), refuses a paid one', async () => {
    const { account, who } = f.customer();
    const row = await createPixCharge(f.deps, who, cobInput(account.id));
    const removed = await cancelPixCharge(f.deps, who, row.txid);
    assert.equal(removed.status, 'REMOVIDA_PELO_USUARIO_RECEBEDOR');
    assert.equal(removed.revision, 1);
    assert.equal((await cancelPixCharge(f.deps, who, row.txid)).status, 'REMOVIDA_PELO_USUARIO_RECEBEDOR');
    assert.equal((await f.outbox('payments.pix.charge.removed')).filter((e) => e.chargeId === row.id).length, 1);
    const paid = await createPixCharge(f.deps, who, cobInput(account.id));
    await f.deps.charges.conclude(paid.txid, { orderId: randomUUID(), amount: 1050n, at: new Date() });
    await assert.rejects(cancelPixCharge(f.deps, who, paid.txid), coded('CONFLICT', { reason: 'CHARGE_NOT_ACTIVE' }));
    await assert.rejects(cancelPixCharge(f.deps, who, 'X'.repeat(30)), coded('NOT_FOUND'));
  });

  it('concludes once: the same order again is a no-op, another order is ALREADY_PAID', async () => {
    const { account, who } = f.customer();
    const row = await createPixCharge(f.deps, who, cobInput(account.id));
    const orderId = randomUUID();
    const at = new Date('2026-03-02T15:10:00Z');
    const results = await Promise.all([1, 2, 3].map(() => f.deps.charges.conclude(row.txid, { orderId, amount: 1050n, at })));
    assert.deepEqual(results.map((r) => r.result).sort(), ['CONCLUDED', 'REPLAYED', 'REPLAYED']);
    const done = await f.deps.charges.findByTxid(row.txid);
    assert.equal(done?.status, 'CONCLUIDA');
    assert.equal(done?.paidOrderId, orderId);
    assert.equal(done?.paidAmount, 1050n);
    assert.equal(done?.revision, 1);
    const other = await f.deps.charges.conclude(row.txid, { orderId: randomUUID(), amount: 1050n, at });
    assert.equal(other.result, 'ALREADY_PAID');
    assert.equal(other.charge?.paidOrderId, orderId);
    assert.equal((await f.deps.charges.conclude('N'.repeat(30), { orderId, amount: 1n, at })).result, 'NOT_FOUND');
    const events = (await f.outbox('payments.pix.charge.concluded')).filter((e) => e.chargeId === row.id);
    assert.equal(events.length, 1);
    assert.equal(events[0]!.orderId, orderId);
    const removed = await createPixCharge(f.deps, who, cobInput(account.id));
    await cancelPixCharge(f.deps, who, removed.txid);
    assert.equal((await f.deps.charges.conclude(removed.txid, { orderId, amount: 1050n, at })).result, 'NOT_ACTIVE');
  });
});
