import { amountArg, parseInstant } from '@baas/server';
import type { MutationResolvers, QueryResolvers, RiskAssessmentResolvers } from '../generated/resolvers-types';
import { getRiskAssessment } from '../use-cases/get-risk-assessment';
import { listRiskAssessments } from '../use-cases/list-risk-assessments';
import { scoreTransaction, type ScoreTransactionInput } from '../use-cases/score-transaction';
import { assessmentView } from './views';

export const assessmentQueries: Pick<QueryResolvers, 'riskAssessment' | 'riskAssessments'> = {
  riskAssessment: async (_, args, ctx) => assessmentView(await getRiskAssessment({ assessments: ctx.loaders.assessment }, ctx.identity, args.id)),
  riskAssessments: async (_, args, ctx) => {
    const page = await listRiskAssessments({ assessments: ctx.risk.assessments }, ctx.identity, args);
    return { items: page.items.map(assessmentView), endCursor: page.endCursor, hasNextPage: page.hasNextPage };
  },
};

export const assessmentMutations: Pick<MutationResolvers, 'scoreTransaction'> = {
  // Internal services only (permissions.ts); the use case checks the rest of the input.
  scoreTransaction: async (_, { input }, ctx) => {
    const amount = amountArg(input.amount, 'amount');
    const payeeAccountId = input.payeeAccountId ?? null;
    const assessment = await scoreTransaction(ctx.risk.scoring, {
      movementId: input.movementId,
      tenantId: input.tenantId,
      customerId: input.customerId,
      rail: input.rail as ScoreTransactionInput['rail'],
      payerAccountId: input.payerAccountId,
      payeeAccountId,
      payerLedgerAccountId: input.payerLedgerAccountId ?? null,
      payeeLedgerAccountId: input.payeeLedgerAccountId ?? null,
      amount,
      currency: input.currency,
      occurredAt: parseInstant(input.occurredAt, 'occurredAt')!,
      deviceId: input.deviceId ?? null,
      ip: input.ip ?? null,
      accountOpenedAt: parseInstant(input.accountOpenedAt, 'accountOpenedAt'),
    });
    // No second read on the scoring path: a replay carries the same amount, currency and accounts (its fingerprint matched).
    return assessmentView({ ...assessment, amount: amount.toString(), currency: input.currency, fingerprint: '', payerAccountId: input.payerAccountId, payeeAccountId });
  },
};

export const riskAssessmentEntity: Pick<RiskAssessmentResolvers, '__resolveReference'> = {
  __resolveReference: async (ref, ctx) => assessmentView(await getRiskAssessment({ assessments: ctx.loaders.assessment }, ctx.identity, ref.id)),
};
