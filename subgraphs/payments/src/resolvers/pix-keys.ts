import type { Identity } from '@baas/auth';
import { unauthenticated } from '@baas/errors';
import { maskPixKey } from '../domain/pix-key-masks';
import type { PixKeyType } from '../domain/pix-keys';
import type { MutationResolvers, PixKeyClaimResolvers, PixKeyResolvers, QueryResolvers } from '../generated/resolvers-types';
import { claimPixKey } from '../use-cases/claim-pix-key';
import { deletePixKey } from '../use-cases/delete-pix-key';
import { listPixKeyClaims } from '../use-cases/list-pix-key-claims';
import { listPixKeys } from '../use-cases/list-pix-keys';
import { lookupPixKey } from '../use-cases/lookup-pix-key';
import { registerPixKey } from '../use-cases/register-pix-key';
import { cancelPixKeyClaim, confirmPixKeyClaim } from '../use-cases/resolve-pix-key-claim';
import { verifyPixKey } from '../use-cases/verify-pix-key';

/** The caller (the rule tree already demanded one): UNAUTHENTICATED when absent. */
const caller = (ctx: { identity: Identity | null }) => {
  if (!ctx.identity) throw unauthenticated();
  return ctx.identity;
};

/** Query.pixKeys, pixKeyLookup, pixKeyClaims: the DICT reads. */
export const pixKeyQueries: Pick<QueryResolvers, 'pixKeys' | 'pixKeyLookup' | 'pixKeyClaims'> = {
  pixKeys: async (_, args, ctx) => listPixKeys(ctx.payments.keys, caller(ctx), { accountId: args.accountId }),
  pixKeyLookup: async (_, args, ctx) => lookupPixKey(ctx.payments.keys, caller(ctx), { key: args.key, payerAccountId: args.payerAccountId }),
  pixKeyClaims: async (_, args, ctx) => listPixKeyClaims(ctx.payments.keys, caller(ctx), { accountId: args.accountId }),
};

/** The six DICT mutations: keys (register, verify, delete) and claims (open, confirm, cancel). */
export const pixKeyMutations: Pick<MutationResolvers, 'registerPixKey' | 'verifyPixKey' | 'deletePixKey' | 'claimPixKey' | 'confirmPixKeyClaim' | 'cancelPixKeyClaim'> = {
  registerPixKey: async (_, { input }, ctx) =>
    registerPixKey(ctx.payments.keys, caller(ctx), { id: input.id, accountId: input.accountId, keyType: input.keyType, key: input.key ?? null, holderKind: input.holderKind ?? null }),
  verifyPixKey: async (_, args, ctx) => verifyPixKey(ctx.payments.keys, caller(ctx), { id: args.id, code: args.code }),
  deletePixKey: async (_, args, ctx) => deletePixKey(ctx.payments.keys, caller(ctx), { id: args.id }),
  claimPixKey: async (_, { input }, ctx) =>
    claimPixKey(ctx.payments.keys, caller(ctx), { id: input.id, accountId: input.accountId, keyType: input.keyType, key: input.key, claimType: input.claimType }),
  confirmPixKeyClaim: async (_, args, ctx) => confirmPixKeyClaim(ctx.payments.keys, caller(ctx), { id: args.id }),
  cancelPixKeyClaim: async (_, args, ctx) => cancelPixKeyClaim(ctx.payments.keys, caller(ctx), { id: args.id }),
};

/** Field resolvers of the stored rows: DateTimes as ISO strings, the key in full to its owner (PixKey), masked on claims. */
export const pixKeyTypes: { PixKey: PixKeyResolvers; PixKeyClaim: PixKeyClaimResolvers } = {
  PixKey: {
    key: (row) => row.value,
    keyType: (row) => row.keyType as PixKeyType,
    status: (row) => row.status as 'PENDING_VERIFICATION' | 'ACTIVE' | 'DELETED',
    createdAt: (row) => row.createdAt.toISOString(),
    verifiedAt: (row) => row.verifiedAt?.toISOString() ?? null,
  },
  PixKeyClaim: {
    keyType: (row) => row.keyType as PixKeyType,
    keyMasked: (row) => maskPixKey(row.keyType, row.value),
    resolveBy: (row) => row.resolveBy.toISOString(),
    createdAt: (row) => row.createdAt.toISOString(),
  },
};
