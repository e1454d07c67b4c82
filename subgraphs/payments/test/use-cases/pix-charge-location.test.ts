import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { decodeProtectedHeader, type JSONWebKeySet } from 'jose';
import { listen, routeFor, sendError, type HttpServerHandle } from '@baas/server';
import { createPixCharge } from '../../src/use-cases/create-pix-charge';
import { findChargeToPay } from '../../src/use-cases/find-charge-to-pay';
import { chargeLocationRoutes } from '../../src/workers/charge-location-routes';
import { createChargeSigner, fetchVerifiedCharge, signCharge, verifyChargeJws } from '../../src/workers/charge-signer';
import { BASE_URL, cobInput, coded, startChargeFixture, type ChargeFixture } from './pix-charge-fixture';

describe('PIX charge locations: JWS, HTTP routes, findChargeToPay', () => {
  let f: ChargeFixture;
  let http: HttpServerHandle;
  let origin = '';

  before(async () => {
    f = await startChargeFixture();
    const routes = chargeLocationRoutes({ charges: f.deps.charges, signer: f.deps.signer, locationBaseUrl: BASE_URL, now: f.deps.now! });
    // As startSubgraph's handler dispatches its routes (exact paths, then '/*' prefixes).
    http = await listen((req, res) => {
      const route = routeFor(routes, new URL(req.url ?? '/', 'http://localhost').pathname);
      return route ? route(req, res) : sendError(res, 'NOT_FOUND');
    }, { port: 0 });
    origin = `http://127.0.0.1:${http.port}`;
  });
  after(async () => {
    await http?.close();
    await f?.close();
  });

  it('signs the charge as its location serves it (ES256, kid, jku) and verifies with the JWKS', async () => {
    const { account, who } = f.customer();
    const row = await createPixCharge(f.deps, who, cobInput(account.id, { kind: 'COBV', amount: '10000', dueDate: '2026-03-10', fineBps: 200, interestMonthlyBps: 100, discount: '500', description: 'Mensalidade' }));
    const jws = await signCharge(f.deps.signer, row, new Date('2026-03-11T15:00:00Z'));
    const header = decodeProtectedHeader(jws);
    assert.equal(header.alg, 'ES256');
    assert.equal(header.jku, 'http://127.0.0.1:4104/pix/v2/jwks');
    assert.equal(header.kid, f.deps.signer.jwks().keys[0]!.kid);
    assert.equal(f.deps.signer.jwks().keys[0]!.d, undefined);
    const payload = await verifyChargeJws(jws, f.deps.signer.jwks());
    assert.equal(payload.txid, row.txid);
    assert.equal(payload.status, 'ATIVA');
    assert.equal(payload.revisao, 0);
    assert.equal(payload.chave, row.pixKey);
    assert.equal(payload.solicitacaoPagador, 'Mensalidade');
    assert.deepEqual(payload.valor, { original: '100.00', multa: '2.00', juros: '0.03', desconto: '0.00', final: '102.03' });
    assert.deepEqual(payload.calendario, { criacao: row.createdAt.toISOString(), apresentacao: '2026-03-11T15:00:00.000Z', dataDeVencimento: '2026-03-10', validadeAposVencimento: 30 });
    const [h, p, s] = jws.split('.') as [string, string, string];
    const forged = Buffer.from(JSON.stringify({ ...payload, valor: { original: '0.01' } })).toString('base64url');
    await assert.rejects(verifyChargeJws(`${h}.${forged}.${s}`, f.deps.signer.jwks()));
    const stranger = await createChargeSigner({ locationBaseUrl: BASE_URL });
    await assert.rejects(verifyChargeJws(jws, stranger.jwks()));
    assert.ok(p.length > 0);
  });

  it('a configured PKCS#8 P-256 key gives the same key id in every process; other keys are refused', async () => {
    const pem = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const [a, b] = await Promise.all([1, 2].map(() => createChargeSigner({ privateKeyPem: pem, locationBaseUrl: 'https://pix.example.com/qr/v2/cob' })));
    assert.equal(a!.jwks().keys[0]!.kid, b!.jwks().keys[0]!.kid);
    assert.equal(a!.jwksUrl, 'https://pix.example.com/pix/v2/jwks');
    assert.equal((await verifyChargeJws(await a!.sign({ txid: 'x' }), b!.jwks())).txid, 'x');
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    await assert.rejects(createChargeSigner({ privateKeyPem: rsa, locationBaseUrl: BASE_URL }));
  });

  it('serves GET <base>/<locationId> as application/jose and GET /pix/v2/jwks; 404 unknown, 405 other methods', async () => {
    const { account, who } = f.customer();
    const row = await createPixCharge(f.deps, who, cobInput(account.id));
    const res = await fetch(`${origin}/pix/v2/cob/${row.locationId}`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'application/jose');
    assert.equal(res.headers.get('cache-control'), 'no-store');
    const jwks = (await (await fetch(`${origin}/pix/v2/jwks`)).json()) as JSONWebKeySet;
    const served = await verifyChargeJws(await res.text(), jwks);
    assert.equal(served.txid, row.txid);
    assert.deepEqual(served.valor, { original: '10.50' });
    assert.equal((await fetch(`${origin}/pix/v2/cob/${randomUUID()}`)).status, 404);
    assert.equal((await fetch(`${origin}/pix/v2/cob/not-a-uuid`)).status, 404);
    assert.equal((await fetch(`${origin}/pix/v2/cob/`)).status, 404);
    assert.equal((await fetch(`${origin}/pix/v2/cob/${row.locationId}`, { method: 'POST' })).status, 405);
    await f.deps.charges.conclude(row.txid, { orderId: randomUUID(), amount: 1050n, at: new Date() });
    const after = await verifyChargeJws(await (await fetch(`${origin}/pix/v2/cob/${row.locationId}`)).text(), jwks);
    assert.equal(after.status, 'CONCLUIDA');
    assert.equal(after.revisao, 1);
  });

  it('findChargeToPay reads our location through its JWS; refuses expired, concluded, removed and foreign ones', async () => {
    const { account, who } = f.customer();
    const at = new Date('2026-03-02T15:30:00Z');
    const row = await createPixCharge(f.deps, who, cobInput(account.id, { expiration: 3600 }));
    const location = `127.0.0.1:4104/pix/v2/cob/${row.locationId}`;
    const found = await findChargeToPay(f.deps, { location }, at);
    assert.equal(found.charge.id, row.id);
    assert.equal(found.amountDue, 1050n);
    assert.equal(found.receiverAccountId, account.id);
    assert.equal(found.receiverKey, row.pixKey);
    assert.equal((await findChargeToPay(f.deps, { location: `http://${location}` }, at)).charge.id, row.id);
    assert.equal((await findChargeToPay(f.deps, { txid: row.txid }, at)).charge.id, row.id);
    await assert.rejects(findChargeToPay(f.deps, { location, txid: 'Z'.repeat(30) }, at), coded('NOT_FOUND'));
    await assert.rejects(findChargeToPay(f.deps, { location }, new Date(row.createdAt.getTime() + 3_600_000)), coded('CONFLICT', { reason: 'CHARGE_EXPIRED' }));
    await assert.rejects(findChargeToPay(f.deps, { location: `pix.other-bank.example/qr/${randomUUID()}` }, at), coded('NOT_FOUND', { reason: 'FOREIGN_LOCATION' }));
    await assert.rejects(findChargeToPay(f.deps, { location: `127.0.0.1:4104/pix/v2/cob/${randomUUID()}` }, at), coded('NOT_FOUND'));
    await assert.rejects(findChargeToPay(f.deps, { txid: 'bad' }, at), coded('NOT_FOUND'));

    await f.deps.charges.conclude(row.txid, { orderId: randomUUID(), amount: 1050n, at });
    await assert.rejects(findChargeToPay(f.deps, { location }, at), coded('CONFLICT', { reason: 'CHARGE_NOT_ACTIVE' }));

    const cobv = await createPixCharge(f.deps, who, cobInput(account.id, { kind: 'COBV', amount: '10000', dueDate: '2026-03-10', fineBps: 200, interestMonthlyBps: 100, expiration: 5 }));
    assert.equal((await findChargeToPay(f.deps, { txid: cobv.txid }, new Date('2026-03-11T15:00:00Z'))).amountDue, 10203n);
    assert.equal((await findChargeToPay(f.deps, { txid: cobv.txid }, new Date('2026-03-16T02:59:59Z'))).amountDue, 10217n);
    await assert.rejects(findChargeToPay(f.deps, { txid: cobv.txid }, new Date('2026-03-16T03:00:00Z')), coded('CONFLICT', { reason: 'CHARGE_EXPIRED' }));
    await f.deps.charges.remove(cobv.txid, 'REMOVIDA_PELO_PSP');
    await assert.rejects(findChargeToPay(f.deps, { txid: cobv.txid }, new Date('2026-03-11T15:00:00Z')), coded('CONFLICT', { reason: 'CHARGE_NOT_ACTIVE' }));
  });

  it('fetchVerifiedCharge reads another PSP\'s location over HTTP and checks its signature and jku origin', async () => {
    const { account, who } = f.customer();
    const row = await createPixCharge(f.deps, who, cobInput(account.id));
    let routes: ReturnType<typeof chargeLocationRoutes> = {};
    const other = await listen((req, res) => {
      const route = routeFor(routes, new URL(req.url ?? '/', 'http://localhost').pathname);
      return route ? route(req, res) : sendError(res, 'NOT_FOUND');
    }, { port: 0 });
    try {
      const base = `http://127.0.0.1:${other.port}/pix/v2/cob`;
      const signer = await createChargeSigner({ locationBaseUrl: base });
      routes = chargeLocationRoutes({ charges: f.deps.charges, signer, locationBaseUrl: base });
      const location = `127.0.0.1:${other.port}/pix/v2/cob/${row.locationId}`;
      const payload = await fetchVerifiedCharge(`http://${location}`, { allowHttp: true });
      assert.equal(payload.txid, row.txid);
      await assert.rejects(fetchVerifiedCharge(`http://${location}`), /https/);
      await assert.rejects(fetchVerifiedCharge(`http://127.0.0.1:${other.port}/pix/v2/cob/${randomUUID()}`, { allowHttp: true }), /404/);
      // Served by a location whose jku names another origin (our main server's JWKS URL): refused.
      routes = chargeLocationRoutes({ charges: f.deps.charges, signer: f.deps.signer, locationBaseUrl: base });
      await assert.rejects(fetchVerifiedCharge(`http://${location}`, { allowHttp: true }), /another origin/);
      // A server that never answers: the 2 s timeout (shortened here) ends it.
      routes = { '/pix/v2/cob/*': () => undefined };
      await assert.rejects(fetchVerifiedCharge(`http://${location}`, { allowHttp: true, timeoutMs: 200 }));
    } finally {
      await other.close();
    }
  });
});
