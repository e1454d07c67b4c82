import { normalizeEmail, normalizePhoneE164, parseTaxId } from '@baas/br-documents';
import { DomainError, badInput } from '@baas/errors';
import { createOrReplay, isUniqueViolation, legacyRequestHash, requestFingerprint } from '@baas/idempotency';
import type { PiiVault } from '@baas/pii';
import type { PrismaClient } from '../generated/prisma/client';

type CustomerRecord = Awaited<ReturnType<PrismaClient['customer']['findUniqueOrThrow']>>;

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
  const taxIdIndex = vault.blindIndex(taxId.value, piiContext('taxId', t));
  const emailIndex = email ? vault.blindIndex(email, piiContext('email', t)) : null;
  const phoneIndex = phone ? vault.blindIndex(phone, piiContext('phone', t)) : null;
  // Over the blind indexes, not the clear documents: an unkeyed hash of a CPF is reversible by trying them all.
  const hash = requestFingerprint('customer/v1', { tenantId: t, kind: input.kind, displayName, taxIdIndex, emailIndex, phoneIndex });
  const taxIdTaken = async () => {
    if (await db.customer.findFirst({ where: { tenantId: t, taxIdIndex }, select: { id: true } })) {
      throw new DomainError('CONFLICT', 'A customer with this CPF/CNPJ already exists in this tenant.', { field: 'taxId' });
    }
  };
  try {
    const { row, status } = await createOrReplay({
      hash,
      // Rows written before @baas/idempotency.
      acceptedHashes: [legacyRequestHash([t, input.kind, displayName, taxId.value, email, phone])],
      storedHash: (row: CustomerRecord) => row.requestHash,
      scope: (row) => row.tenantId === t,
      find: () => db.customer.findUnique({ where: { id: input.id } }),
      insert: async () => {
        await taxIdTaken();
        // FOR SHARE on the tenant: a concurrent switch to live (FOR UPDATE) sees this customer or waits for it.
        return db.$transaction(async (tx) => {
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
              emailIndex,
              phoneSealed: phone ? vault.encrypt(phone, piiContext('phone', t)) : null,
              phoneIndex,
              requestHash: hash,
            },
          });
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
