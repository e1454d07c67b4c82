import type { Identity } from '@baas/auth';
import { DomainError } from '@baas/errors';
import { requireEraseDocuments, requireVisibleApplication } from '../permissions';
import type { KycApplicationRow } from '../store/application-store';
import { auditActor, nowOf, requireClientId, type KycDeps } from './kyc-deps';

export const KYC_DOCUMENTS_ERASED_ACTION = 'kyc.documents.erased';

/**
 * Erases the bytes of every document of an application on request (LGPD art. 18): the sealed
 * chunks are deleted, the metadata (type, size, digest, when) stays with `erasedAt`, the decision
 * and check results stay, and the erasure is audited (who, which application, how many documents).
 * Its customer, its tenant's client (customers:write) or an operator asks. Safe to repeat (the
 * application id is the key): a second erasure finds nothing left and answers the same.
 */
export async function deleteKycDocuments(deps: KycDeps, who: Identity, applicationId: string): Promise<KycApplicationRow> {
  const id = requireClientId(applicationId, 'applicationId');
  let app = requireVisibleApplication(who, await deps.applications.findById(id));
  requireEraseDocuments(who, app);
  const now = nowOf(deps);
  const erased = await deps.documents.eraseApplication(app.id, now);
  for (let attempt = 0; attempt < 10; attempt++) {
    if (app.documents.every((d) => d.erased)) break;
    const updated = await deps.applications.update(app.id, app.version, { documents: app.documents.map((d) => ({ ...d, erased: true })) }, now);
    if (updated) {
      app = updated;
      break;
    }
    app = requireVisibleApplication(who, await deps.applications.findById(id));
  }
  if (!app.documents.every((d) => d.erased)) throw new DomainError('CONFLICT', 'The application keeps changing: try again.', { reason: 'KYC_CONCURRENT_UPDATE' });
  deps.audit?.record({
    action: KYC_DOCUMENTS_ERASED_ACTION,
    outcome: 'success',
    actor: auditActor(who),
    target: { type: 'KycApplication', id: app.id },
    tenantId: app.tenantId,
    details: { documents: erased },
    at: now,
  });
  return app;
}
