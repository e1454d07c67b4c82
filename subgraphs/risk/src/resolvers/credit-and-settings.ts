import type { MutationResolvers, QueryResolvers } from '../generated/resolvers-types';
import { getCreditScore } from '../use-cases/get-credit-score';
import { getRiskSettings } from '../use-cases/get-risk-settings';
import { setRiskSettings } from '../use-cases/set-risk-settings';
import { settingsView } from './views';

export const creditAndSettingsQueries: Pick<QueryResolvers, 'creditScore' | 'riskSettings'> = {
  creditScore: (_, args, ctx) =>
    getCreditScore({ directory: ctx.risk.directory, inputs: ctx.risk.credit.inputs, model: ctx.risk.credit.model }, ctx.identity, args),
  riskSettings: async (_, args, ctx) => settingsView(await getRiskSettings({ settings: ctx.risk.settings, directory: ctx.risk.directory }, ctx.identity, args)),
};

export const settingsMutations: Pick<MutationResolvers, 'setRiskSettings'> = {
  setRiskSettings: async (_, { input }, ctx) => settingsView(await setRiskSettings({ settings: ctx.risk.settings, directory: ctx.risk.directory }, ctx.identity, input)),
};
