import type { Identity } from '@baas/auth';

/** A GraphQL answer as a client sees it (attack tests read codes and reasons off it). */
export type GqlResult<T = Record<string, unknown>> = {
  data?: T | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: { code?: string; correlationId?: string; details?: { reason?: string; field?: string } & Record<string, unknown> } & Record<string, unknown> }[];
};

/**
 * Calls a gateway (the test platform's, @baas/test-platform) as `identity` (null: anonymous) with a raw POST, the way an
 * attacker's script does (the typed SDK is for the journeys). One token is minted per identity
 * object and reused; a call that hangs fails the test after 30 s (nothing is timed).
 */
export function createGatewayCaller(platform: { gatewayUrl: string; mintToken(identity: Identity, ttlSeconds?: number): Promise<string> }) {
  const tokens = new WeakMap<Identity, Promise<string>>();
  const tokenFor = (identity: Identity) => {
    let token = tokens.get(identity);
    if (!token) tokens.set(identity, (token = platform.mintToken(identity, 3600)));
    return token;
  };
  return async function call<T = Record<string, unknown>>(identity: Identity | null, query: string, variables: Record<string, unknown> = {}): Promise<GqlResult<T>> {
    const res = await fetch(platform.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(identity ? { authorization: `Bearer ${await tokenFor(identity)}` } : {}) },
      body: JSON.stringify({ query, variables }),
      signal: AbortSignal.timeout(30_000),
    });
    return (await res.json()) as GqlResult<T>;
  };
}

/** The first error's code and reason: what a client branches on. */
export const errorCode = (res: GqlResult<unknown>) => res.errors?.[0]?.extensions?.code;
export const errorReason = (res: GqlResult<unknown>) => res.errors?.[0]?.extensions?.details?.reason;
