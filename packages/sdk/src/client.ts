import { print, type DocumentNode } from 'graphql';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';

export type GraphQLResponse<T> = {
  status: number;
  headers: Headers;
  data?: T | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
};

/** A minimal typed GraphQL-over-HTTP client for tests and benchmarks (typed by the generated SDK's documents). */
export async function graphqlRequest<TData, TVariables>(opts: {
  url: string;
  document: TypedDocumentNode<TData, TVariables> | DocumentNode;
  variables?: TVariables;
  token?: string;
  headers?: Record<string, string>;
}): Promise<GraphQLResponse<TData>> {
  const response = await fetch(opts.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
      ...opts.headers,
    },
    body: JSON.stringify({ query: print(opts.document), variables: opts.variables ?? {} }),
  });
  const body = (await response.json()) as Omit<GraphQLResponse<TData>, 'status' | 'headers'>;
  return { status: response.status, headers: response.headers, ...body };
}
