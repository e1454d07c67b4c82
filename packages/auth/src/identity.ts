/** Who is calling. Built by the gateway from a verified access token; trusted by subgraphs only when signed. */
export type PrincipalKind = 'customer' | 'operator' | 'api_client' | 'service';

export type Identity = {
  /** The token subject: a customer id, an operator id, an API client id or a service name. */
  readonly subject: string;
  readonly kind: PrincipalKind;
  /** The tenant the principal belongs to; null only for platform operators and internal services. */
  readonly tenantId: string | null;
  readonly scopes: readonly string[];
  /** When the principal authenticated (epoch seconds; OIDC `auth_time`), for sessions. */
  readonly authTime?: number;
  /** How it authenticated (RFC 8176 `amr`): `otp`, `hwk` (passkey), `pwd`-less always. */
  readonly amr?: readonly string[];
  /** When the customer last confirmed with a passkey (epoch seconds): step-up. */
  readonly stepUpAt?: number;
  /** The tenant's step-up policy, carried in the token so every subgraph can apply it without a call. */
  readonly stepUpPolicy?: StepUpPolicy;
};

/** Per action (LARGE_TRANSFER, CARD_PAN_REVEAL, NEW_PAYEE, ...): how recent a passkey assertion must be. */
export type StepUpRule = { readonly maxAgeSeconds: number; /** Only at or above this amount (minor units, decimal string). */ readonly minAmountMinor?: string };
export type StepUpPolicy = Readonly<Record<string, StepUpRule>>;

/** Actions a tenant's step-up policy can name. */
export const STEP_UP_ACTIONS = ['LARGE_TRANSFER', 'CARD_PAN_REVEAL', 'NEW_PAYEE', 'ADD_PASSKEY', 'REMOVE_PASSKEY', 'API_CLIENT_SECRET'] as const;

export const PRINCIPAL_KINDS: readonly PrincipalKind[] = ['customer', 'operator', 'api_client', 'service'];

export function isPrincipalKind(value: unknown): value is PrincipalKind {
  return typeof value === 'string' && (PRINCIPAL_KINDS as readonly string[]).includes(value);
}

/** Access-token claim names (short, as JWT custom claims usually are). */
export const CLAIMS = { tenant: 'tid', kind: 'knd', scope: 'scope', authTime: 'auth_time', amr: 'amr', stepUpAt: 'sua', stepUpPolicy: 'sup' } as const;

/** The optional authentication-context claims of an identity (shared by access tokens and assertions). */
export function authContextClaims(identity: Identity): Record<string, unknown> {
  return {
    ...(identity.authTime !== undefined ? { [CLAIMS.authTime]: identity.authTime } : {}),
    ...(identity.amr?.length ? { [CLAIMS.amr]: [...identity.amr] } : {}),
    ...(identity.stepUpAt !== undefined ? { [CLAIMS.stepUpAt]: identity.stepUpAt } : {}),
    ...(identity.stepUpPolicy && Object.keys(identity.stepUpPolicy).length ? { [CLAIMS.stepUpPolicy]: identity.stepUpPolicy } : {}),
  };
}

function isStepUpPolicy(value: unknown): value is StepUpPolicy {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return false;
  return Object.values(value).every(
    (rule) =>
      rule && typeof rule === 'object' && Number.isInteger((rule as StepUpRule).maxAgeSeconds) &&
      ((rule as StepUpRule).minAmountMinor === undefined || /^\d+$/.test(String((rule as StepUpRule).minAmountMinor))),
  );
}

/** Reads the authentication-context claims back; malformed ones are dropped (never trusted). */
export function authContextFromClaims(payload: Record<string, unknown>): Pick<Identity, 'authTime' | 'amr' | 'stepUpAt' | 'stepUpPolicy'> {
  const authTime = payload[CLAIMS.authTime];
  const amr = payload[CLAIMS.amr];
  const stepUpAt = payload[CLAIMS.stepUpAt];
  const policy = payload[CLAIMS.stepUpPolicy];
  return {
    ...(Number.isInteger(authTime) ? { authTime: authTime as number } : {}),
    ...(Array.isArray(amr) && amr.every((v) => typeof v === 'string') ? { amr: amr as string[] } : {}),
    ...(Number.isInteger(stepUpAt) ? { stepUpAt: stepUpAt as number } : {}),
    ...(isStepUpPolicy(policy) ? { stepUpPolicy: policy } : {}),
  };
}

/** The header in which the gateway forwards the signed identity to subgraphs. */
export const IDENTITY_HEADER = 'x-baas-identity';
/** The correlation id header, forwarded to every subgraph. */
export const CORRELATION_HEADER = 'x-request-id';

/**
 * The identity carried by verified claims (an access token's, or the gateway's assertion's).
 * Throws a message naming what is wrong; callers decide whether that is UNAUTHENTICATED or anonymous.
 */
export function identityFromClaims(payload: Record<string, unknown>): Identity {
  const kind = payload[CLAIMS.kind];
  const tenant = payload[CLAIMS.tenant];
  const scope = payload[CLAIMS.scope];
  if (typeof payload.sub !== 'string' || !payload.sub) throw new Error('The token has no subject.');
  if (!isPrincipalKind(kind)) throw new Error('The token has no valid principal kind.');
  if (tenant !== undefined && tenant !== null && typeof tenant !== 'string') throw new Error('The token has a bad tenant.');
  if ((kind === 'customer' || kind === 'api_client') && !tenant) throw new Error('The token has no tenant.');
  return {
    subject: payload.sub,
    kind,
    tenantId: typeof tenant === 'string' ? tenant : null,
    scopes: typeof scope === 'string' && scope ? scope.split(' ') : [],
    ...authContextFromClaims(payload),
  };
}
