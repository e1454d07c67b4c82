import { isInternal, type RuleTree } from '@baas/authz';

/** Who may resolve what in the risk subgraph (default deny): operators and internal services only, until its domain issue opens customer access. */
export const riskPermissions: RuleTree = {
  Query: { riskAssessment: isInternal },
  RiskAssessment: isInternal,

};
