import { isInternal, type RuleTree } from '@baas/authz';

/** Who may resolve what in the payments subgraph (default deny): operators and internal services only, until its domain issue opens customer access. */
export const paymentsPermissions: RuleTree = {
  Query: { payment: isInternal },
  Payment: isInternal,
  Money: isInternal,
};
