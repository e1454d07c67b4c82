import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import type { Identity } from '@baas/auth';
import { createPrismaClient, uuidv7 } from '@baas/db';
import { DomainError } from '@baas/errors';
import { createTestDatabase } from '@baas/testing';
import { createKycClient, kycUnavailable } from '../src/clients/kyc/client';
import { assertKycLevel, kycRequired, MAX_REQUIRED_KYC_LEVEL, parseRequiredKycLevel } from '../src/domain/kyc-gate';
import { PrismaClient } from '../src/generated/prisma/client';
import { createAccountStore } from '../src/store/account-store';
import { createTenantSettingsStore } from '../src/store/tenant-settings-store';
import { openAccount, type OpenAccountDeps } from '../src/use-cases/open-account';
import { setTenantAccountSettings } from '../src/use-cases/set-tenant-account-settings';

const coded = (code: string, reason?: string) => (error: unknown) =>
  error instanceof DomainError && error.code === code && (reason === undefined || (error.details as { reason?: string } | undefined)?.reason === reason);

describe('kyc gate: the pure rule', () => {
  it('a stored requirement reads as a level in range, anything else as not required', () => {
    assert.equal(parseRequiredKycLevel(1), 1);
    assert.equal(parseRequiredKycLevel(MAX_REQUIRED_KYC_LEVEL), MAX_REQUIRED_KYC_LEVEL);
    for (const v of [null, undefined, -1, 1.5, MAX_REQUIRED_KYC_LEVEL + 1, '1']) assert.equal(parseRequiredKycLevel(v), 0);
    assert.equal(kycRequired(0), false);
    assert.equal(kycRequired(1), true);
  });

  it('refuses exactly the customers below the required level, FORBIDDEN KYC_REQUIRED', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: MAX_REQUIRED_KYC_LEVEL }), fc.integer({ min: 0, max: 12 }), (required, level) => {
        const refused = (() => {
          try {
            assertKycLevel(required, level);
            return false;
          } catch (error) {
            assert.ok(coded('FORBIDDEN', 'KYC_REQUIRED')(error));
            assert.deepEqual((error as DomainError).details, { reason: 'KYC_REQUIRED', requiredLevel: required, level });
            return true;
          }
        })();
        assert.equal(refused, required > 0 && level < required);
      }),
    );
  });
});

describe('kyc client (kyc internal customerKycLevel)', () => {
  let server: Server;
  let answer: unknown = {};
  before(async () => {
    server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(answer));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const url = () => `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  const tenantId = uuidv7();
  const customerId = uuidv7();

  it('answers the level of the customer in the tenant; 0 when kyc knows the customer under another tenant', async () => {
    const client = createKycClient({ url: url(), secret: 'test-secret' });
    answer = { data: { customerKycLevel: { customerId, tenantId, level: 1, status: 'APPROVED' } } };
    assert.equal(await client.customerLevel(tenantId, customerId), 1);
    answer = { data: { customerKycLevel: { customerId, tenantId: null, level: 0, status: 'NONE' } } };
    assert.equal(await client.customerLevel(tenantId, customerId), 0);
    answer = { data: { customerKycLevel: { customerId, tenantId: uuidv7(), level: 1, status: 'APPROVED' } } };
    assert.equal(await client.customerLevel(tenantId, customerId), 0);
  });

  it('an error answered, or kyc unreachable, is SUBGRAPH_UNAVAILABLE', async () => {
    answer = { errors: [{ message: 'no', extensions: { code: 'FORBIDDEN' } }] };
    await assert.rejects(createKycClient({ url: url(), secret: 'test-secret' }).customerLevel(tenantId, customerId), coded('SUBGRAPH_UNAVAILABLE'));
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    await assert.rejects(createKycClient({ url: `http://127.0.0.1:${port}/graphql`, secret: 'test-secret', timeoutMs: 500 }).customerLevel(tenantId, customerId), coded('SUBGRAPH_UNAVAILABLE'));
  });
});

describe('kyc gate: the tenant setting and openAccount, on PostgreSQL', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let db: PrismaClient;
  let settings: ReturnType<typeof createTenantSettingsStore>;
  const operator: Identity = { subject: 'ops-kyc-gate', kind: 'operator', tenantId: null, scopes: [] };
  const directory = { requireKnownTenant: async (tenantId: string | null | undefined) => ({ tenantId: tenantId!, status: 'ACTIVE', sandbox: true }) };

  before(async () => {
    database = await createTestDatabase();
    db = createPrismaClient(PrismaClient, database.url);
    settings = createTenantSettingsStore(db, { DEFAULT_CURRENCIES: 'BRL' });
  });
  after(async () => {
    await db?.$disconnect();
    await database?.drop();
  });

  it('requireKycLevel: 0 for a tenant never set; set, kept when absent, turned off with 0; out of range refused', async () => {
    const tenantId = uuidv7();
    assert.equal((await settings.find(tenantId)).requireKycLevel, 0);
    const set = (input: Record<string, unknown>) => setTenantAccountSettings({ tenantSettings: settings, directory }, operator, { tenantId, currencies: ['BRL'], ...input });
    assert.equal((await set({ requireKycLevel: 1 })).requireKycLevel, 1);
    assert.equal((await set({ riskFailMode: 'CLOSED' })).requireKycLevel, 1, 'absent: kept');
    assert.equal((await settings.find(tenantId)).requireKycLevel, 1);
    assert.equal((await set({ requireKycLevel: null })).requireKycLevel, 1, 'null: kept');
    assert.equal((await set({ requireKycLevel: 0 })).requireKycLevel, 0);
    for (const bad of [-1, MAX_REQUIRED_KYC_LEVEL + 1, 1.5]) {
      await assert.rejects(set({ requireKycLevel: bad }), (e: unknown) => coded('BAD_USER_INPUT')(e) && (e as DomainError).details?.field === 'requireKycLevel');
    }
    assert.equal((await settings.find(tenantId)).requireKycLevel, 0);
    // The column says the same as the use case (CHECK).
    await assert.rejects(db.$executeRaw`update accounts.tenant_settings set require_kyc_level = 10 where tenant_id = ${tenantId}::uuid`);
  });

  it('only platform operators change it (as every tenant setting)', async () => {
    const tenantId = uuidv7();
    const client: Identity = { subject: uuidv7(), kind: 'api_client', tenantId, scopes: ['accounts:write', 'tenant:write'] };
    await assert.rejects(setTenantAccountSettings({ tenantSettings: settings, directory }, client, { tenantId, currencies: ['BRL'], requireKycLevel: 1 }), coded('FORBIDDEN'));
    assert.equal((await settings.find(tenantId)).requireKycLevel, 0);
  });

  describe('openAccount', () => {
    const tenantId = uuidv7();
    let levels: Map<string, number | 'down'>;
    let asked: string[];
    const deps = (): OpenAccountDeps => ({
      accounts: createAccountStore(db),
      tenantSettings: settings,
      ledger: { createAccounts: async (rows) => rows.map((r) => ({ id: r.id, status: 'CREATED' as const, error: null, journalSeq: null })) },
      directory: { requireActiveCustomer: async () => ({ customerId: '', tenantId, customerStatus: 'ACTIVE', tenantStatus: 'ACTIVE', tenantSandbox: true }) as never },
      kyc: {
        customerLevel: async (t, c) => {
          asked.push(c);
          assert.equal(t, tenantId);
          const level = levels.get(c) ?? 0;
          if (level === 'down') throw kycUnavailable();
          return level;
        },
      },
      config: { BRANCH: '0001' },
    });
    const customer = (id: string): Identity => ({ subject: id, kind: 'customer', tenantId, scopes: ['accounts:write'] });
    const open = (customerId: string, id = uuidv7()) => openAccount(deps(), customer(customerId), { id, currency: 'BRL' });
    const stored = (id: string) => createAccountStore(db).findById(id);
    const requireLevel = (level: number) => settings.save({ tenantId, currencies: ['BRL'], limits: {}, requireKycLevel: level });

    before(() => {
      levels = new Map();
      asked = [];
    });

    it('not required: opens without asking kyc', async () => {
      await requireLevel(0);
      const c = uuidv7();
      const { status } = await open(c);
      assert.equal(status, 'CREATED');
      assert.deepEqual(asked, []);
    });

    it('required: a customer below the level is FORBIDDEN KYC_REQUIRED and nothing is written', async () => {
      await requireLevel(1);
      const c = uuidv7();
      const id = uuidv7();
      await assert.rejects(open(c, id), coded('FORBIDDEN', 'KYC_REQUIRED'));
      assert.equal(await stored(id), null);
      assert.deepEqual(asked, [c]);
    });

    it('required: kyc unreachable refuses (fail closed, SUBGRAPH_UNAVAILABLE) and nothing is written', async () => {
      await requireLevel(1);
      const c = uuidv7();
      levels.set(c, 'down');
      const id = uuidv7();
      await assert.rejects(open(c, id), coded('SUBGRAPH_UNAVAILABLE'));
      assert.equal(await stored(id), null);
    });

    it('required: a customer at the level opens; a repeat replays without asking kyc, even after the requirement rose', async () => {
      await requireLevel(1);
      const c = uuidv7();
      levels.set(c, 1);
      const id = uuidv7();
      const first = await open(c, id);
      assert.equal(first.status, 'CREATED');
      assert.equal(first.account.customerId, c);
      assert.ok(first.account.ledgerAccountId);
      await requireLevel(2);
      asked = [];
      const again = await open(c, id);
      assert.equal(again.status, 'REPLAYED');
      assert.deepEqual(asked, []);
      // A new account for the same customer is now below the tenant's level.
      await assert.rejects(open(c), coded('FORBIDDEN', 'KYC_REQUIRED'));
    });
  });
});
