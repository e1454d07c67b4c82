import type { Identity } from '@baas/auth';
import { requireInternal } from '@baas/server';
import type { KycCaseRow } from '../store/kyc-case-store';

export type GetKycCaseDeps = { cases: { load(id: string): Promise<KycCaseRow | null> } };

/**
 * A KYC case by id. Until the KYC issue defines customer access, only operators and internal
 * services may read (UNAUTHENTICATED / FORBIDDEN otherwise, before any read).
 */
export async function getKycCase(deps: GetKycCaseDeps, identity: Identity | null, id: string): Promise<KycCaseRow | null> {
  requireInternal(identity);
  return deps.cases.load(id);
}
