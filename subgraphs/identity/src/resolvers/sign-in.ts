import type { MutationResolvers } from '../generated/resolvers-types';
import type { IdentityContext } from '../context';
import { issueSessionTokens } from '../use-cases/issue-session-tokens';
import { redeemMagicLink } from '../use-cases/redeem-magic-link';
import { startSignIn } from '../use-cases/start-sign-in';
import { verifySignInCode } from '../use-cases/verify-sign-in-code';
import { sessionTokensType } from './shapes';

/** One-time codes and magic links (startSignIn, verifySignInCode, redeemMagicLink). They need no token. */
export const signInMutations: Pick<MutationResolvers<IdentityContext>, 'startSignIn' | 'verifySignInCode' | 'redeemMagicLink'> = {
  startSignIn: (_, args, ctx) => startSignIn(ctx.deps, args.input),
  verifySignInCode: async (_, args, ctx) => sessionTokensType(await issueSessionTokens(ctx.deps, await verifySignInCode(ctx.deps, args.challengeId, args.code))),
  redeemMagicLink: async (_, args, ctx) => sessionTokensType(await issueSessionTokens(ctx.deps, await redeemMagicLink(ctx.deps, args.token))),
};
