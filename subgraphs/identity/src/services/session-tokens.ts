import type { Identity, StepUpPolicy } from '@baas/auth';
import type { IdentityLoaders } from './customers';
import { DomainError } from '@baas/errors';
import { checkTenant } from '../domain/tenant-rules';
import type { SessionRow } from './sessions';
import type { IssuedAccessToken, TokenIssuer } from './token-issuer';

/** Scopes a signed-in customer's session carries. */
export const CUSTOMER_SCOPES = ['customer:read', 'customer:write', 'accounts:read', 'accounts:write', 'payments:write', 'cards:read', 'cards:write'] as const;

/** An optional instant as GraphQL's DateTime. */
export const iso = (d: Date | null) => (d ? d.toISOString() : null);
const seconds = (d: Date) => Math.floor(d.getTime() / 1000);

/** The GraphQL Session of a row. */
export function sessionType(s: SessionRow) {
  return {
    id: s.id,
    // Not in the GraphQL type: for the audit trail's actor.
    subject: s.subject,
    kind: s.kind,
    tenantId: s.tenantId,
    amr: s.amr,
    stepUpAt: iso(s.stepUpAt),
    createdAt: s.createdAt.toISOString(),
    lastUsedAt: s.lastUsedAt.toISOString(),
    expiresAt: s.expiresAt.toISOString(),
    revokedAt: iso(s.revokedAt),
    revokedReason: s.revokedReason,
  };
}

/** A tenant's step-up policy as stored (JSON), validated; anything malformed counts as no rule. */
export function readStepUpPolicy(value: unknown): StepUpPolicy {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return {};
  const out: Record<string, { maxAgeSeconds: number; minAmountMinor?: string }> = {};
  for (const [action, rule] of Object.entries(value as Record<string, unknown>)) {
    const r = rule as { maxAgeSeconds?: unknown; minAmountMinor?: unknown };
    if (!r || !Number.isInteger(r.maxAgeSeconds)) continue;
    out[action] = { maxAgeSeconds: r.maxAgeSeconds as number, ...(typeof r.minAmountMinor === 'string' ? { minAmountMinor: r.minAmountMinor } : {}) };
  }
  return out;
}

/**
 * May this session's principal get new tokens? Its tenant must be ACTIVE (TENANT_SUSPENDED) and a
 * customer must be ACTIVE in that tenant (UNAUTHENTICATED, reason CUSTOMER_INACTIVE: a suspended or
 * closed customer's sessions stop at their next refresh). Checked before a refresh token is spent,
 * and again as the last wall before any access token is signed.
 */
export async function assertMayGetTokens(session: Pick<SessionRow, 'tenantId' | 'kind' | 'subject'>, loaders: IdentityLoaders) {
  const tenant = session.tenantId ? checkTenant(await loaders.tenant.load(session.tenantId), { active: true }) : null;
  if (session.kind === 'customer') {
    const customer = await loaders.customer.load(session.subject);
    if (!customer || customer.status !== 'ACTIVE' || customer.tenantId !== session.tenantId) {
      throw new DomainError('UNAUTHENTICATED', 'The customer is not active.', { reason: 'CUSTOMER_INACTIVE' });
    }
  }
  return tenant;
}

/** The identity a session's access tokens carry: who, how and when it signed in, and the tenant's step-up policy. */
export async function sessionIdentity(session: SessionRow, loaders: IdentityLoaders): Promise<Identity> {
  // The last wall: no access token for a principal of a suspended tenant, or an inactive customer, whichever flow asked.
  const tenant = await assertMayGetTokens(session, loaders);
  const policy = session.kind === 'customer' && tenant ? readStepUpPolicy(tenant.stepUpPolicy) : {};
  return {
    subject: session.subject,
    kind: session.kind as Identity['kind'],
    tenantId: session.tenantId,
    scopes: session.scopes,
    authTime: seconds(session.authTime),
    amr: session.amr,
    ...(session.stepUpAt ? { stepUpAt: seconds(session.stepUpAt) } : {}),
    ...(Object.keys(policy).length ? { stepUpPolicy: policy } : {}),
  };
}

/** What every sign-in and refresh answers: an access token, the next refresh token, the session. */
export async function sessionTokens(
  ctx: { tokens: TokenIssuer; loaders: IdentityLoaders },
  session: SessionRow,
  refreshToken: string,
): Promise<{ accessToken: IssuedAccessToken; refreshToken: string; session: ReturnType<typeof sessionType> }> {
  const accessToken = await ctx.tokens.issue(await sessionIdentity(session, ctx.loaders));
  return { accessToken, refreshToken, session: sessionType(session) };
}
