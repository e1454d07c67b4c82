/**
 * @baas/authz: the authorisation layer every subgraph puts over its schema (graphql-shield, default deny).
 *
 *   const permissions = createPermissions({
 *     Query: { customer: isAuthenticated, signInOptions: publicField },
 *     Mutation: { sendPayment: and(isCustomer, requireStepUp('LARGE_TRANSFER', { amountArg: 'input.amountMinor' })) },
 *     Customer: { '*': ownsParent((c: CustomerRow) => ({ tenantId: c.tenantId, customerId: c.id })) },
 *   }, { onDenied: (info) => logger.warn(info, 'access denied') });
 *   const schema = applyPermissions(buildSubgraphSchema({ typeDefs, resolvers }), permissions);
 *
 * - Everything not named is denied; Query._service, Query._entities and _Service are added for you.
 * - Every entity type (@key) needs ownsParent (or stricter) on '*': `_entities` itself is open.
 * - Denials are DomainErrors: UNAUTHENTICATED without identity, FORBIDDEN otherwise, or what a rule
 *   returned (STEP_UP_REQUIRED). Resolver errors pass through untouched.
 * - and/or/race report the FIRST error among their rules in rule order: write
 *   `or(requireStepUp(...), isInternal)`, not `or(isInternal, requireStepUp(...))`, so a customer
 *   learns that a step-up is missing rather than a bare FORBIDDEN.
 */
export type { AuthzContext, AuthzIdentity, Owner, StepUpPolicy, StepUpRule } from './context';
export type { FieldRules, RuleTree, ShieldRule } from './rule-tree';
export {
  isAuthenticated,
  isCustomer,
  isOperator,
  isApiClient,
  isInternalService,
  isInternal,
  publicField,
  hasScope,
  hasAnyScope,
  isSelf,
  sameTenantAsArg,
  ownsParent,
  inParentTenant,
} from './rules';
export { requireStepUp, assertStepUp, assertStepUpOrDefault, stepUpSatisfied, stepUpRequired, toAmountMinor, STEP_UP_CLOCK_SKEW_SECONDS } from './step-up';
export { withFederationDefaults, FEDERATION_QUERY_FIELDS, FEDERATION_TYPES } from './federation';
export { createPermissions } from './create-permissions';
export type { DeniedInfo, Permissions, PermissionsOptions } from './create-permissions';
export { applyPermissions, restoreFederationResolvers } from './apply-permissions';
// Composition and escape hatches, so subgraphs depend on @baas/authz alone.
export { and, or, not, chain, race, allow, deny, rule } from 'graphql-shield';
export {
  isPlatform,
  isPlatformOperator,
  isTenantClientWith,
  isCustomerSelf,
  managesTenant,
  mayRead,
  actingTenant,
  demand,
} from './record-policies';
