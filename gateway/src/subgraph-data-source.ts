import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import type { Fetcher } from '@apollo/utils.fetcher';
import { GraphQLError } from 'graphql';
import { CLIENT_ADDRESS_HEADER, CORRELATION_HEADER, DEVICE_ID_HEADER, IDENTITY_HEADER } from '@baas/auth';
import type { KeepAliveFetch } from '@baas/server';
import type { RoundRobinBalancer } from './balancer';
import type { CircuitBreaker } from './circuit-breaker';
import type { GatewayContext } from './context';

/** What the gateway will send one subgraph call: a body over it is refused before it leaves (a client error). */
export type SubgraphCallLimits = { maxBodyBytes: number; timeoutMs: number };

class ForwardTooLarge extends Error {}

/** A 4xx answer: the subgraph refused the request itself (too large, invalid), it is not failing. */
function clientErrorStatus(error: unknown): number | undefined {
  const status = (error as { extensions?: { response?: { status?: unknown } } } | undefined)?.extensions?.response?.status;
  return typeof status === 'number' && status >= 400 && status < 500 ? status : undefined;
}

/**
 * How the gateway calls one subgraph: picks a healthy instance (round-robin), fails fast while the
 * subgraph's breaker is open, and forwards the correlation id, the trace context and the signed
 * identity. A failed call becomes SUBGRAPH_UNAVAILABLE for the fields that subgraph owns; the
 * gateway still answers the rest of the query.
 *
 * Only the instance's own failures count against the breaker and the instance's health: a 5xx, a
 * refused or broken connection, a timeout. A client's bad request (a 4xx the subgraph answers, a
 * planned body over the subgraph's limit) is the client's error: it is returned to that client
 * coded, and never opens the breaker for everyone else.
 */
export class SubgraphDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(
    private readonly subgraph: string,
    private readonly balancer: RoundRobinBalancer,
    private readonly breaker: CircuitBreaker,
    /** One keep-alive pool shared by every subgraph's data source (the gateway closes it when it stops). */
    fetcher: KeepAliveFetch,
    private readonly onCall?: (subgraph: string, outcome: string, seconds: number) => void,
    limits: SubgraphCallLimits = { maxBodyBytes: 8 * 1024 * 1024, timeoutMs: 30_000 },
    /** Identical queries in flight share one call (GATEWAY_DEDUPE_INFLIGHT). */
    private readonly dedupe = false,
  ) {
    // A keep-alive http.request (@baas/server's createKeepAliveFetch) instead of the default
    // make-fetch-happen, whose HTTP-cache bookkeeping costs more CPU than the call itself.
    const bounded: KeepAliveFetch = (url, init = {}) => {
      if (init.body !== undefined && Buffer.byteLength(init.body) > limits.maxBodyBytes) return Promise.reject(new ForwardTooLarge());
      return fetcher(url, { ...init, signal: AbortSignal.timeout(limits.timeoutMs) });
    };
    super({ url: balancer.urls[0], fetcher: bounded as unknown as Fetcher });
  }

  override async willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<void> {
    const http = request.http!;
    // The gateway's own request object: the URL is read from it after this hook.
    (http as { url: string }).url = this.balancer.pick();
    if (!context?.correlationId) return; // health checks and schema loading carry no request context
    http.headers.set(CORRELATION_HEADER, context.correlationId);
    if (context.traceparent) http.headers.set('traceparent', context.traceparent);
    const assertion = await context.identityAssertion();
    if (assertion) http.headers.set(IDENTITY_HEADER, assertion);
    if (context.clientAddress) http.headers.set(CLIENT_ADDRESS_HEADER, context.clientAddress());
    if (context.deviceId) http.headers.set(DEVICE_ID_HEADER, context.deviceId);
  }

  /** Identical subgraph calls in flight (same query, variables and caller), when deduplication is on. */
  private readonly inflight = new Map<string, Promise<GatewayGraphQLResponse>>();

  /**
   * In-flight deduplication (as Hive Gateway does by default): a query identical to one already on its
   * way to this subgraph (same document, variables and caller: the whole verified identity)
   * waits for that call's answer instead of making its own. Only queries (a mutation always goes out),
   * and only while the first is in flight: nothing is cached. Each waiter gets its own copy of the data
   * (the gateway merges entity answers into its own objects).
   */
  private dedupeKey(options: GraphQLDataSourceProcessOptions<GatewayContext>): string | null {
    if (!this.dedupe || options.kind !== 'incoming operation') return null;
    const op = options.incomingRequestContext?.operation?.operation;
    const query = options.request.query;
    if (op !== 'query' || !query || /^\s*(mutation|subscription)\b/.test(query)) return null;
    // The whole verified identity (principal, tenant, scopes, session times, step-up, policy): two callers
    // share a call only when every subgraph would see the same caller.
    const who = options.context?.identity;
    return `${who ? stableJson(who) : 'anonymous'}\n${query}\n${JSON.stringify(options.request.variables ?? {})}`;
  }

  override async process(options: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<GatewayGraphQLResponse> {
    const key = this.dedupeKey(options);
    if (key === null) return this.send(options);
    const pending = this.inflight.get(key);
    if (pending) {
      // Counted apart (subgraph_request_duration_seconds{outcome="deduplicated"}): no call was made.
      this.onCall?.(this.subgraph, 'deduplicated', 0);
      const answer = await pending;
      return { ...answer, data: structuredClone(answer.data), errors: structuredClone(answer.errors), extensions: structuredClone(answer.extensions) };
    }
    const call = this.send(options).finally(() => this.inflight.delete(key));
    this.inflight.set(key, call);
    return call;
  }

  private async send(options: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<GatewayGraphQLResponse> {
    if (!this.breaker.tryAcquire()) {
      this.onCall?.(this.subgraph, 'breaker_open', 0);
      throw this.unavailable();
    }
    const started = process.hrtime.bigint();
    // A refused connection never reached the instance, so trying the next one is safe even for a
    // mutation; any other failure may have been processed and is not retried here.
    for (let attempt = 1; ; attempt++) {
      try {
        const response = await super.process(options);
        this.breaker.recordSuccess();
        this.onCall?.(this.subgraph, 'ok', Number(process.hrtime.bigint() - started) / 1e9);
        return response;
      } catch (error) {
        const refused = error instanceof ForwardTooLarge ? 413 : clientErrorStatus(error);
        if (refused !== undefined) {
          // The instance answered (or was never called): it is healthy, and a half-open trial ends.
          this.breaker.recordSuccess();
          this.onCall?.(this.subgraph, 'client_error', Number(process.hrtime.bigint() - started) / 1e9);
          throw this.refusedRequest(refused, error);
        }
        const url = options.request.http?.url;
        if (url) this.balancer.mark(url, false);
        if (isConnectionRefused(error) && attempt < this.balancer.urls.length && this.balancer.anyHealthy) continue;
        this.breaker.recordFailure();
        this.onCall?.(this.subgraph, 'error', Number(process.hrtime.bigint() - started) / 1e9);
        throw this.unavailable();
      }
    }
  }

  /** The subgraph's coded refusal when it gave one (its GraphQL errors), else BAD_REQUEST / PAYLOAD_TOO_LARGE. */
  private refusedRequest(status: number, error: unknown): GraphQLError {
    const body = (error as { extensions?: { response?: { body?: unknown } } }).extensions?.response?.body as { errors?: { message?: unknown; extensions?: { code?: unknown } }[] } | undefined;
    const first = typeof body === 'object' && body && Array.isArray(body.errors) ? body.errors[0] : undefined;
    const code = typeof first?.extensions?.code === 'string' ? first.extensions.code : status === 413 ? 'PAYLOAD_TOO_LARGE' : 'BAD_REQUEST';
    const detail = typeof first?.message === 'string' ? `: ${first.message}` : '';
    return new GraphQLError(`The ${this.subgraph} service refused this request${detail}`, { extensions: { code, serviceName: this.subgraph } });
  }

  /** No HTTP status on purpose: the rest of the response is still data, so it stays a 200. */
  private unavailable(): GraphQLError {
    return new GraphQLError(`The ${this.subgraph} service is unavailable.`, {
      extensions: { code: 'SUBGRAPH_UNAVAILABLE', serviceName: this.subgraph },
    });
  }
}

/** JSON with object keys sorted (a key that does not depend on the order fields were set in). */
function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${stableJson((value as Record<string, unknown>)[k])}`).join(',')}}`;
  return JSON.stringify(value) ?? 'null';
}

function isConnectionRefused(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 4; depth++) {
    if (typeof e === 'object' && (e as { code?: unknown }).code === 'ECONNREFUSED') return true;
    e = typeof e === 'object' ? ((e as { cause?: unknown; originalError?: unknown }).cause ?? (e as { originalError?: unknown }).originalError) : undefined;
  }
  return false;
}
