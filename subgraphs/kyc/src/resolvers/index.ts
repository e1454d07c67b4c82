import DataLoader from 'dataloader';
import type { Collection } from 'mongodb';
import { requireInternal, type SubgraphContext } from '@baas/server';

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

export const resolvers = {
  Query: {
    kycCase: (_: unknown, args: { id: string }, ctx: KycContext) => load(ctx, args.id),
  },
  KycCase: {
    __resolveReference: (ref: { id: string }, ctx: KycContext) => load(ctx, ref.id),
    id: (doc: KycCaseDoc) => doc._id,
    customer: (doc: KycCaseDoc) => ({ id: doc.customerId }),
    createdAt: (doc: KycCaseDoc) => doc.createdAt.toISOString(),
  },
};
