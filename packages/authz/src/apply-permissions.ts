import { isInterfaceType, isObjectType, isUnionType, type GraphQLSchema } from 'graphql';
import { applyMiddleware } from 'graphql-middleware';
import type { Permissions } from './create-permissions';

type SubgraphExtensions = { apollo?: { subgraph?: { resolveReference?: unknown } } };

function resolveReferenceOf(extensions: unknown): unknown {
  return (extensions as SubgraphExtensions | null | undefined)?.apollo?.subgraph?.resolveReference;
}

/**
 * Carries what @apollo/subgraph keeps outside field resolvers from `from` to `to`, where `to` lacks it:
 * `__resolveReference` (stored in 2.x as `type.extensions.apollo.subgraph.resolveReference` on object
 * and interface types, read by the `_entities` resolver from `info.schema`) and `resolveType` of
 * unions and interfaces (`_Entity`). graphql-middleware 6.1.35 keeps both today (mapSchema copies
 * extensions); this guards against a version that does not. Returns the type names it repaired.
 */
export function restoreFederationResolvers(from: GraphQLSchema, to: GraphQLSchema): string[] {
  const repaired: string[] = [];
  for (const [name, source] of Object.entries(from.getTypeMap())) {
    const target = to.getType(name);
    if (!target) continue;
    if ((isObjectType(source) || isInterfaceType(source)) && (isObjectType(target) || isInterfaceType(target))) {
      const resolveReference = resolveReferenceOf(source.extensions);
      if (resolveReference && resolveReferenceOf(target.extensions) !== resolveReference) {
        const extensions = (target.extensions ?? {}) as SubgraphExtensions & Record<string, unknown>;
        target.extensions = {
          ...extensions,
          apollo: { ...extensions.apollo, subgraph: { ...extensions.apollo?.subgraph, resolveReference } },
        };
        repaired.push(name);
      }
    }
    if ((isUnionType(source) || isInterfaceType(source)) && (isUnionType(target) || isInterfaceType(target))) {
      if (source.resolveType && !target.resolveType) {
        target.resolveType = source.resolveType;
        repaired.push(name);
      }
    }
  }
  return repaired;
}

/**
 * A new schema with the permissions applied to every field of every object type (the input schema is
 * left as it was). Works on schemas from buildSubgraphSchema: `_entities` still reaches each type's
 * `__resolveReference`, and `_service { sdl }` still answers the SDL.
 */
export function applyPermissions(schema: GraphQLSchema, permissions: Permissions): GraphQLSchema {
  const wrapped = applyMiddleware(schema, permissions);
  restoreFederationResolvers(schema, wrapped);
  return wrapped;
}
