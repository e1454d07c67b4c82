import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { KycApplicationRow } from '../../src/store/application-store';
import { getKycApplication } from '../../src/use-cases/get-kyc-application';
import { clientOf, customerOf, operator, service } from '../kyc-fixture';

/** The read rule without a store: who sees an application, and that nothing tells whether another's exists. */
describe('getKycApplication', () => {
  const owner = customerOf();
  const app = { id: 'app-00000001', tenantId: owner.tenantId!, customerId: owner.subject } as KycApplicationRow;
  const reads: string[] = [];
  const deps = { applications: { load: async (id: string) => (reads.push(id), id === app.id ? app : null) } };

  it('its customer, its tenant clients and the platform read it; the platform gets null for an absent one', async () => {
    for (const who of [owner, clientOf(owner.tenantId!, []), operator, service]) assert.equal(await getKycApplication(deps, who, app.id), app);
    assert.equal(await getKycApplication(deps, operator, 'app-absent1'), null);
  });

  it('anyone else: FORBIDDEN whether or not it exists; anonymous UNAUTHENTICATED; a malformed id is never read', async () => {
    for (const who of [customerOf(owner.tenantId!), clientOf(randomUUID())]) {
      await assert.rejects(getKycApplication(deps, who, app.id), { code: 'FORBIDDEN' });
      await assert.rejects(getKycApplication(deps, who, 'app-absent1'), { code: 'FORBIDDEN' });
    }
    await assert.rejects(getKycApplication(deps, null, app.id), { code: 'UNAUTHENTICATED' });
    reads.length = 0;
    assert.equal(await getKycApplication(deps, operator, '../x'), null);
    assert.deepEqual(reads, []);
  });
});
