import type { Identity } from '@baas/auth';

export type GatewayContext = {
  identity: Identity | null;
  correlationId: string;
  traceparent?: string;
  /** The signed identity for subgraphs, made once per request and only when needed. */
  identityAssertion: () => Promise<string | null>;
  /** The client's address, signed for subgraphs (CLIENT_ADDRESS_HEADER): per-caller quotas behind the gateway. */
  clientAddress?: () => string;
  /** The client's device id (DEVICE_ID_HEADER), well formed or absent: a risk signal, never proof. */
  deviceId?: string | null;
};
