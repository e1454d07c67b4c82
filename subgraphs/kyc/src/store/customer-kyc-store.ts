import type { Collection } from 'mongodb';
import type { CustomerKycDoc } from './kyc-collections';

export type CustomerKycRow = { customerId: string; tenantId: string; level: number; status: string; applicationId: string; updatedAt: Date };

const toRow = ({ _id, ...rest }: CustomerKycDoc): CustomerKycRow => ({ ...rest, customerId: _id });

/** Every MongoDB statement about customers' KYC standing (level and latest status). */
export function createCustomerKycStore(customers: Collection<CustomerKycDoc>) {
  return {
    async findByIds(customerIds: readonly string[]): Promise<CustomerKycRow[]> {
      return (await customers.find({ _id: { $in: [...customerIds] } }).toArray()).map(toRow);
    },

    /** Records the latest application's status and the level (the level never goes down: $max). */
    async record(row: CustomerKycRow): Promise<void> {
      await customers.updateOne(
        { _id: row.customerId },
        { $set: { tenantId: row.tenantId, status: row.status, applicationId: row.applicationId, updatedAt: row.updatedAt }, $max: { level: row.level } },
        { upsert: true },
      );
    },
  };
}

export type CustomerKycStore = ReturnType<typeof createCustomerKycStore>;
