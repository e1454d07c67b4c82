import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Identity } from '@baas/auth';
import { actingTenant, demand, isCustomerSelf, isPlatform, managesTenant, mayRead } from '../src/index';

const operator: Identity = { subject: 'op', kind: 'operator', tenantId: null, scopes: [] };
const service: Identity = { subject: 'accounts', kind: 'service', tenantId: null, scopes: [] };
const client: Identity = { subject: 'cli', kind: 'api_client', tenantId: 't1', scopes: ['accounts:write'] };
const readOnlyClient: Identity = { subject: 'cli2', kind: 'api_client', tenantId: 't1', scopes: [] };
const alice: Identity = { subject: 'c1', kind: 'customer', tenantId: 't1', scopes: [] };

test('managesTenant: operators, or a client of that tenant with the scope; never a customer or a service', () => {
  assert.equal(managesTenant(operator, 't1', 'accounts:write'), true);
  assert.equal(managesTenant(client, 't1', 'accounts:write'), true);
  assert.equal(managesTenant(client, 't2', 'accounts:write'), false);
  assert.equal(managesTenant(readOnlyClient, 't1', 'accounts:write'), false);
  assert.equal(managesTenant(alice, 't1', 'accounts:write'), false);
  assert.equal(managesTenant(service, 't1', 'accounts:write'), false);
});

test('mayRead and isCustomerSelf: a customer reads only their own records, in their tenant', () => {
  assert.equal(mayRead(alice, { tenantId: 't1', customerId: 'c1' }), true);
  assert.equal(mayRead(alice, { tenantId: 't1', customerId: 'c2' }), false);
  assert.equal(mayRead(alice, { tenantId: 't2', customerId: 'c1' }), false);
  assert.equal(isCustomerSelf(alice, { tenantId: 't1' }), false);
  assert.equal(mayRead(client, { tenantId: 't1' }), true);
  assert.equal(mayRead(client, { tenantId: 't2' }), false);
  assert.equal(isPlatform(operator) && isPlatform(service) && !isPlatform(client), true);
});

test('actingTenant: operators name any tenant; others act in their own and may not name another', () => {
  assert.equal(actingTenant(operator, 't9'), 't9');
  assert.equal(actingTenant(operator, undefined), null);
  assert.equal(actingTenant(client, undefined), 't1');
  assert.equal(actingTenant(client, 'T1'), 't1');
  assert.throws(() => actingTenant(client, 't2'), (e: unknown) => (e as { code?: string }).code === 'FORBIDDEN');
  assert.throws(() => demand(false), (e: unknown) => (e as { code?: string }).code === 'FORBIDDEN');
  demand(true);
});
