import type { Collection } from 'mongodb';
import type { ApplicationStep } from '../domain/kyc-event-types';
import type { KycApplicationDoc } from './kyc-collections';

export type ApplicationStepRow = ApplicationStep & { submittedAt: Date | null };

/** The reads the event repair needs: recent application steps, without the sealed applicant. */
export function createKycEventStepStore(applications: Collection<KycApplicationDoc>) {
  return {
    /** Applications in a state that has events, last written in [from, to), oldest first. */
    async recentSteps(from: Date, to: Date, limit: number): Promise<ApplicationStepRow[]> {
      const docs = await applications
        .find(
          { state: { $in: ['SUBMITTED', 'APPROVED', 'DENIED', 'NEEDS_DOCUMENTS', 'MANUAL_REVIEW'] }, updatedAt: { $gte: from, $lt: to } },
          { projection: { _id: 1, tenantId: 1, customerId: 1, state: 1, version: 1, updatedAt: 1, decision: 1, submittedAt: 1 } },
        )
        .sort({ updatedAt: 1, _id: 1 })
        .limit(limit)
        .toArray();
      return docs.map((d) => ({ id: d._id, tenantId: d.tenantId, customerId: d.customerId, state: d.state, version: d.version, updatedAt: d.updatedAt, decision: d.decision ?? null, submittedAt: d.submittedAt ?? null }));
    },
  };
}

export type KycEventStepStore = ReturnType<typeof createKycEventStepStore>;
