import { Kind, type DocumentNode, type FragmentDefinitionNode, type OperationDefinitionNode, type SelectionSetNode, type ValueNode } from 'graphql';
import type { ApolloServerPlugin } from '@apollo/server';
import { codedGraphQLError } from '@baas/errors';

export type OperationMeasure = { depth: number; aliases: number; cost: number };
export type QueryLimits = { maxDepth: number; maxAliases: number; maxCost: number };

const LIST_SIZE_ARGS = new Set(['first', 'last', 'limit', 'take']);
const DEFAULT_LIST_SIZE = 10;

function listSize(args: readonly { name: { value: string }; value: ValueNode }[] | undefined, variables: Record<string, unknown>): number | undefined {
  for (const arg of args ?? []) {
    if (!LIST_SIZE_ARGS.has(arg.name.value)) continue;
    if (arg.value.kind === Kind.INT) return Number(arg.value.value);
    if (arg.value.kind === Kind.VARIABLE) {
      const v = variables[arg.value.name.value];
      return typeof v === 'number' ? v : DEFAULT_LIST_SIZE;
    }
  }
  return undefined;
}

/**
 * Depth, alias count and a cost estimate of one operation, with fragments expanded. Introspection
 * fields (`__schema`, `__type`) are not counted, so the IDE keeps working under tight limits.
 * Cost: each field costs 1 times the page sizes (first/last/limit) of the lists above it.
 */
export function measureOperation(document: DocumentNode, operationName: string | null | undefined, variables: Record<string, unknown> = {}): OperationMeasure {
  const fragments = new Map<string, FragmentDefinitionNode>();
  let operation: OperationDefinitionNode | undefined;
  for (const def of document.definitions) {
    if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);
    if (def.kind === Kind.OPERATION_DEFINITION && (!operationName || def.name?.value === operationName)) operation ??= def;
  }
  const result: OperationMeasure = { depth: 0, aliases: 0, cost: 0 };
  if (!operation) return result;

  const walk = (set: SelectionSetNode, depth: number, multiplier: number, seen: Set<string>): void => {
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        if (selection.name.value.startsWith('__')) continue;
        if (selection.alias) result.aliases += 1;
        result.depth = Math.max(result.depth, depth);
        result.cost += multiplier;
        if (selection.selectionSet) {
          const size = listSize(selection.arguments, variables) ?? 1;
          walk(selection.selectionSet, depth + 1, multiplier * Math.max(1, size), seen);
        }
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        walk(selection.selectionSet, depth, multiplier, seen);
      } else {
        const name = selection.name.value;
        const fragment = fragments.get(name);
        if (!fragment || seen.has(name)) continue; // cycles are rejected by validation anyway
        walk(fragment.selectionSet, depth, multiplier, new Set([...seen, name]));
      }
    }
  };
  walk(operation.selectionSet, 1, 1, new Set());
  return result;
}

/** Rejects operations over the limits before any subgraph is called, with coded errors. */
export function useQueryLimits(limits: QueryLimits): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, operationName, request }) {
          const m = measureOperation(document, operationName, request.variables ?? {});
          if (m.depth > limits.maxDepth) {
            throw codedGraphQLError('QUERY_TOO_DEEP', `The query depth ${m.depth} exceeds the limit of ${limits.maxDepth}.`, { limit: limits.maxDepth });
          }
          if (m.aliases > limits.maxAliases) {
            throw codedGraphQLError('TOO_MANY_ALIASES', `The query uses ${m.aliases} aliases; the limit is ${limits.maxAliases}.`, { limit: limits.maxAliases });
          }
          if (m.cost > limits.maxCost) {
            throw codedGraphQLError('QUERY_TOO_COMPLEX', `The query cost ${m.cost} exceeds the limit of ${limits.maxCost}.`, { limit: limits.maxCost });
          }
        },
      };
    },
  };
}
