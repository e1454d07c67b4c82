import type { Resolvers } from '../generated/resolvers-types';
import { maySeeCard } from '../permissions';
import { advanceCardFulfilment } from '../use-cases/advance-card-fulfilment';
import { changeCardState } from '../use-cases/change-card-state';
import { changeNetworkToken } from '../use-cases/change-network-token';
import { getCard } from '../use-cases/get-card';
import { getTenantCardSettings } from '../use-cases/get-tenant-card-settings';
import { issueCard } from '../use-cases/issue-card';
import { listCards } from '../use-cases/list-cards';
import { provisionNetworkToken } from '../use-cases/provision-network-token';
import { reportLostCard } from '../use-cases/report-lost-card';
import { revealCard } from '../use-cases/reveal-card';
import { setCardControls } from '../use-cases/set-card-controls';
import { setTenantCardSettings } from '../use-cases/set-tenant-card-settings';
import { getCardAuthorization, listCardAuthorizations } from '../use-cases/get-card-authorization';
import { simulateCardNetworkMessage } from '../use-cases/simulate-card-network-message';
import { simulateCardTransaction } from '../use-cases/simulate-card-transaction';
import { answerCardChallenge } from '../use-cases/answer-card-challenge';
import { challengeDepsOf } from '../use-cases/challenge-deps';
import { createCardChallenge } from '../use-cases/create-card-challenge';
import type { CardsContext } from '../context';
import { readControls } from '../use-cases/card-deps';
import { authorizationState, controlBoundsOut, effectiveOut, expiryOut, moneyOf, networkElements, spendControlsOut } from './shapes';

/** The signed-in caller (the rule tree already refused the anonymous). */
const who = (ctx: CardsContext) => ctx.identity!;
/** The use cases' deps with this request's audit trail. */
const deps = (ctx: CardsContext) => ({ ...ctx.cards, audit: ctx.audit });
const linked = async (ctx: CardsContext, id: string | null) => {
  const card = id ? await ctx.loaders.card.load(id) : null;
  return card && maySeeCard(who(ctx), card) ? card : null;
};

export const resolvers: Resolvers = {
  Query: {
    card: (_, args, ctx) => getCard({ cards: ctx.loaders.card }, ctx.identity, args.id),
    cards: (_, args, ctx) => listCards(ctx.cards, who(ctx), args),
    tenantCardSettings: (_, args, ctx) => getTenantCardSettings(ctx.cards, who(ctx), args.tenantId),
    cardAuthorization: (_, args, ctx) => getCardAuthorization(ctx.cards, who(ctx), args.id),
  },
  Mutation: {
    issueCard: (_, { input }, ctx) => issueCard(deps(ctx), who(ctx), input),
    revealCard: (_, args, ctx) => revealCard(deps(ctx), who(ctx), args.id),
    activateCard: (_, args, ctx) => changeCardState(deps(ctx), who(ctx), args.id, { type: 'ACTIVATE' }),
    pauseCard: (_, args, ctx) => changeCardState(deps(ctx), who(ctx), args.id, { type: 'PAUSE' }),
    resumeCard: (_, args, ctx) => changeCardState(deps(ctx), who(ctx), args.id, { type: 'RESUME' }),
    closeCard: (_, args, ctx) => changeCardState(deps(ctx), who(ctx), args.id, { type: 'CLOSE', reason: args.reason }),
    reportCardLost: (_, args, ctx) => reportLostCard(deps(ctx), who(ctx), args.id, 'LOST'),
    reportCardStolen: (_, args, ctx) => reportLostCard(deps(ctx), who(ctx), args.id, 'STOLEN'),
    advanceCardFulfilment: (_, args, ctx) => advanceCardFulfilment(deps(ctx), who(ctx), args.id, args.event),
    setCardControls: (_, args, ctx) => setCardControls(deps(ctx), who(ctx), args.cardId, args.controls),
    setTenantCardSettings: (_, { input }, ctx) => setTenantCardSettings(deps(ctx), who(ctx), input),
    provisionNetworkToken: (_, { input }, ctx) => provisionNetworkToken(deps(ctx), who(ctx), input),
    suspendNetworkToken: (_, args, ctx) => changeNetworkToken(deps(ctx), who(ctx), args.id, 'SUSPEND'),
    resumeNetworkToken: (_, args, ctx) => changeNetworkToken(deps(ctx), who(ctx), args.id, 'RESUME'),
    deleteNetworkToken: (_, args, ctx) => changeNetworkToken(deps(ctx), who(ctx), args.id, 'DELETE'),
    simulateCardNetworkMessage: (_, { message }, ctx) => simulateCardNetworkMessage(deps(ctx), who(ctx), message),
    simulateCardTransaction: (_, { input }, ctx) => simulateCardTransaction(deps(ctx), who(ctx), input),
    createCardChallenge: (_, { input }, ctx) => createCardChallenge(challengeDepsOf(deps(ctx)), who(ctx), input),
    answerCardChallenge: (_, args, ctx) => answerCardChallenge(challengeDepsOf(deps(ctx)), who(ctx), args),
  },
  CardChallenge: {
    state: (row) => row.state as 'PENDING' | 'VERIFIED' | 'FAILED' | 'EXPIRED' | 'USED',
    amount: (row) => moneyOf(row.amount, row.currency),
    expiresAt: (row) => row.expiresAt.toISOString(),
    createdAt: (row) => row.createdAt.toISOString(),
  },
  CardNetworkResponse: {
    mti: (a) => a.response.mti,
    responseCode: (a) => a.response.elements['39'] ?? '96',
    approved: (a) => a.response.elements['39'] === '00',
    elements: (a) => networkElements(a.response.elements),
    authorization: (a, _, ctx) => (a.authorization && maySeeCard(who(ctx), a.authorization) ? a.authorization : null),
  },
  CardAuthorization: {
    state: (row) => authorizationState(row.state),
    amount: (row) => moneyOf(row.amount, row.currency),
    captured: (row) => moneyOf(row.captured, row.currency),
    released: (row) => moneyOf(row.released, row.currency),
    expiresAt: (row) => row.expiresAt?.toISOString() ?? null,
    createdAt: (row) => row.createdAt.toISOString(),
  },
  Card: {
    __resolveReference: (ref, ctx) => getCard({ cards: ctx.loaders.card }, ctx.identity, ref.id),
    form: (row) => row.form as 'VIRTUAL' | 'PHYSICAL',
    state: (row) => row.state as 'PENDING_ACTIVATION' | 'ACTIVE' | 'PAUSED' | 'CLOSED',
    closeReason: (row) => row.closeReason as 'LOST' | 'STOLEN' | 'CUSTOMER_REQUEST' | 'EXPIRED' | 'FRAUD' | null,
    fulfilment: (row) => row.fulfilment as 'ORDERED' | 'SHIPPED' | 'DELIVERED' | 'RETURNED' | null,
    expiry: (row) => expiryOut(row),
    controls: (row) => spendControlsOut(readControls(row.controls), row.currency),
    effectiveControls: async (row, _, ctx) => effectiveOut(row, (await ctx.loaders.settings.load(row.tenantId)).controls),
    replaces: (row, _, ctx) => linked(ctx, row.replacesCardId),
    replacedBy: (row, _, ctx) => linked(ctx, row.replacedById),
    networkTokens: (row, _, ctx) => ctx.loaders.tokensOfCard.load(row.id),
    authorizations: (row, args, ctx) => listCardAuthorizations(ctx.cards, row, args.first),
    createdAt: (row) => row.createdAt.toISOString(),
  },
  NetworkToken: {
    wallet: (row) => row.wallet as 'APPLE_PAY' | 'GOOGLE_PAY' | 'SAMSUNG_PAY',
    state: (row) => row.state as 'ACTIVE' | 'SUSPENDED' | 'DELETED',
    createdAt: (row) => row.createdAt.toISOString(),
  },
  TenantCardSettings: {
    controls: (row) => controlBoundsOut(row.controls),
    standIn: (row) => row.standIn as 'APPROVE' | 'DECLINE',
    requireThreeDsAbove: (row) => row.requireThreeDsAbove?.toString() ?? null,
    // The sealed secret never leaves; the new one only in the answer that made it.
    decisionSecret: (row) => ('newDecisionSecret' in row && typeof row.newDecisionSecret === 'string' ? row.newDecisionSecret : null),
    updatedAt: (row) => row.updatedAt.toISOString(),
  },
};
