import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { applicantOwner, applicationListScope, decisionReasonsFor, requireEraseDocuments, requireVisibleApplication } from '../src/permissions';
import { clientOf, customerOf, operator, service } from './kyc-fixture';

describe('kyc record policies', () => {
  const me = customerOf();
  const mine = { tenantId: me.tenantId!, customerId: me.subject };

  it('an application is visible to its customer, its tenant clients and the platform; NOT_FOUND to anyone else', () => {
    for (const who of [me, clientOf(me.tenantId!, []), operator, service]) assert.equal(requireVisibleApplication(who, mine), mine);
    for (const who of [customerOf(me.tenantId!), clientOf(randomUUID()), customerOf()]) assert.throws(() => requireVisibleApplication(who, mine), { code: 'NOT_FOUND' });
  });

  it('who applies for whom; who erases', () => {
    assert.deepEqual(applicantOwner(me, null), mine);
    assert.throws(() => applicantOwner(me, randomUUID()), { code: 'FORBIDDEN' });
    assert.deepEqual(applicantOwner(clientOf(me.tenantId!), me.subject), mine);
    assert.throws(() => applicantOwner(clientOf(me.tenantId!), null), { code: 'BAD_USER_INPUT' });
    assert.throws(() => applicantOwner(clientOf(me.tenantId!, ['customers:read']), me.subject), { code: 'FORBIDDEN' });
    assert.throws(() => applicantOwner(operator, me.subject), { code: 'FORBIDDEN' });
    requireEraseDocuments(operator, mine);
    requireEraseDocuments(me, mine);
    assert.throws(() => requireEraseDocuments(service, mine), { code: 'FORBIDDEN' });
  });

  it('listing scopes', () => {
    assert.deepEqual(applicationListScope(me, null, null), mine);
    assert.deepEqual(applicationListScope(operator, null, null), { tenantId: null, customerId: null });
    assert.throws(() => applicationListScope(clientOf(randomUUID()), null, me.tenantId), { code: 'FORBIDDEN' });
  });

  it('screening reasons are never shown to the customer or its tenant (no tipping off)', () => {
    const reasons = ['SCREENING_HIT', 'OCR_NAME_MISMATCH'];
    assert.deepEqual(decisionReasonsFor(me, reasons), ['OCR_NAME_MISMATCH']);
    assert.deepEqual(decisionReasonsFor(clientOf(me.tenantId!), reasons), ['OCR_NAME_MISMATCH']);
    assert.deepEqual(decisionReasonsFor(operator, reasons), reasons);
  });
});
