import { isInternal, type RuleTree } from '@baas/authz';

/** Who may resolve what in the cards subgraph (default deny): operators and internal services only, until its domain issue opens customer access. */
export const cardsPermissions: RuleTree = {
  Query: { card: isInternal },
  Card: isInternal,

};
