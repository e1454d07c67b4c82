import { defineCollection } from '@baas/mongo';

export type KycCaseDoc = { _id: string; customerId: string; status: string; createdAt: Date };

/** KYC's collections, created at start with their indexes and validators (see @baas/mongo for what FerretDB does not enforce). */
export const kycCollections = {
  cases: defineCollection<KycCaseDoc>({
    name: 'kyc_cases',
    indexes: [{ name: 'customer_created', key: { customerId: 1, createdAt: -1 } }],
    schema: {
      bsonType: 'object',
      required: ['_id', 'customerId', 'status', 'createdAt'],
      properties: {
        _id: { bsonType: 'string' },
        customerId: { bsonType: 'string' },
        status: { enum: ['OPEN', 'APPROVED', 'REJECTED', 'NEEDS_REVIEW'] },
        createdAt: { bsonType: 'date' },
      },
    },
  }),
};
