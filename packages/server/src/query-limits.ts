import {
  buildASTSchema,
  getNamedType,
  getNullableType,
  isCompositeType,
  isInterfaceType,
  isListType,
  isObjectType,
  Kind,
  parse,
  type ConstDirectiveNode,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';
import type { ApolloServerPlugin } from '@apollo/server';
import { codedGraphQLError } from '@baas/errors';

/**
 * Query limits that read the schema: depth, aliases and a cost estimate computed in one pass over
 * the document, each fragment measured once (memoised), so a fragment bomb is refused in linear
 * time whatever its nesting.
 *
 * The cost of an operation is the number of objects it can return, at worst:
 * - each object (or interface, union) returned costs 1, a scalar or enum 0 (`@cost(weight:)` on the
 *   type overrides it); a root mutation field adds 10 once (`@cost` on a field sets what it adds);
 * - a list multiplies its items' cost by its size: the effective value of its slicing argument
 *   (`@listSize(slicingArguments:)`, else an Int argument named first/last/limit/take): the
 *   request's variable, the variable's default, the literal, the schema's default; a batch lookup
 *   (a list field with a list argument, like `ledgerAccounts(ids:)`) has the length of that list;
 *   with nothing given, the field's `@listSize(assumedSize:)` (its documented maximum) or the
 *   configured default;
 * - a page (a non-list field with a slicing argument, like `statement(first:)`) gives that size to
 *   its list fields (`@listSize(sizedFields:)`, else every list field selected in it);
 * - sizes multiply through nesting.
 */
export type OperationMeasure = { depth: number; aliases: number; cost: number };
export type QueryLimits = { maxDepth: number; maxAliases: number; maxCost: number; maxOperationNameLength?: number };

/** What the cost estimate knows about a schema: types, `@listSize`/`@cost`, the default list size. */
export type CostSchema = { schema: GraphQLSchema; defaultListSize: number };

const SLICING_NAMES = new Set(['first', 'last', 'limit', 'take']);
const MUTATION_WEIGHT = 10;

/** A cost schema from an SDL with its directive definitions (a supergraph, or a subgraph's built schema). */
export function costSchemaFromSdl(sdl: string, opts: { defaultListSize: number }): CostSchema {
  return { schema: buildASTSchema(parse(sdl), { assumeValidSDL: true }), defaultListSize: opts.defaultListSize };
}

export function costSchemaOf(schema: GraphQLSchema, opts: { defaultListSize: number }): CostSchema {
  return { schema, defaultListSize: opts.defaultListSize };
}

type ListSize = { assumedSize?: number; slicingArguments?: string[]; sizedFields?: string[] };

function directive(directives: readonly ConstDirectiveNode[] | undefined, name: string): ConstDirectiveNode | undefined {
  // Composition keeps `@listSize`/`@cost` under their own names, or prefixed when not imported.
  return directives?.find((d) => d.name.value === name || d.name.value === `cost__${name}` || d.name.value === `federation__${name}`);
}

function listSizeOf(field: GraphQLField<unknown, unknown>): ListSize | undefined {
  const d = directive(field.astNode?.directives, 'listSize');
  if (!d) return undefined;
  const out: ListSize = {};
  for (const arg of d.arguments ?? []) {
    if (arg.name.value === 'assumedSize' && arg.value.kind === Kind.INT) out.assumedSize = Number(arg.value.value);
    const strings = arg.value.kind === Kind.LIST ? arg.value.values.flatMap((v) => (v.kind === Kind.STRING ? [v.value] : [])) : arg.value.kind === Kind.STRING ? [arg.value.value] : undefined;
    if (arg.name.value === 'slicingArguments' && strings) out.slicingArguments = strings;
    if (arg.name.value === 'sizedFields' && strings) out.sizedFields = strings;
  }
  return out;
}

function costOf(directives: readonly ConstDirectiveNode[] | undefined): number | undefined {
  const weight = directive(directives, 'cost')?.arguments?.find((a) => a.name.value === 'weight')?.value;
  return weight?.kind === Kind.INT ? Number(weight.value) : undefined;
}

/** The slicing arguments of a field: those its `@listSize` names, else its Int arguments named first/last/limit/take. */
export function slicingArgumentsOf(field: GraphQLField<unknown, unknown>): string[] {
  const declared = listSizeOf(field)?.slicingArguments;
  if (declared) return declared;
  return field.args.filter((a) => SLICING_NAMES.has(a.name) && getNamedType(a.type).name === 'Int' && !isListType(getNullableType(a.type))).map((a) => a.name);
}

/** The documented maximum size of a list field (its `@listSize(assumedSize:)`), if the schema gives one. */
export function documentedListSize(field: GraphQLField<unknown, unknown>): number | undefined {
  return listSizeOf(field)?.assumedSize;
}

export class QueryLimitError extends Error {
  constructor(readonly code: 'QUERY_TOO_COMPLEX', message: string) {
    super(message);
  }
}

type Measure = { cost: number; height: number; aliases: number };
type Sized = { fields: readonly string[] | null; size: number };

/** A page size as given; at least 1, since an empty page is still planned and sent (`first: 0` never hides a subtree). */
function finiteSize(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? Math.max(1, value) : undefined;
}

/**
 * Depth, aliases and cost of one operation (see the module comment). Introspection fields are not
 * counted (they are gated separately). A fragment cycle is refused (`QueryLimitError`), though
 * validation refuses it too: this can run before validation.
 */
export function measureOperation(
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Record<string, unknown> = {},
  costSchema?: CostSchema,
): OperationMeasure {
  const fragments = new Map<string, FragmentDefinitionNode>();
  let operation: OperationDefinitionNode | undefined;
  for (const def of document.definitions) {
    if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);
    if (def.kind === Kind.OPERATION_DEFINITION && (!operationName || def.name?.value === operationName)) operation ??= def;
  }
  if (!operation) return { depth: 0, aliases: 0, cost: 0 };
  const schema = costSchema?.schema;
  const defaultListSize = costSchema?.defaultListSize ?? 10;

  const variableDefaults = new Map<string, ValueNode>();
  for (const def of operation.variableDefinitions ?? []) if (def.defaultValue) variableDefaults.set(def.variable.name.value, def.defaultValue);
  const variableValue = (name: string): unknown => {
    if (variables[name] !== undefined && variables[name] !== null) return variables[name];
    const fallback = variableDefaults.get(name);
    return fallback ? literal(fallback) : undefined;
  };
  const literal = (node: ValueNode): unknown => {
    switch (node.kind) {
      case Kind.INT:
      case Kind.FLOAT:
        return Number(node.value);
      case Kind.LIST:
        return node.values; // only its length is read
      case Kind.VARIABLE:
        return variableValue(node.name.value);
      case Kind.NULL:
        return undefined;
      default:
        return node;
    }
  };
  const argValue = (field: GraphQLField<unknown, unknown> | undefined, args: readonly { name: { value: string }; value: ValueNode }[] | undefined, name: string): unknown => {
    const given = args?.find((a) => a.name.value === name);
    const value = given ? literal(given.value) : undefined;
    if (value !== undefined) return value;
    return field?.args.find((a) => a.name === name)?.defaultValue ?? undefined;
  };

  const rootType =
    operation.operation === 'mutation' ? schema?.getMutationType() : operation.operation === 'subscription' ? schema?.getSubscriptionType() : schema?.getQueryType();
  const mutationRoot = operation.operation === 'mutation' ? rootType : undefined;

  const memo = new Map<string, Measure>();
  const inProgress = new Set<string>();

  const walk = (set: SelectionSetNode, parent: GraphQLNamedType | undefined | null, sized: Sized | undefined): Measure => {
    const out: Measure = { cost: 0, height: 0, aliases: 0 };
    const add = (m: Measure, times = 1) => {
      out.cost += m.cost * times;
      out.aliases += m.aliases;
      out.height = Math.max(out.height, m.height);
    };
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        const name = selection.name.value;
        if (name.startsWith('__')) continue;
        if (selection.alias) out.aliases += 1;
        const def = parent && (isObjectType(parent) || isInterfaceType(parent)) ? parent.getFields()[name] : undefined;
        const named = def ? getNamedType(def.type) : undefined;
        const isList = def ? isListType(getNullableType(def.type)) : false;
        const composite = named ? isCompositeType(named) : Boolean(selection.selectionSet);
        // Once per field: its own `@cost`, or 10 for a root mutation field. Per item: its type's `@cost`, or 1 for an object.
        const fieldWeight = (def ? costOf(def.astNode?.directives) : undefined) ?? (mutationRoot && parent === mutationRoot ? MUTATION_WEIGHT : 0);
        const itemWeight = (named ? costOf(named.astNode?.directives) : undefined) ?? (composite ? 1 : 0);

        const listSize = def ? listSizeOf(def) : undefined;
        const slicing = def ? slicingArgumentsOf(def) : [];
        const sliced = slicing.map((a) => finiteSize(argValue(def, selection.arguments, a))).filter((v): v is number => v !== undefined);
        const sliceSize = sliced.length ? Math.max(...sliced) : undefined;

        let size = 1;
        if (isList) {
          if (sized && (sized.fields === null || sized.fields.includes(name))) size = sized.size;
          else if (sliceSize !== undefined) size = sliceSize;
          else {
            // A batch lookup returns at most one item per key it is given.
            const lengths = (def?.args ?? [])
              .filter((a) => isListType(getNullableType(a.type)))
              .map((a) => argValue(def, selection.arguments, a.name))
              .filter((v) => v !== undefined)
              .map((v) => (Array.isArray(v) ? v.length : 1));
            size = lengths.length ? Math.max(...lengths) : (listSize?.assumedSize ?? defaultListSize);
          }
        }
        // A page (not itself a list) sizes the lists selected in it.
        const childSized: Sized | undefined =
          !isList && slicing.length > 0 ? { fields: listSize?.sizedFields ?? null, size: sliceSize ?? listSize?.assumedSize ?? defaultListSize } : undefined;
        const child = selection.selectionSet ? walk(selection.selectionSet, named ?? null, childSized) : { cost: 0, height: 0, aliases: 0 };
        out.cost += fieldWeight + size * (itemWeight + child.cost);
        out.aliases += child.aliases;
        out.height = Math.max(out.height, child.height + 1);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition ? (schema?.getType(selection.typeCondition.name.value) ?? null) : parent;
        add(walk(selection.selectionSet, type, sized));
      } else {
        const name = selection.name.value;
        const fragment = fragments.get(name);
        if (!fragment) continue; // validation reports it
        const key = `${name}|${sized ? `${sized.size}:${sized.fields?.join(',') ?? '*'}` : ''}`;
        let m = memo.get(key);
        if (!m) {
          if (inProgress.has(key)) throw new QueryLimitError('QUERY_TOO_COMPLEX', `The fragment ${name} spreads itself.`);
          inProgress.add(key);
          m = walk(fragment.selectionSet, schema?.getType(fragment.typeCondition.name.value) ?? null, sized);
          inProgress.delete(key);
          memo.set(key, m);
        }
        add(m);
      }
    }
    return out;
  };
  const m = walk(operation.selectionSet, rootType ?? null, undefined);
  return { depth: m.height, aliases: m.aliases, cost: m.cost };
}

/**
 * Refuses, with coded errors and before anything is executed or planned, operations over the
 * limits: QUERY_TOO_DEEP, TOO_MANY_ALIASES, QUERY_TOO_COMPLEX, and BAD_REQUEST for an operation
 * name over `maxOperationNameLength` (the gateway repeats it in every subgraph call).
 */
export function useQueryLimits(limits: QueryLimits, costSchema?: CostSchema): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, operationName, request }) {
          const maxName = limits.maxOperationNameLength;
          if (maxName !== undefined) {
            for (const def of document.definitions) {
              const name = 'name' in def ? def.name?.value : undefined;
              if (name && name.length > maxName) {
                throw codedGraphQLError('BAD_REQUEST', `Operation and fragment names may have at most ${maxName} characters.`, { limit: maxName, http: { status: 400 } });
              }
            }
          }
          let m: OperationMeasure;
          try {
            m = measureOperation(document, operationName, request.variables ?? {}, costSchema);
          } catch (error) {
            if (error instanceof QueryLimitError) throw codedGraphQLError(error.code, error.message, { limit: limits.maxCost });
            throw error;
          }
          if (m.depth > limits.maxDepth) {
            throw codedGraphQLError('QUERY_TOO_DEEP', `The query depth ${m.depth} exceeds the limit of ${limits.maxDepth}.`, { limit: limits.maxDepth });
          }
          if (m.aliases > limits.maxAliases) {
            throw codedGraphQLError('TOO_MANY_ALIASES', `The query uses ${m.aliases} aliases; the limit is ${limits.maxAliases}.`, { limit: limits.maxAliases });
          }
          if (m.cost > limits.maxCost) {
            throw codedGraphQLError('QUERY_TOO_COMPLEX', `The query cost ${formatCost(m.cost)} exceeds the limit of ${limits.maxCost}.`, { limit: limits.maxCost });
          }
        },
      };
    },
  };
}

function formatCost(cost: number): string {
  return Number.isFinite(cost) && cost < 1e15 ? String(Math.round(cost)) : 'over 10^15';
}
