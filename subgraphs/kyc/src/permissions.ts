import { isInternal, type RuleTree } from '@baas/authz';

/** Who may resolve what in the kyc subgraph (default deny): operators and internal services only, until its domain issue opens customer access. */
export const kycPermissions: RuleTree = {
  Query: { kycCase: isInternal },
  KycCase: isInternal,
  Customer: isInternal,
};
