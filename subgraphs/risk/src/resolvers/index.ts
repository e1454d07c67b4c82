import type { Resolvers } from '../generated/resolvers-types';
import { alertMutations, alertQueries, riskAlertEntity } from './alerts';
import { assessmentMutations, assessmentQueries, riskAssessmentEntity } from './assessments';
import { creditAndSettingsQueries, settingsMutations } from './credit-and-settings';

export const resolvers: Resolvers = {
  Query: { ...assessmentQueries, ...alertQueries, ...creditAndSettingsQueries },
  Mutation: { ...assessmentMutations, ...alertMutations, ...settingsMutations },
  RiskAssessment: riskAssessmentEntity,
  RiskAlert: riskAlertEntity,
};
