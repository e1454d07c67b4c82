import { randomUUID } from 'node:crypto';
import type { AuditEventInput } from '@baas/audit';
import type { Identity } from '@baas/auth';
import { createPrismaClient } from '@baas/db';
import { isDomainError } from '@baas/errors';
import { createPiiVault, generatePiiKey } from '@baas/pii';
import { createTestDatabase } from '@baas/testing';
import type { CardAccount } from '../../src/clients/accounts/client';
import { PrismaClient } from '../../src/generated/prisma/client';
import { createCardSettingsStore } from '../../src/store/card-settings-store';
import { createCardStore } from '../../src/store/card-store';
import { createNetworkTokenStore } from '../../src/store/network-token-store';
import { createVaultStore } from '../../src/store/vault-store';
import type { CardDeps } from '../../src/use-cases/card-deps';

/** A DomainError with this code (and, when given, these details). */
export const refusedWith = (code: string, details: Record<string, unknown> = {}) => (error: unknown) => {
  if (!isDomainError(error) || error.code !== code) return false;
  for (const [k, v] of Object.entries(details)) if (error.details?.[k] !== v) return false;
  return true;
};

export const operator: Identity = { subject: 'ops-cards', kind: 'operator', tenantId: null, scopes: [] };

/**
 * A real cards database (migrated) behind the card use cases; the accounts subgraph is an in-test
 * map (a port to another service), the audit trail a list, the clock the test's, sandbox tenants a set.
 */
export async function createCardsFixture() {
  const database = await createTestDatabase({ domains: ['cards'] });
  const db = createPrismaClient(PrismaClient, database.url);
  const accounts = new Map<string, CardAccount>();
  const audited: AuditEventInput[] = [];
  const sandboxTenants = new Set<string>();
  const clock = { ms: Date.parse('2026-12-07T15:00:05Z') };
  const deps: CardDeps = {
    cards: createCardStore(db),
    vault: createVaultStore(db),
    settings: createCardSettingsStore(db),
    tokens: createNetworkTokenStore(db),
    // The platform's URL rules with a resolver of the test's: tenant.example is a public address, internal.example a private one.
    decisionUrlPolicy: { lookup: async (host) => [{ address: host === 'internal.example' ? '10.0.0.7' : '93.184.215.14', family: 4 }] },
    accounts: { account: async (id) => accounts.get(id) ?? null },
    pii: createPiiVault({ keys: { k1: generatePiiKey() }, activeKeyId: 'k1', blindIndexKey: generatePiiKey() }),
    cvvKey: Buffer.from('test-cvv-key-0123456789abcdef'),
    settingsOf: { bin: '99999901', tokenBin: '99999902', brand: 'SANDBOX', validityYears: 4, revealStepUpSeconds: 300, sandbox: true },
    tenantSandbox: async (tenantId) => sandboxTenants.has(tenantId),
    audit: { record: (e) => void audited.push(e) },
    now: () => new Date(clock.ms),
  };

  /** A customer with an ACTIVE BRL account (or as given), the customer's identity and its tenant's client. */
  function customer(over: Partial<CardAccount> = {}) {
    const tenantId = over.tenantId ?? randomUUID();
    const customerId = over.customerId ?? randomUUID();
    const account: CardAccount = { id: randomUUID(), tenantId, customerId, currency: 'BRL', status: 'ACTIVE', ledgerAccountId: randomUUID(), ...over };
    accounts.set(account.id, account);
    const nowSeconds = Math.floor(clock.ms / 1000);
    const who: Identity = { subject: customerId, kind: 'customer', tenantId, scopes: [] };
    const stepped: Identity = { ...who, stepUpAt: nowSeconds - 10, amr: ['hwk'] };
    const client: Identity = { subject: randomUUID(), kind: 'api_client', tenantId, scopes: ['cards:write'] };
    return { account, who, stepped, client };
  }

  const events = async (subjectPrefix = 'cards.') =>
    (await db.cardEventOutbox.findMany({ where: { subject: { startsWith: subjectPrefix } }, orderBy: { seq: 'asc' } })).map((e) => ({ subject: e.subject, payload: e.payload, data: JSON.parse(e.payload) as Record<string, unknown> }));

  return {
    db, deps, accounts, audited, sandboxTenants, clock, customer, events,
    advance: (ms: number) => { clock.ms += ms; },
    async close() {
      await db.$disconnect();
      await database.drop();
    },
  };
}

export type CardsFixture = Awaited<ReturnType<typeof createCardsFixture>>;
