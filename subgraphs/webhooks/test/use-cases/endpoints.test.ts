import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Identity } from '@baas/auth';
import { createPrismaClient, uuidv7 } from '@baas/db';
import { createPiiVault, generatePiiKey, type PiiVault } from '@baas/pii';
import { createTestDatabase, type TestDatabase } from '@baas/testing';
import { activeSecrets, signWebhook, verifyWebhook, type UrlPolicy } from '@baas/webhooks';
import { secretContext } from '../../src/domain/endpoint-rules';
import { PrismaClient } from '../../src/generated/prisma/client';
import { createWebhookEndpointStore, type WebhookEndpointStore } from '../../src/store/webhook-endpoint-store';
import { createWebhookEndpoint, type EndpointWriteDeps } from '../../src/use-cases/create-webhook-endpoint';
import { deleteWebhookEndpoint } from '../../src/use-cases/delete-webhook-endpoint';
import { getWebhookEndpoint } from '../../src/use-cases/get-webhook-endpoint';
import { listWebhookEndpoints } from '../../src/use-cases/list-webhook-endpoints';
import { rotateWebhookSecret } from '../../src/use-cases/rotate-webhook-secret';
import { updateWebhookEndpoint } from '../../src/use-cases/update-webhook-endpoint';

/** Names resolve without DNS: hooks.example.com is public, inside.example.com private. */
const lookup: UrlPolicy['lookup'] = async (host) => {
  if (host === 'hooks.example.com') return [{ address: '93.184.216.34', family: 4 }];
  if (host === 'inside.example.com') return [{ address: '10.1.2.3', family: 4 }];
  throw new Error('ENOTFOUND');
};

const client = (tenantId: string, scopes = ['webhooks:write']): Identity => ({ subject: uuidv7(), kind: 'api_client', tenantId, scopes });
const operator: Identity = { subject: 'ops-webhooks', kind: 'operator', tenantId: null, scopes: [] };

describe('webhook endpoint use cases (real PostgreSQL)', () => {
  let db: TestDatabase;
  let prisma: PrismaClient;
  let store: WebhookEndpointStore;
  let vault: PiiVault;
  let deps: EndpointWriteDeps;
  let clock = new Date('2026-12-05T12:00:00.000Z');
  const tenantA = uuidv7();
  const tenantB = uuidv7();
  const a = client(tenantA);
  const b = client(tenantB);
  const count = () => prisma.webhookEndpoint.count();

  before(async () => {
    db = await createTestDatabase();
    prisma = createPrismaClient(PrismaClient, db.url);
    store = createWebhookEndpointStore(prisma);
    vault = createPiiVault({ keys: { t1: generatePiiKey() }, activeKeyId: 't1', blindIndexKey: generatePiiKey() });
    deps = { endpoints: store, sealer: vault, urlPolicy: { lookup }, now: () => clock };
  });
  after(async () => {
    await prisma?.$disconnect();
    await db?.drop();
  });

  const create = (who: Identity, input: Partial<Parameters<typeof createWebhookEndpoint>[2]> = {}) =>
    createWebhookEndpoint(deps, who, { id: uuidv7(), url: 'https://hooks.example.com/baas', eventTypes: ['payments.order.*'], ...input });

  it('creates an endpoint and shows a whsec_ secret once, stored only sealed; a replay answers secret null', async () => {
    const id = uuidv7();
    const made = await create(a, { id, description: ' orders ' });
    assert.match(made.secret!, /^whsec_[A-Za-z0-9+/=]{40,}$/);
    assert.equal(made.row.tenantId, tenantA);
    assert.equal(made.row.url, 'https://hooks.example.com/baas');
    assert.equal(made.row.description, 'orders');
    assert.equal(made.row.secrets.length, 1);
    const stored = made.row.secrets[0]!;
    assert.ok(!stored.sealed.includes(made.secret!.slice(6)), 'the secret is stored sealed');
    assert.equal(vault.decrypt(stored.sealed, secretContext(tenantA, id)), made.secret);
    assert.equal(stored.hint, `${made.secret!.slice(0, 10)}…`);
    const again = await create(a, { id, description: ' orders ' });
    assert.equal(again.secret, null);
    assert.equal(again.row.id, id);
    await assert.rejects(create(a, { id, url: 'https://hooks.example.com/other' }), { code: 'IDEMPOTENCY_KEY_REUSED' });
    await assert.rejects(create(b, { id }), { code: 'FORBIDDEN' });
  });

  it('refuses bad URLs and event types with coded errors, writing nothing', async () => {
    const before = await count();
    const refusal = async (input: Parameters<typeof create>[1], policy: UrlPolicy | undefined, field: string, reason: string) => {
      const d = policy ? { ...deps, urlPolicy: policy } : deps;
      await assert.rejects(createWebhookEndpoint(d, a, { id: uuidv7(), url: 'https://hooks.example.com/x', eventTypes: ['>'], ...input }), (e: { code: string; details: { field: string; reason: string } }) => {
        assert.equal(e.code, 'BAD_USER_INPUT');
        assert.deepEqual([e.details.field, e.details.reason], [field, reason]);
        return true;
      });
    };
    await refusal({ url: 'not a url' }, undefined, 'url', 'MALFORMED_URL');
    await refusal({ url: 'http://hooks.example.com/x' }, undefined, 'url', 'INSECURE_SCHEME');
    await refusal({ url: 'https://inside.example.com/x' }, undefined, 'url', 'PRIVATE_ADDRESS');
    await refusal({ url: 'https://127.0.0.1/x' }, undefined, 'url', 'PRIVATE_ADDRESS');
    // Insecure URLs allowed (development): http and loopback pass, private addresses never do.
    await refusal({ url: 'http://10.0.0.1/hook' }, { lookup, allowHttp: true, allowLoopback: true }, 'url', 'PRIVATE_ADDRESS');
    await refusal({ url: 'http://169.254.169.254/latest' }, { lookup, allowHttp: true, allowLoopback: true }, 'url', 'PRIVATE_ADDRESS');
    await refusal({ url: 'ftp://hooks.example.com/x' }, undefined, 'url', 'UNSUPPORTED_SCHEME');
    await refusal({ eventTypes: ['payments.order.exploded'] }, undefined, 'eventTypes', 'UNKNOWN_EVENT_TYPE');
    await refusal({ eventTypes: ['payments..order'] }, undefined, 'eventTypes', 'MALFORMED_EVENT_PATTERN');
    await refusal({ eventTypes: ['identity.events.customer.identifiers'] }, undefined, 'eventTypes', 'UNKNOWN_EVENT_TYPE');
    await refusal({ eventTypes: [] }, undefined, 'eventTypes', 'NO_MATCHING_EVENT_TYPE');
    await assert.rejects(create(a, { id: 'nope' }), { code: 'BAD_USER_INPUT' });
    assert.equal(await count(), before);
    const local = await createWebhookEndpoint({ ...deps, urlPolicy: { lookup, allowHttp: true, allowLoopback: true } }, a, { id: uuidv7(), url: 'http://127.0.0.1:8080/hook', eventTypes: ['webhook.ping'] });
    assert.equal(local.row.url, 'http://127.0.0.1:8080/hook');
  });

  it('only a tenant client with webhooks:write writes; reads are its own tenant, operators any; other ids FORBIDDEN', async () => {
    await assert.rejects(create(client(tenantA, ['webhooks:read'])), { code: 'FORBIDDEN' });
    await assert.rejects(create(operator), { code: 'FORBIDDEN' });
    await assert.rejects(create(null as unknown as Identity), { code: 'UNAUTHENTICATED' });
    const { row } = await create(a);
    const loader = { endpoints: { load: (id: string) => store.findById(id) } };
    assert.equal((await getWebhookEndpoint(loader, client(tenantA, ['webhooks:read']), row.id))?.id, row.id);
    assert.equal((await getWebhookEndpoint(loader, operator, row.id))?.id, row.id);
    assert.equal(await getWebhookEndpoint(loader, operator, uuidv7()), null);
    await assert.rejects(getWebhookEndpoint(loader, b, row.id), { code: 'FORBIDDEN' });
    await assert.rejects(getWebhookEndpoint(loader, b, uuidv7()), { code: 'FORBIDDEN' });
    await assert.rejects(getWebhookEndpoint(loader, client(tenantA, ['accounts:read']), row.id), { code: 'FORBIDDEN' });
    await assert.rejects(updateWebhookEndpoint(deps, b, row.id, { enabled: false }), { code: 'FORBIDDEN' });
    await assert.rejects(rotateWebhookSecret(deps, b, row.id), { code: 'FORBIDDEN' });
    await assert.rejects(deleteWebhookEndpoint(deps, b, row.id), { code: 'FORBIDDEN' });
    await assert.rejects(listWebhookEndpoints(deps, b, { tenantId: tenantA }), { code: 'FORBIDDEN' });
    assert.equal((await store.findById(row.id))!.enabled, true);
  });

  it('updates what is given, checked as on creation', async () => {
    const { row } = await create(a);
    const changed = await updateWebhookEndpoint(deps, a, row.id, { eventTypes: ['ledger.>', 'webhook.ping'], enabled: false, description: 'ledger' });
    assert.deepEqual([changed.eventTypes, changed.enabled, changed.description, changed.url], [['ledger.>', 'webhook.ping'], false, 'ledger', row.url]);
    await assert.rejects(updateWebhookEndpoint(deps, a, row.id, { url: 'https://inside.example.com/' }), { code: 'BAD_USER_INPUT' });
    await assert.rejects(updateWebhookEndpoint(deps, a, row.id, { eventTypes: ['nope.nope'] }), { code: 'BAD_USER_INPUT' });
    assert.equal((await store.findById(row.id))!.url, row.url);
  });

  it('rotates: the new secret shown once, the old one signing until the overlap ends, then not', async () => {
    const { row, secret: first } = await create(a);
    clock = new Date(clock.getTime() + 60_000);
    const rotated = await rotateWebhookSecret(deps, a, row.id, 3600);
    assert.match(rotated.secret, /^whsec_/);
    assert.notEqual(rotated.secret, first);
    assert.equal(rotated.previousSecretsExpireAt?.getTime(), clock.getTime() + 3_600_000);
    const sealed = rotated.row.secrets.map((s) => ({ secret: vault.decrypt(s.sealed, secretContext(tenantA, row.id)), createdAt: s.createdAt, expiresAt: s.expiresAt }));
    const during = activeSecrets(sealed, new Date(clock.getTime() + 1000));
    assert.deepEqual(during, [rotated.secret, first]);
    // A delivery signed during the overlap verifies with either secret; after it, only the new one signs.
    const body = '{"type":"webhook.ping"}';
    const headers = signWebhook(during, { id: 'evt_1', timestamp: new Date(), body });
    for (const s of [first!, rotated.secret]) assert.equal(verifyWebhook([s], body, headers).ok, true);
    assert.deepEqual(activeSecrets(sealed, new Date(clock.getTime() + 3_600_001)), [rotated.secret]);
    // 0 retires at once; the expired ones are dropped on the next rotation.
    const again = await rotateWebhookSecret(deps, a, row.id, 0);
    assert.equal(again.row.secrets.filter((s) => s.expiresAt === null || s.expiresAt > clock).length, 1);
    await assert.rejects(rotateWebhookSecret(deps, a, row.id, 8 * 24 * 3600), { code: 'BAD_USER_INPUT' });
  });

  it('deletes: gone from reads and lists, secrets dropped, repeating it harmless, its id not reusable', async () => {
    const id = uuidv7();
    await create(a, { id });
    const gone = await deleteWebhookEndpoint(deps, a, id);
    assert.equal(gone.id, id);
    assert.deepEqual(await deleteWebhookEndpoint(deps, a, id), gone);
    assert.equal((await store.findById(id))!.secrets.length, 0);
    await assert.rejects(getWebhookEndpoint({ endpoints: { load: (x: string) => store.findById(x) } }, a, id), { code: 'FORBIDDEN' });
    await assert.rejects(updateWebhookEndpoint(deps, a, id, { enabled: true }), { code: 'FORBIDDEN' });
    await assert.rejects(rotateWebhookSecret(deps, a, id), { code: 'FORBIDDEN' });
    await assert.rejects(create(a, { id }), { code: 'CONFLICT' });
    const page = await listWebhookEndpoints(deps, a, { first: 100 });
    assert.ok(!page.items.some((e) => e.id === id));
  });

  it('lists newest first in pages; a client sees only its tenant, an operator names one', async () => {
    const tenant = uuidv7();
    const c = client(tenant);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      clock = new Date(clock.getTime() + 1000);
      ids.push((await create(c)).row.id);
    }
    await create(b);
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const page: Awaited<ReturnType<typeof listWebhookEndpoints>> = await listWebhookEndpoints(deps, c, { first: 2, after });
      seen.push(...page.items.map((e) => e.id));
      if (!page.hasNextPage) break;
      after = page.endCursor;
    }
    assert.deepEqual(seen, [...ids].reverse());
    const ops = await listWebhookEndpoints(deps, operator, { tenantId: tenant, first: 10 });
    assert.equal(ops.items.length, 5);
    await assert.rejects(listWebhookEndpoints(deps, c, { first: 101 }), { code: 'BAD_USER_INPUT' });
    await assert.rejects(listWebhookEndpoints(deps, c, { after: 'garbage' }), { code: 'BAD_USER_INPUT' });
  });
});
