import { buildSubgraphSchema } from '@apollo/subgraph';
import { graphql, parse, type GraphQLSchema } from 'graphql';
import { badInput, createErrorFormatter } from '@baas/errors';
import { missingRecord, requireIdentity } from '@baas/auth';
import {
  and,
  hasScope,
  isAuthenticated,
  isCustomer,
  isInternal,
  ownsParent,
  or,
  publicField,
  requireStepUp,
  rule,
  sameTenantAsArg,
  isSelf,
  type AuthzContext,
  type AuthzIdentity,
  type RuleTree,
} from '../src/index';

export type CustomerRow = { id: string; tenantId: string; name: string; email: string; internalNote: string };

export const CUSTOMERS: ReadonlyMap<string, CustomerRow> = new Map(
  [
    { id: 'c1', tenantId: 't1', name: 'Alice', email: 'alice@example.com', internalNote: 'vip' },
    { id: 'c2', tenantId: 't1', name: 'Bob', email: 'bob@example.com', internalNote: 'watch' },
    { id: 'c3', tenantId: 't2', name: 'Carol', email: 'carol@example.com', internalNote: '' },
  ].map((row) => [row.id, row]),
);

export const typeDefs = parse(/* GraphQL */ `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

  type Customer @key(fields: "id") {
    id: ID!
    tenantId: ID!
    name: String!
    email: String
    internalNote: String
  }

  "A type the rule tree does not mention: every field denied."
  type Account {
    id: ID!
  }

  input TransferInput {
    amount: String!
    to: ID!
  }

  type Query {
    customer(id: ID!): Customer
    me: Customer
    ping: String
    "Not in the rule tree: denied."
    hidden: String
    account(id: ID!): Account
    tenantStats(tenantId: ID!): Int
    "Its rule throws: graphql-shield turns that into a plain denial."
    brittle: String
  }

  type Mutation {
    signIn(email: String!): String
    renameCustomer(id: ID!, name: String!): Customer
    transfer(input: TransferInput!): String
    closeAccount(id: ID!): String
    failing: String
    crashing: String
    scoped: String
  }
`);

export const resolvers = {
  Customer: {
    __resolveReference: (ref: { id: string }) => CUSTOMERS.get(ref.id) ?? null,
  },
  Query: {
    customer: (_: unknown, args: { id: string }, ctx: AuthzContext) => {
      const found = CUSTOMERS.get(args.id);
      if (!found) throw missingRecord(requireIdentity(ctx.identity), 'Customer');
      return found;
    },
    me: (_: unknown, _args: unknown, ctx: AuthzContext) => CUSTOMERS.get(ctx.identity?.subject ?? '') ?? null,
    ping: () => 'pong',
    hidden: () => 'secret',
    account: (_: unknown, args: { id: string }) => ({ id: args.id }),
    tenantStats: () => 42,
    brittle: () => 'never',
  },
  Mutation: {
    signIn: () => 'a-token',
    renameCustomer: (_: unknown, args: { id: string; name: string }) => {
      const found = CUSTOMERS.get(args.id);
      return found ? { ...found, name: args.name } : null;
    },
    transfer: () => 'sent',
    closeAccount: () => 'closed',
    failing: () => {
      throw badInput('Amount must be positive.', { field: 'amount' });
    },
    crashing: () => {
      throw new Error('connection to postgres://secret failed');
    },
    scoped: () => 'ok',
  },
};

export const customerOwner = ownsParent((customer: CustomerRow) => ({ tenantId: customer.tenantId, customerId: customer.id }));

export const ruleTree: RuleTree = {
  Query: {
    customer: isAuthenticated,
    me: isCustomer,
    ping: publicField,
    account: isInternal,
    tenantStats: or(isInternal, sameTenantAsArg('tenantId')),
    brittle: rule('brittle')(() => {
      throw new Error('rule bug');
    }),
  },
  Mutation: {
    signIn: publicField,
    renameCustomer: or(isInternal, isSelf('id')),
    transfer: and(isAuthenticated, requireStepUp('LARGE_TRANSFER', { amountArg: 'input.amount' })),
    closeAccount: and(isAuthenticated, requireStepUp('CLOSE_ACCOUNT')),
    failing: isAuthenticated,
    crashing: isAuthenticated,
    // The same parameterised rule twice in one tree: memoised, so graphql-shield sees one definition.
    scoped: and(hasScope('customers:write'), or(isInternal, hasScope('customers:write'))),
  },
  Customer: {
    '*': customerOwner,
    internalNote: and(isInternal, customerOwner),
  },
};

export function buildSchema(): GraphQLSchema {
  return buildSubgraphSchema({ typeDefs, resolvers: resolvers as never });
}

export const who = {
  alice: { subject: 'c1', kind: 'customer', tenantId: 't1', scopes: [] },
  bob: { subject: 'c2', kind: 'customer', tenantId: 't1', scopes: [] },
  carol: { subject: 'c3', kind: 'customer', tenantId: 't2', scopes: [] },
  client: { subject: 'client-1', kind: 'api_client', tenantId: 't1', scopes: ['customers:write'] },
  otherClient: { subject: 'client-2', kind: 'api_client', tenantId: 't2', scopes: [] },
  operator: { subject: 'op-1', kind: 'operator', tenantId: null, scopes: [] },
  service: { subject: 'payments', kind: 'service', tenantId: null, scopes: [] },
} as const satisfies Record<string, AuthzIdentity>;

const formatError = createErrorFormatter();

export type Outcome = {
  data: Record<string, unknown> | null | undefined;
  errors: { message: string; path?: readonly (string | number)[]; code: unknown; details?: unknown }[];
};

/** Runs an operation the way a subgraph would, with a fresh context, and formats errors as clients see them. */
export async function run(
  schema: GraphQLSchema,
  source: string,
  identity: AuthzIdentity | null,
  variableValues?: Record<string, unknown>,
): Promise<Outcome> {
  const contextValue = { identity, correlationId: 'test', logger: undefined };
  const result = await graphql({ schema, source, contextValue, variableValues });
  const errors = (result.errors ?? []).map((error) => {
    const formatted = formatError(error.toJSON(), error);
    return { message: formatted.message, path: formatted.path, code: formatted.extensions?.code, details: formatted.extensions?.details };
  });
  // graphql-js builds null-prototype objects; plain ones compare with deepEqual.
  const data = result.data === undefined ? undefined : (JSON.parse(JSON.stringify(result.data)) as Outcome['data']);
  return { data, errors };
}

export function codes(outcome: Outcome): unknown[] {
  return outcome.errors.map((error) => error.code);
}
