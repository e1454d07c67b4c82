import { createHash } from 'node:crypto';
import { normalizeEmail, normalizePhoneE164, parseTaxId } from '@baas/br-documents';
import { DomainError, badInput } from '@baas/errors';
import type { PiiVault } from '@baas/pii';
import type { PrismaClient } from '../generated/prisma/client';

export type CreateCustomerInput = {
  id: string;
  tenantId: string;
  kind: 'PERSON' | 'BUSINESS';
  displayName: string;
  taxId: string;
  email?: string | null;
  phone?: string | null;
};

/** The PII contexts: bound into every ciphertext and blind index, so values cannot move between fields or tenants. */
export const piiContext = (field: 'taxId' | 'email' | 'phone', tenantId: string) => `customer.${field}:${tenantId}`;

/**
 * Creates a customer of a tenant, idempotently by id. The CPF (people) or CNPJ (businesses, the
 * alphanumeric format included) is validated by its check digits; documents, e-mail and phone are
 * stored only sealed (AES-256-GCM) with blind indexes for uniqueness and look-ups.
 */
export async function createCustomer(db: PrismaClient, vault: PiiVault, input: CreateCustomerInput) {
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

  const t = input.tenantId;
  const requestHash = createHash('sha256').update(JSON.stringify([t, input.kind, displayName, taxId.value, email, phone])).digest('hex');
  const existing = await db.customer.findUnique({ where: { id: input.id } });
  if (existing) {
    if (existing.requestHash !== requestHash) throw new DomainError('IDEMPOTENCY_KEY_REUSED');
    return { customer: existing, status: 'REPLAYED' as const };
  }
  const taxIdIndex = vault.blindIndex(taxId.value, piiContext('taxId', t));
  if (await db.customer.findFirst({ where: { tenantId: t, taxIdIndex }, select: { id: true } })) {
    throw new DomainError('CONFLICT', 'A customer with this CPF/CNPJ already exists in this tenant.', { field: 'taxId' });
  }
  try {
    // FOR SHARE on the tenant: a concurrent switch to live (FOR UPDATE) sees this customer or waits for it.
    const customer = await db.$transaction(async (tx) => {
      await tx.$queryRaw`SELECT id FROM identity.tenant WHERE id = ${t}::uuid FOR SHARE`;
      return tx.customer.create({
      data: {
        id: input.id,
        tenantId: t,
        kind: input.kind,
        displayName,
        taxIdKind: taxId.kind,
        taxIdSealed: vault.encrypt(taxId.value, piiContext('taxId', t)),
        taxIdIndex,
        emailSealed: email ? vault.encrypt(email, piiContext('email', t)) : null,
        emailIndex: email ? vault.blindIndex(email, piiContext('email', t)) : null,
        phoneSealed: phone ? vault.encrypt(phone, piiContext('phone', t)) : null,
        phoneIndex: phone ? vault.blindIndex(phone, piiContext('phone', t)) : null,
        requestHash,
      },
      });
    });
    return { customer, status: 'CREATED' as const };
  } catch (error) {
    // Lost a race: the same id (a replay) or the same document (a conflict) was written first.
    const winner = await db.customer.findUnique({ where: { id: input.id } });
    if (winner?.requestHash === requestHash) return { customer: winner, status: 'REPLAYED' as const };
    if (winner) throw new DomainError('IDEMPOTENCY_KEY_REUSED');
    if (await db.customer.findFirst({ where: { tenantId: t, taxIdIndex }, select: { id: true } })) {
      throw new DomainError('CONFLICT', 'A customer with this CPF/CNPJ already exists in this tenant.', { field: 'taxId' });
    }
    throw error;
  }
}
