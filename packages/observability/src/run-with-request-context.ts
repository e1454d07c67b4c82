import { AsyncLocalStorage } from 'node:async_hooks';

/** What a request carries through every async hop: who to blame in logs, and where it sits in a trace. */
export type RequestContext = { correlationId: string; traceparent?: string; traceId?: string };

// One store per process: every module that imports this package must see the same context.
const storage = new AsyncLocalStorage<RequestContext>();

/** Runs `fn` with `ctx` as the request context of everything it awaits or schedules. */
export function runWithRequestContext<T>(ctx: RequestContext, fn: () => T): T {
  return storage.run(ctx, fn);
}

/** The request context of the current async call chain, or undefined outside any request. */
export function getRequestContext(): RequestContext | undefined {
  return storage.getStore();
}
