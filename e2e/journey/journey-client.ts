import { randomUUID } from 'node:crypto';
import { graphqlRequest, type GraphQLResponse } from '@baas/sdk';
import { formatMoneyLocale, money } from '@baas/money';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';

/** Prints one line of the journey, as a person reads it. */
export type JourneyLog = (line: string) => void;

/** An error the platform answered, with its stable code and details (no PII: codes and ids only). */
export class JourneyError extends Error {
  constructor(
    message: string,
    readonly code?: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

/** Calls the gateway with the typed SDK: `request` answers errors, `ok` throws them. */
export type Gateway = {
  request<T, V>(document: TypedDocumentNode<T, V>, variables: V, token: string | null): Promise<GraphQLResponse<T>>;
  ok<T, V>(document: TypedDocumentNode<T, V>, variables: V, token: string | null): Promise<T>;
};

export function gatewayAt(url: string): Gateway {
  const request = <T, V>(document: TypedDocumentNode<T, V>, variables: V, token: string | null) =>
    graphqlRequest<T, V>({ url, document, variables, ...(token ? { token } : {}) });
  return {
    request,
    async ok(document, variables, token) {
      const res = await request(document, variables, token);
      const error = res.errors?.[0];
      if (error || !res.data) {
        const code = error?.extensions?.code as string | undefined;
        throw new JourneyError(`${error?.message ?? 'no data'} (${code ?? 'no code'})`, code, error?.extensions?.details);
      }
      return res.data;
    },
  };
}

/** A new UUID (v4: every id the journey sends is an idempotency key of its own). */
export const newId = (): string => randomUUID();

/** An id as a person reads it: its last 8 characters. */
export const short = (id: string | null | undefined): string => (id ? `…${id.slice(-8)}` : '—');

/** Minor units in a currency as a person reads them (pt-BR: R$ 1.234,56; US$ 100,00). */
export const fmt = (minorUnits: bigint | string, currency: string): string => formatMoneyLocale(money(BigInt(minorUnits), currency), 'pt-BR');

/** Polls `read` until `done` holds; throws after `deadlineMs` (a deadline, not a timing claim). */
export async function until<T>(what: string, read: () => Promise<T>, done: (value: T) => boolean, deadlineMs = 30_000): Promise<T> {
  const deadline = Date.now() + deadlineMs;
  let value = await read();
  while (!done(value)) {
    if (Date.now() > deadline) throw new JourneyError(`${what}: not reached in ${deadlineMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 200));
    value = await read();
  }
  return value;
}

/** Throws when a step's outcome is not what the journey expects. */
export function expect(condition: unknown, what: string): asserts condition {
  if (!condition) throw new JourneyError(`unexpected: ${what}`);
}
