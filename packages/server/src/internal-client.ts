import { CORRELATION_HEADER, IDENTITY_HEADER, signIdentityAssertion, type Identity } from '@baas/auth';
import { getRequestContext } from '@baas/observability';
import { print, type DocumentNode } from 'graphql';
import { createKeepAliveFetch, type KeepAliveFetch } from './keep-alive-fetch';

/** A GraphQL error another service answered with (its message and extensions.code). */
export type InternalGraphQLError = { message: string; extensions?: { code?: string } };

/**
 * Another service did not answer usably: it could not be reached, timed out, answered something
 * that is not a GraphQL response, or answered GraphQL errors (`errors`, with their codes). The
 * caller decides what that means for its own client (usually SUBGRAPH_UNAVAILABLE: retry later).
 */
export class InternalCallError extends Error {
  override name = 'InternalCallError';
  constructor(
    message: string,
    readonly service: string,
    readonly errors: readonly InternalGraphQLError[] = [],
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
  /** The extensions.code of each GraphQL error the service answered (empty when it did not answer). */
  get codes(): string[] {
    return this.errors.map((e) => e.extensions?.code ?? 'UNKNOWN');
  }
}

/** One keep-alive pool per process for every service-to-service call. */
const sharedFetch = createKeepAliveFetch();

export type InternalClientOptions = {
  /** The called service's name (for errors and logs). */
  service: string;
  /** Its GraphQL endpoint (called directly, not through the gateway). */
  url: string;
  /** INTERNAL_IDENTITY_SECRET: the assertion is signed with it, as the gateway signs forwarded identities. */
  secret: string;
  /** Who calls: a `service` principal (subject = the calling service, its scopes). */
  caller: Identity;
  fetchImpl?: KeepAliveFetch;
  /** Per call; default 10 s. */
  timeoutMs?: number;
  /** Turns a failed call into the caller's own error type (default: the InternalCallError itself). */
  toError?: (error: InternalCallError) => Error;
};

/**
 * A document codegen compiled from an operation file (typed-document-node): its result and
 * variable types travel with it. Structurally @graphql-typed-document-node/core's TypedDocumentNode.
 */
export type TypedOperation<Result, Variables> = DocumentNode & { __apiType?: (variables: Variables) => Result };

export type InternalClient = {
  /** One GraphQL operation; the data, or a thrown InternalCallError (or what toError made of it). */
  call<T>(query: string, variables?: Record<string, unknown>): Promise<T>;
  /**
   * One generated operation (subgraphs/<caller>/src/clients/<target>/*.graphql, compiled against the
   * target's SDL): variables and data typed by the document; errors as `call`.
   */
  operation<Result, Variables>(document: TypedOperation<Result, Variables>, variables: Variables): Promise<Result>;
};

const printed = new WeakMap<DocumentNode, string>();
const printOnce = (document: DocumentNode): string => {
  let text = printed.get(document);
  if (text === undefined) printed.set(document, (text = print(document)));
  return text;
};

/**
 * How one service calls another (accounts → ledger, accounts → identity, and every rail to come):
 * a POST to the other service's GraphQL endpoint over the process's keep-alive pool, carrying a
 * signed identity assertion of the calling service (`x-baas-identity`, re-signed every 30 s, so the
 * callee's permissions treat it as an internal service) and the current correlation id, with a
 * timeout. Any failure (transport, timeout, non-JSON, GraphQL errors) is one InternalCallError.
 */
export function createInternalClient(opts: InternalClientOptions): InternalClient {
  if (opts.caller.kind !== 'service') throw new Error('an internal client calls as a service principal');
  let assertion: { value: string; until: number } | null = null;
  const header = async () => {
    if (!assertion || assertion.until < Date.now()) {
      assertion = { value: await signIdentityAssertion(opts.caller, opts.secret), until: Date.now() + 30_000 };
    }
    return assertion.value;
  };
  const fail = (error: InternalCallError): Error => (opts.toError ? opts.toError(error) : error);

  const client: InternalClient = {
    operation<Result, Variables>(document: TypedOperation<Result, Variables>, variables: Variables): Promise<Result> {
      return client.call<Result>(printOnce(document), variables as Record<string, unknown>);
    },
    async call<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
      const correlationId = getRequestContext()?.correlationId;
      let response: Response;
      try {
        response = await (opts.fetchImpl ?? sharedFetch)(opts.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', [IDENTITY_HEADER]: await header(), ...(correlationId ? { [CORRELATION_HEADER]: correlationId } : {}) },
          body: JSON.stringify({ query, variables }),
          signal: AbortSignal.timeout(opts.timeoutMs ?? 10_000),
        });
      } catch (cause) {
        throw fail(new InternalCallError(`${opts.service} did not answer`, opts.service, [], { cause }));
      }
      const body = (await response.json().catch(() => ({}))) as { data?: T | null; errors?: InternalGraphQLError[] };
      if (body.errors?.length || !body.data) {
        const errors = body.errors ?? [];
        const what = errors.length ? errors.map((e) => e.extensions?.code ?? e.message).join(', ') : `HTTP ${response.status}`;
        throw fail(new InternalCallError(`${opts.service} error: ${what}`, opts.service, errors));
      }
      return body.data;
    },
  };
  return client;
}
