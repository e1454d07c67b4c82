import type { Collection } from 'mongodb';
import type { KycCaseDoc } from './kyc-collections';

export type KycCaseRow = KycCaseDoc & { id: string };

/** Every MongoDB statement about KYC cases. */
export function createKycCaseStore(cases: Collection<KycCaseDoc>) {
  return {
    async findByIds(ids: readonly string[]): Promise<KycCaseRow[]> {
      return (await cases.find({ _id: { $in: [...ids] } }).toArray()).map((doc) => ({ ...doc, id: doc._id }));
    },
  };
}

export type KycCaseStore = ReturnType<typeof createKycCaseStore>;
