import DataLoader from 'dataloader';
import type { Collection } from 'mongodb';
import { requireInternal, type SubgraphContext } from '@baas/server';
import type { Resolvers } from '../generated/resolvers-types';

export type KycCaseDoc = { _id: string; customerId: string; status: string; createdAt: Date };

export function createKycLoaders(cases: Collection<KycCaseDoc>) {
  return {
    kycCase: new DataLoader<string, KycCaseDoc | null>(async (ids) => {
      const docs = await cases.find({ _id: { $in: [...ids] } }).toArray();
      const byId = new Map(docs.map((d) => [d._id, d]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
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
