import type { Identity } from '@baas/auth';
import { demand } from '@baas/authz';
import { normalizeEmail, normalizePhoneE164, parseTaxId } from '@baas/br-documents';
import { DomainError, badInput, forbidden } from '@baas/errors';
import { createOrReplay, isUniqueViolation, legacyRequestHash, requestFingerprint } from '@baas/idempotency';
import { isUuid } from '@baas/server';
import { piiContext } from '../domain/pii-contexts';
import { administeredTenant, mayAdminister, mustBeActiveFor } from '../permissions';
import type { CustomerRow } from '../store/customer-store';
import { contactIdentifiers, CUSTOMER_IDENTIFIERS_SUBJECT, type CustomerIdentifiersEvent } from '../workers/domain-event-stream';
import type { IdentityDeps } from './deps';
import { requireTenant } from './require-tenant';

export type CreateCustomerInput = {
  id: string;
  tenantId?: string | null;
  kind: 'PERSON' | 'BUSINESS';
  displayName: string;
  taxId: string;
  email?: string | null;
  phone?: string | null;
};

/**
 * Creates a customer of a tenant (an operator, or the tenant's client with customers:write),
 * idempotently by id. The tenant must exist (NOT_FOUND, nothing written) and, for its own client, be
 * ACTIVE. The CPF (people) or CNPJ (businesses, the alphanumeric format included) is validated by its
 * check digits; documents, e-mail and phone are stored only sealed (AES-256-GCM) with blind indexes
 * for uniqueness and look-ups.
 */
export async function createCustomer(
  deps: Pick<IdentityDeps, 'stores' | 'vault' | 'loaders'>,
  identity: Identity | null,
  input: CreateCustomerInput,
): Promise<{ customer: CustomerRow; status: 'CREATED' | 'REPLAYED' }> {
  if (!identity) throw forbidden();
  const who = identity;
  const named = administeredTenant(who, input.tenantId);
  if (named == null) throw badInput('tenantId is required.', { field: 'tenantId' });
  if (!isUuid(input.id)) throw badInput('id must be a UUID.', { field: 'id' });
  demand(mayAdminister(who, named, 'customers:write'));
  // Unknown or malformed: NOT_FOUND, nothing written; a suspended tenant's client creates nothing.
  const t = (await requireTenant(deps, named, { active: mustBeActiveFor(who) })).id;
  const id = input.id.toLowerCase();

  const taxId = parseTaxId(input.taxId);
  if (!taxId) throw badInput('taxId is not a valid CPF or CNPJ.', { field: 'taxId' });
  if ((input.kind === 'PERSON') !== (taxId.kind === 'CPF')) {
    throw badInput(`A ${input.kind === 'PERSON' ? 'person needs a CPF' : 'business needs a CNPJ'}.`, { field: 'taxId' });
  }
  const displayName = input.displayName.trim();
  if (!displayName || displayName.length > 120) throw badInput('displayName must be 1 to 120 characters.', { field: 'displayName' });
  const email = input.email ? normalizeEmail(input.email) : null;
  if (input.email && !email) throw badInput('email is not a valid address.', { field: 'email' });
  const phone = input.phone ? normalizePhoneE164(input.phone) : null;
  if (input.phone && !phone) throw badInput('phone is not a valid E.164 number.', { field: 'phone' });

  const { vault, stores } = deps;
  const taxIdIndex = vault.blindIndex(taxId.value, piiContext('taxId', t));
  const emailIndex = email ? vault.blindIndex(email, piiContext('email', t)) : null;
  const phoneIndex = phone ? vault.blindIndex(phone, piiContext('phone', t)) : null;
  // Over the blind indexes, not the clear documents: an unkeyed hash of a CPF is reversible by trying them all.
  const hash = requestFingerprint('customer/v1', { tenantId: t, kind: input.kind, displayName, taxIdIndex, emailIndex, phoneIndex });
  const taxIdTaken = async () => {
    if (await stores.customers.existsWithTaxId(t, taxIdIndex)) {
      throw new DomainError('CONFLICT', 'A customer with this CPF/CNPJ already exists in this tenant.', { field: 'taxId' });
    }
  };
  try {
    const { row, status } = await createOrReplay({
      hash,
      // Rows written before @baas/idempotency.
      acceptedHashes: [legacyRequestHash([t, input.kind, displayName, taxId.value, email, phone])],
      storedHash: (row: CustomerRow) => row.requestHash,
      scope: (row) => row.tenantId === t,
      find: () => stores.customers.find(id),
      insert: async () => {
        await taxIdTaken();
        // FOR SHARE on the tenant: a concurrent switch to live (FOR UPDATE) sees this customer or waits for it.
        return stores.transaction(async (tx) => {
          await tx.tenants.lockForShare(t);
          const created = await tx.customers.insert({
            id,
            tenantId: t,
            kind: input.kind,
            displayName,
            taxIdKind: taxId.kind,
            taxIdSealed: vault.encrypt(taxId.value, piiContext('taxId', t)),
            taxIdIndex,
            emailSealed: email ? vault.encrypt(email, piiContext('email', t)) : null,
            emailIndex,
            phoneSealed: phone ? vault.encrypt(phone, piiContext('phone', t)) : null,
            phoneIndex,
            requestHash: hash,
          });
          // Last (the outbox's trigger serialises writers from here): blind indexes only, never the clear values.
          const identifiers = contactIdentifiers(created);
          if (identifiers.length > 0) await tx.events.append(CUSTOMER_IDENTIFIERS_SUBJECT, { tenantId: t, customerId: id, identifiers, at: created.createdAt.toISOString() } satisfies CustomerIdentifiersEvent);
          return created;
        });
      },
    });
    return { customer: row, status };
  } catch (error) {
    // Lost a race for the same document under another id.
    if (isUniqueViolation(error)) await taxIdTaken();
    throw error;
  }
}
