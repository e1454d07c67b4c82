import { responsePathAsArray, type GraphQLResolveInfo } from 'graphql';
import { middleware, type IMiddleware, type IMiddlewareGenerator } from 'graphql-middleware';
import { deny, shield } from 'graphql-shield';
import { DomainError, forbidden } from '@baas/errors';
import type { AuthzContext, AuthzIdentity } from './context';
import { withFederationDefaults } from './federation';
import { assertRuleTree, type RuleTree } from './rule-tree';
import { denial, identityOf } from './rules';

export type DeniedInfo = {
  identity: AuthzIdentity | null;
  typeName: string;
  fieldName: string;
  /** The code the client gets: UNAUTHENTICATED, FORBIDDEN, or whatever DomainError a rule returned. */
  code: string;
  /** The response path, e.g. ['_entities', 0, 'email']. */
  path: ReadonlyArray<string | number>;
};

export type PermissionsOptions = {
  /** Called once per denied field (audit log, metrics). Its errors are swallowed: they never change the outcome. */
  onDenied?: (info: DeniedInfo) => void;
};

export type Permissions = IMiddlewareGenerator<unknown, AuthzContext, unknown>;

/**
 * What graphql-shield returns when a rule answers plain `false` (deny, the fallback rule, a rule that
 * threw). The guard below replaces it with UNAUTHENTICATED or FORBIDDEN depending on the caller.
 */
const FALLBACK_DENIAL = forbidden();

/** graphql-middleware's field middleware (its type is not exported under this name). */
type IMiddlewareResolver = (
  resolve: (parent?: unknown, args?: unknown, context?: unknown, info?: GraphQLResolveInfo) => unknown,
  parent: unknown,
  args: unknown,
  context: unknown,
  info: GraphQLResolveInfo,
) => Promise<unknown>;

type FieldMiddleware = IMiddlewareResolver | { fragment?: string; fragments?: string[]; resolve?: IMiddlewareResolver };

/** A denial's error: a DomainError a rule chose, else UNAUTHENTICATED without an identity and FORBIDDEN with one. */
function denialError(result: unknown, identity: AuthzIdentity | null): DomainError {
  if (result instanceof DomainError && result !== FALLBACK_DENIAL) return result;
  return denial(identity);
}

/**
 * Wraps graphql-shield's field middleware: the field was denied exactly when shield never called the
 * resolver. Denials are thrown as DomainErrors (and reported); the resolver's own result or error
 * (allowExternalErrors) passes through untouched.
 */
function guardField(fieldMiddleware: FieldMiddleware, typeName: string, fieldName: string, onDenied: PermissionsOptions['onDenied']): FieldMiddleware {
  const run = typeof fieldMiddleware === 'function' ? fieldMiddleware : fieldMiddleware.resolve;
  if (!run) return fieldMiddleware;
  const guarded: IMiddlewareResolver = async (resolve, parent, args, ctx, info) => {
    let reached = false;
    const result = await run(
      (...resolverArgs: [unknown?, unknown?, unknown?, GraphQLResolveInfo?]) => {
        reached = true;
        return resolve(...resolverArgs);
      },
      parent,
      args,
      ctx,
      info,
    );
    if (reached) return result;
    const identity = identityOf(ctx);
    const error = denialError(result, identity);
    if (onDenied) {
      try {
        onDenied({ identity, typeName, fieldName, code: error.code, path: responsePathAsArray(info.path) });
      } catch {
        // A failing audit hook must not turn a denial into something else.
      }
    }
    throw error;
  };
  return typeof fieldMiddleware === 'function' ? guarded : { ...fieldMiddleware, resolve: guarded };
}

function guardAll(generated: IMiddleware, onDenied: PermissionsOptions['onDenied']): IMiddleware {
  const out: Record<string, Record<string, FieldMiddleware>> = {};
  for (const [typeName, fields] of Object.entries(generated as Record<string, Record<string, FieldMiddleware>>)) {
    out[typeName] = {};
    for (const [fieldName, fieldMiddleware] of Object.entries(fields)) {
      out[typeName][fieldName] = guardField(fieldMiddleware, typeName, fieldName, onDenied);
    }
  }
  return out as IMiddleware;
}

/**
 * The permission layer for one subgraph: graphql-shield over `ruleTree` plus the federation plumbing
 * (withFederationDefaults), with default deny (`fallbackRule: deny`), resolvers' own errors passed
 * through (`allowExternalErrors`), FORBIDDEN as the fallback error and no debug output. Every denied
 * field fails with a DomainError: UNAUTHENTICATED for a caller without identity, FORBIDDEN otherwise
 * (or the DomainError a rule returned, e.g. a step-up demand). Apply with applyPermissions.
 *
 * `__typename` and introspection (`__schema`, `__type`) are never checked: they are not in any
 * type's field map, which is all graphql-shield and graphql-middleware wrap.
 */
export function createPermissions(ruleTree: RuleTree, opts: PermissionsOptions = {}): Permissions {
  assertRuleTree(ruleTree);
  const options = {
    fallbackRule: deny,
    allowExternalErrors: true,
    fallbackError: FALLBACK_DENIAL,
    debug: false,
  };
  // Fails now, not at the first request, on duplicate rule names.
  shield(withFederationDefaults(ruleTree), options);
  return middleware((schema) => {
    const generated = shield(withFederationDefaults(ruleTree, schema), options).generate(schema);
    return guardAll(generated, opts.onDenied);
  }) as Permissions;
}
