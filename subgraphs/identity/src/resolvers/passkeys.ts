import type { MutationResolvers, QueryResolvers } from '../generated/resolvers-types';
import type { IdentityContext } from '../context';
import { cancelPasskeyRecovery } from '../use-cases/cancel-passkey-recovery';
import { finishPasskeyEnrolment } from '../use-cases/finish-passkey-enrolment';
import { finishPasskeySignIn } from '../use-cases/finish-passkey-sign-in';
import { finishStepUp } from '../use-cases/finish-step-up';
import { issueSessionTokens } from '../use-cases/issue-session-tokens';
import { listPasskeys } from '../use-cases/list-passkeys';
import { listSessions } from '../use-cases/list-sessions';
import { listSigningKeys } from '../use-cases/list-signing-keys';
import { removePasskey } from '../use-cases/remove-passkey';
import { requestPasskeyRecovery } from '../use-cases/request-passkey-recovery';
import { revokeSession } from '../use-cases/revoke-session';
import { rotateSigningKey } from '../use-cases/rotate-signing-key';
import { setStepUpPolicy } from '../use-cases/set-step-up-policy';
import { startPasskeyEnrolment } from '../use-cases/start-passkey-enrolment';
import { startPasskeySignIn } from '../use-cases/start-passkey-sign-in';
import { startStepUp } from '../use-cases/start-step-up';
import { keyInfo, passkeyType, recoveryType, sessionTokensType, sessionType } from './shapes';

export const passkeyQueries: Pick<QueryResolvers<IdentityContext>, 'passkeys' | 'sessions' | 'signingKeys'> = {
  passkeys: async (_, __, ctx) => (await listPasskeys(ctx.deps, ctx.identity)).map(passkeyType),
  sessions: async (_, args, ctx) => (await listSessions(ctx.deps, ctx.identity, args)).map(sessionType),
  signingKeys: async (_, __, ctx) => (await listSigningKeys(ctx.deps, ctx.identity)).map(keyInfo),
};

/**
 * Passkeys, step-up, sessions and signing keys. Adding or removing a passkey: a step-up with an
 * existing passkey, the first passkey right after sign-up, or a delayed and notified recovery.
 */
export const passkeyMutations: Pick<
  MutationResolvers<IdentityContext>,
  | 'startPasskeyRegistration'
  | 'finishPasskeyRegistration'
  | 'removePasskey'
  | 'startPasskeySignIn'
  | 'finishPasskeySignIn'
  | 'startStepUp'
  | 'finishStepUp'
  | 'revokeSession'
  | 'setStepUpPolicy'
  | 'rotateSigningKey'
  | 'requestPasskeyRecovery'
  | 'cancelPasskeyRecovery'
> = {
  startPasskeyRegistration: async (_, __, ctx) => {
    const start = await startPasskeyEnrolment(ctx.deps, ctx.identity);
    return { challengeId: start.challengeId, options: start.options, expiresAt: start.expiresAt };
  },
  finishPasskeyRegistration: async (_, args, ctx) =>
    passkeyType(await finishPasskeyEnrolment(ctx.deps, ctx.identity, { challengeId: args.input.challengeId, response: args.input.response, nickname: args.input.nickname })),
  removePasskey: async (_, args, ctx) => passkeyType(await removePasskey(ctx.deps, ctx.identity, args)),
  requestPasskeyRecovery: async (_, args, ctx) => recoveryType(await requestPasskeyRecovery(ctx.deps, ctx.identity, args)),
  cancelPasskeyRecovery: async (_, args, ctx) => recoveryType(await cancelPasskeyRecovery(ctx.deps, ctx.identity, args)),
  startPasskeySignIn: (_, args, ctx) => startPasskeySignIn(ctx.deps, args.input),
  finishPasskeySignIn: async (_, args, ctx) => sessionTokensType(await issueSessionTokens(ctx.deps, await finishPasskeySignIn(ctx.deps, args.input))),
  startStepUp: (_, __, ctx) => startStepUp(ctx.deps, ctx.identity),
  finishStepUp: async (_, args, ctx) =>
    sessionTokensType(await issueSessionTokens(ctx.deps, await finishStepUp(ctx.deps, ctx.identity, { ...args.input, refreshToken: args.refreshToken }))),
  revokeSession: async (_, args, ctx) => sessionType(await revokeSession(ctx.deps, ctx.identity, args)),
  setStepUpPolicy: (_, args, ctx) => setStepUpPolicy(ctx.deps, ctx.identity, args),
  rotateSigningKey: async (_, args, ctx) => keyInfo(await rotateSigningKey(ctx.deps, ctx.identity, args)),
};
