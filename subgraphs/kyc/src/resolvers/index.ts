import type { Collection } from 'mongodb';
import { createByIdLoader, requireInternal, type SubgraphContext } from '@baas/server';
import type { Resolvers } from '../generated/resolvers-types';

export type KycCaseDoc = { _id: string; customerId: string; status: string; createdAt: Date };

export function createKycLoaders(cases: Collection<KycCaseDoc>) {
  return {
    kycCase: createByIdLoader<string, KycCaseDoc & { id: string }>(async (ids) =>
      (await cases.find({ _id: { $in: ids } }).toArray()).map((doc) => ({ ...doc, id: doc._id })),
    ),
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
