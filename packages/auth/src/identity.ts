/** Who is calling. Built by the gateway from a verified access token; trusted by subgraphs only when signed. */
export type PrincipalKind = 'customer' | 'operator' | 'api_client' | 'service';

export type Identity = {
  /** The token subject: a customer id, an operator id, an API client id or a service name. */
  readonly subject: string;
  readonly kind: PrincipalKind;
  /** The tenant the principal belongs to; null only for platform operators and internal services. */
  readonly tenantId: string | null;
  readonly scopes: readonly string[];
};

export const PRINCIPAL_KINDS: readonly PrincipalKind[] = ['customer', 'operator', 'api_client', 'service'];

export function isPrincipalKind(value: unknown): value is PrincipalKind {
  return typeof value === 'string' && (PRINCIPAL_KINDS as readonly string[]).includes(value);
}

/** Access-token claim names (short, as JWT custom claims usually are). */
export const CLAIMS = { tenant: 'tid', kind: 'knd', scope: 'scope' } as const;

/** The header in which the gateway forwards the signed identity to subgraphs. */
export const IDENTITY_HEADER = 'x-baas-identity';
/** The correlation id header, forwarded to every subgraph. */
export const CORRELATION_HEADER = 'x-request-id';
