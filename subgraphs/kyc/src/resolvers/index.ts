import type { Resolvers } from '../generated/resolvers-types';
import { getKycCase } from '../use-cases/get-kyc-case';

export const resolvers: Resolvers = {
  Query: {
    kycCase: (_, args, ctx) => getKycCase({ cases: ctx.loaders.kycCase }, ctx.identity, args.id),
  },
  KycCase: {
    __resolveReference: (ref, ctx) => getKycCase({ cases: ctx.loaders.kycCase }, ctx.identity, ref.id),
    id: (doc) => doc._id,
    customer: (doc) => ({ id: doc.customerId }),
    createdAt: (doc) => doc.createdAt.toISOString(),
  },
};
