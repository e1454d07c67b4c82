import type { Collection } from 'mongodb';
import type { KycApplicationDoc } from './kyc-collections';

/** The read rescreening adds to kyc_applications: APPROVED application ids, a page at a time (nothing opened). */
export function createRescreenApprovedApplications(applications: Collection<KycApplicationDoc>) {
  return {
    /** The next page of APPROVED application ids after `afterId`, in id order. */
    async approvedApplicationIds(afterId: string | null, limit: number): Promise<string[]> {
      const filter = afterId ? { state: 'APPROVED' as const, _id: { $gt: afterId } } : { state: 'APPROVED' as const };
      const docs = await applications.find(filter, { projection: { _id: 1 } }).sort({ _id: 1 }).limit(limit).toArray();
      return docs.map((d) => d._id);
    },
  };
}

export type RescreenApprovedApplications = ReturnType<typeof createRescreenApprovedApplications>;
