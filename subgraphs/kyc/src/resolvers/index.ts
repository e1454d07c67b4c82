import { createByIdLoader, requireInternal, type SubgraphContext } from '@baas/server';
import type { Resolvers } from '../generated/resolvers-types';
import type { KycCaseRow, KycCaseStore } from '../store/kyc-case-store';

export type { KycCaseDoc } from '../store/kyc-collections';

export function createKycLoaders(cases: KycCaseStore) {
  return {
    kycCase: createByIdLoader<string, KycCaseRow>((ids) => cases.findByIds(ids)),
  };
}

export type KycContext = SubgraphContext & { loaders: ReturnType<typeof createKycLoaders> };

const load = (ctx: KycContext, id: string) => {
  requireInternal(ctx.identity);
  return ctx.loaders.kycCase.load(id);
};

export const resolvers: Resolvers = {
  Query: {
    kycCase: (_, args, ctx) => load(ctx, args.id),
  },
  KycCase: {
    __resolveReference: (ref, ctx) => load(ctx, ref.id),
    id: (doc) => doc._id,
    customer: (doc) => ({ id: doc.customerId }),
    createdAt: (doc) => doc.createdAt.toISOString(),
  },
};
