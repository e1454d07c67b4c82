import { isObjectType, type GraphQLSchema } from 'graphql';
import { publicField } from './rules';
import { isShieldRule, type FieldRules, type RuleTree, type ShieldRule } from './rule-tree';

/**
 * Federation plumbing every subgraph must answer for the router:
 * - Query._service (the SDL, read by composition and the router);
 * - Query._entities (entity fetches; what each caller may see is decided on the entity types'
 *   own fields, by ownsParent, because _entities only returns objects);
 * - every field of _Service.
 * `_Entity` is a union and `_Any`/`FieldSet` are scalars: graphql-shield only wraps object types' fields.
 */
export const FEDERATION_QUERY_FIELDS = ['_service', '_entities'] as const;
export const FEDERATION_TYPES = ['_Service'] as const;

function hasField(schema: GraphQLSchema | undefined, typeName: string, fieldName: string): boolean {
  if (!schema) return true;
  const type = schema.getType(typeName);
  return isObjectType(type) && Object.hasOwn(type.getFields(), fieldName);
}

/**
 * Returns the tree with the federation plumbing allowed. Explicit rules in `tree` win. With a schema,
 * only what the schema has is added (a subgraph without entities has no `_entities`, and
 * graphql-shield refuses rules for fields it cannot find).
 */
export function withFederationDefaults(tree: RuleTree, schema?: GraphQLSchema): RuleTree {
  const out: Record<string, ShieldRule | FieldRules> = { ...tree };
  const queryName = schema?.getQueryType()?.name ?? 'Query';
  const fields = FEDERATION_QUERY_FIELDS.filter((field) => hasField(schema, queryName, field));
  if (fields.length > 0) {
    const current = out[queryName];
    const query: Record<string, ShieldRule> = current === undefined ? {} : isShieldRule(current) ? { '*': current } : { ...current };
    for (const field of fields) {
      if (!Object.hasOwn(query, field)) query[field] = publicField;
    }
    out[queryName] = query;
  }
  for (const typeName of FEDERATION_TYPES) {
    if ((!schema || isObjectType(schema.getType(typeName))) && out[typeName] === undefined) out[typeName] = publicField;
  }
  return out;
}
