import type { MutationResolvers } from '../generated/resolvers-types';
import type { IdentityContext } from './index';
import { redeemMagicLink, startSignIn, verifySignInCode } from '../sign-in/index';
import { sessionTokens } from '../services/session-tokens';

/** One-time codes and magic links (startSignIn, verifySignInCode, redeemMagicLink). They need no token. */
export const signInMutations: Pick<MutationResolvers<IdentityContext>, 'startSignIn' | 'verifySignInCode' | 'redeemMagicLink'> = {
  startSignIn: (_, args, ctx) => startSignIn(ctx, args.input),
  verifySignInCode: async (_, args, ctx) => {
    const { session, refreshToken } = await verifySignInCode(ctx, args.challengeId, args.code);
    return sessionTokens(ctx, session, refreshToken);
  },
  redeemMagicLink: async (_, args, ctx) => {
    const { session, refreshToken } = await redeemMagicLink(ctx, args.token);
    return sessionTokens(ctx, session, refreshToken);
  },
};
