import { print, type DocumentNode } from 'graphql';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { BaasError, type GraphQLErrorEntry } from './errors.js';

/** A bearer token, or a function returning the current one (e.g. after a refresh); undefined: no header. */
export type TokenProvider = string | undefined | (() => string | undefined | Promise<string | undefined>);

export type BaasClientOptions = {
  /** The gateway's GraphQL endpoint, e.g. http://localhost:4000/graphql. */
  endpoint: string;
  /** The access token sent as `authorization: Bearer <token>`. */
  token?: TokenProvider;
  /** Extra headers on every request (a header given to `request` wins). */
  headers?: Record<string, string>;
  /** Automatic persisted queries: send the operation's sha256 first, the full text only when the gateway asks. */
  persistedQueries?: boolean;
  /** The fetch to use (default: globalThis.fetch; Node 20+, browsers, React Native). */
  fetch?: typeof fetch;
};

export type RequestOptions = { headers?: Record<string, string>; signal?: AbortSignal };

type Body = { data?: unknown; errors?: GraphQLErrorEntry[] };

/**
 * A small typed GraphQL client for the BaaS API: `request(document, variables)` returns the operation's
 * data, typed by the generated document, or throws a BaasError carrying `extensions.code`.
 */
export type BaasClient = {
  request<TData, TVariables extends Record<string, unknown> = Record<string, never>>(
    document: TypedDocumentNode<TData, TVariables>,
    ...rest: Record<string, never> extends TVariables ? [variables?: TVariables, options?: RequestOptions] : [variables: TVariables, options?: RequestOptions]
  ): Promise<TData>;
};

async function sha256Hex(text: string): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

function operationName(document: DocumentNode): string | undefined {
  for (const d of document.definitions) if (d.kind === 'OperationDefinition' && d.name) return d.name.value;
  return undefined;
}

export function createBaasClient(options: BaasClientOptions): BaasClient {
  const doFetch = options.fetch ?? globalThis.fetch;
  const texts = new WeakMap<DocumentNode, { query: string; hash?: string }>();
  let persisted = options.persistedQueries === true; // off for good once the gateway says it has no APQ

  async function token(): Promise<string | undefined> {
    return typeof options.token === 'function' ? options.token() : options.token;
  }

  async function post(payload: Record<string, unknown>, request?: RequestOptions): Promise<{ status: number; body: Body }> {
    const bearer = await token();
    let response: Response;
    try {
      response = await doFetch(options.endpoint, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/graphql-response+json, application/json',
          ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
          ...options.headers,
          ...request?.headers,
        },
        body: JSON.stringify(payload),
        ...(request?.signal ? { signal: request.signal } : {}),
      });
    } catch (cause) {
      throw new BaasError({ message: 'The API could not be reached.', code: 'NETWORK_ERROR', status: 0, cause });
    }
    let body: Body;
    try {
      body = (await response.json()) as Body;
    } catch (cause) {
      throw new BaasError({ message: `The API answered HTTP ${response.status} without a GraphQL response.`, code: 'NETWORK_ERROR', status: response.status, cause });
    }
    return { status: response.status, body };
  }

  return {
    async request(document: DocumentNode, ...rest: [Record<string, unknown>?, RequestOptions?]) {
      const [variables = {}, request] = rest;
      let text = texts.get(document);
      if (!text) texts.set(document, (text = { query: print(document) }));
      const base = { operationName: operationName(document), variables };
      let result: { status: number; body: Body } | undefined;
      if (persisted) {
        text.hash ??= await sha256Hex(text.query);
        const extensions = { persistedQuery: { version: 1, sha256Hash: text.hash } };
        result = await post({ ...base, extensions }, request);
        const code = result.body.errors?.[0]?.extensions?.code;
        if (code === 'PERSISTED_QUERY_NOT_FOUND') result = await post({ ...base, query: text.query, extensions }, request);
        if (code === 'PERSISTED_QUERY_NOT_SUPPORTED') [persisted, result] = [false, undefined];
      }
      result ??= await post({ ...base, query: text.query }, request);
      const { status, body } = result;
      if (body.errors?.length || body.data == null) {
        const first = body.errors?.[0];
        const code = typeof first?.extensions?.code === 'string' ? first.extensions.code : 'INTERNAL_SERVER_ERROR';
        throw new BaasError({ message: first?.message ?? `The API answered HTTP ${status} without data.`, code, status, errors: body.errors ?? [], data: body.data });
      }
      return body.data;
    },
  } as BaasClient;
}
