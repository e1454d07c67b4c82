import type { Identity } from '@baas/auth';
import { forbidden } from '@baas/errors';
import { checkReplay, requestFingerprint } from '@baas/idempotency';
import { parseApplicant } from '../domain/applicant';
import { customerStatusOf, KYC_LEVEL_NONE } from '../domain/kyc-level';
import { applicantOwner, keyInScope } from '../permissions';
import type { KycApplicationRow } from '../store/application-store';
import { nowOf, requireClientId, type KycDeps } from './kyc-deps';

export const CREATE_APPLICATION_FINGERPRINT_KIND = 'kyc.create-application/v1';

export type CreateKycApplicationInput = {
  id: string;
  customerId?: string | null;
  applicant: { fullName: string; cpf: string; dateOfBirth: string; nationality?: string | null };
};

/**
 * Opens a DRAFT application for a customer: the customer for themselves, or a tenant's client
 * (customers:write) for its customer, who must exist and be active (NOT_FOUND otherwise). The
 * applicant is checked (BAD_USER_INPUT naming the field) and sealed at rest. `input.id` is the
 * application id and the idempotency key: a repeat answers the same application; another request
 * under it is IDEMPOTENCY_KEY_REUSED, and an id of another tenant or customer FORBIDDEN. The
 * request fingerprint is keyed (the vault's blind index), so it is no CPF dictionary.
 */
export async function createKycApplication(deps: KycDeps, who: Identity, input: CreateKycApplicationInput): Promise<KycApplicationRow> {
  const now = nowOf(deps);
  const id = requireClientId(input.id, 'id');
  const owner = applicantOwner(who, input.customerId);
  const applicant = parseApplicant(input.applicant ?? ({} as CreateKycApplicationInput['applicant']), now);
  const hash = deps.vault.blindIndex(requestFingerprint(CREATE_APPLICATION_FINGERPRINT_KIND, { ...owner, applicant }), 'kyc.request');
  const replay = (row: KycApplicationRow) => checkReplay({ hash, storedHash: (r) => r.requestHash, scope: (r) => keyInScope(who, r), outOfScope: () => forbidden() }, row);

  const existing = await deps.applications.findById(id);
  if (existing) return replay(existing);
  await deps.requireActiveCustomer(owner.tenantId, owner.customerId);
  const created = await deps.applications.insert({ id, ...owner, state: 'DRAFT', requestHash: hash, applicant, createdAt: now });
  if (!created) {
    const winner = await deps.applications.findById(id);
    if (!winner) throw new Error('createKycApplication: the id was taken but no application is stored under it');
    return replay(winner);
  }
  await deps.customers.record({ ...owner, level: KYC_LEVEL_NONE, status: customerStatusOf('DRAFT'), applicationId: id, updatedAt: now });
  return created;
}
