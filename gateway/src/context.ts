import type { Identity } from '@baas/auth';

export type GatewayContext = {
  identity: Identity | null;
  correlationId: string;
  traceparent?: string;
  /** The signed identity for subgraphs, made once per request and only when needed. */
  identityAssertion: () => Promise<string | null>;
};
