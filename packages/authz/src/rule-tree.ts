import type { and } from 'graphql-shield';

/** A rule or a logic rule (and/or/not/chain/race/allow/deny), as graphql-shield accepts them. */
export type ShieldRule = Parameters<typeof and>[number];

/**
 * Rules for the fields of one type. The key '*' is the rule for every field not named, so
 * `{ Customer: { '*': ownsParent(owner) } }` guards all of Customer's fields and
 * `{ Customer: { '*': ownsParent(owner), internalNotes: isInternal } }` overrides one of them.
 */
export type FieldRules = { readonly '*'?: ShieldRule } & { readonly [fieldName: string]: ShieldRule };

/**
 * What a subgraph passes to createPermissions: type name → one rule for every field of the type, or
 * a rule per field. Every type and field left out is denied (default deny); a type or field named
 * here that the schema lacks fails at startup (graphql-shield's ValidationError), so typos surface.
 */
export type RuleTree = { readonly [typeName: string]: ShieldRule | FieldRules };

/** Duck-typed like graphql-shield's own isRuleFunction (its classes are not exported). */
export function isShieldRule(value: unknown): value is ShieldRule {
  if (value === null || typeof value !== 'object') return false;
  const candidate = value as { resolve?: unknown; extractFragment?: unknown; getRules?: unknown };
  return typeof candidate.resolve === 'function' && (typeof candidate.extractFragment === 'function' || typeof candidate.getRules === 'function');
}

/** Throws on a tree graphql-shield would silently misread (a non-rule value turns a whole type into the fallback). */
export function assertRuleTree(tree: RuleTree): void {
  if (tree === null || typeof tree !== 'object') throw new TypeError('authz: the rule tree must be an object of type names');
  for (const [typeName, value] of Object.entries(tree)) {
    if (isShieldRule(value)) continue;
    if (value === null || typeof value !== 'object') throw new TypeError(`authz: rules for ${typeName} must be a rule or a map of field rules`);
    for (const [fieldName, fieldRule] of Object.entries(value)) {
      if (!isShieldRule(fieldRule)) throw new TypeError(`authz: ${typeName}.${fieldName} is not a rule`);
    }
  }
}
