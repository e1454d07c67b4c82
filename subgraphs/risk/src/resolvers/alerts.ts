import type { MutationResolvers, QueryResolvers, RiskAlertResolvers } from '../generated/resolvers-types';
import { getRiskAlert } from '../use-cases/get-risk-alert';
import { listRiskAlerts } from '../use-cases/list-risk-alerts';
import { updateRiskAlertStatus } from '../use-cases/update-risk-alert-status';
import { alertView } from './views';

export const alertQueries: Pick<QueryResolvers, 'riskAlerts'> = {
  riskAlerts: async (_, args, ctx) => {
    const page = await listRiskAlerts({ alerts: ctx.risk.alerts }, ctx.identity, args);
    return { items: page.items.map(alertView), endCursor: page.endCursor, hasNextPage: page.hasNextPage };
  },
};

export const alertMutations: Pick<MutationResolvers, 'updateRiskAlertStatus'> = {
  updateRiskAlertStatus: async (_, { input }, ctx) =>
    alertView(await updateRiskAlertStatus({ alerts: ctx.risk.alerts, markConfirmedFraud: ctx.risk.markConfirmedFraud }, ctx.identity, input)),
};

export const riskAlertEntity: Pick<RiskAlertResolvers, '__resolveReference'> = {
  __resolveReference: async (ref, ctx) => alertView(await getRiskAlert({ alerts: ctx.loaders.alert }, ctx.identity, ref.id)),
};
