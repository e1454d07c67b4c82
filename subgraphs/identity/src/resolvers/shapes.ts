import type { STEP_UP_ACTIONS } from '@baas/auth';
import type { AuditEvent } from '@baas/audit';
import { recoveryStatus } from '../domain/passkey-recovery';
import { readStepUpPolicy } from '../domain/step-up-policy';
import type { SigningKeyInfo } from '../domain/signing-key';
import type { IssuedAccessToken } from '../domain/token-issuer';
import type { AuditOutcome } from '../generated/resolvers-types';

/* The GraphQL shapes of what the use cases return (rows and values), in one place. */

type SessionRow = {
  id: string;
  subject: string;
  kind: string;
  tenantId: string | null;
  amr: string[];
  stepUpAt: Date | null;
  createdAt: Date;
  lastUsedAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
  revokedReason: string | null;
};
type ApiClientRow = { id: string; tenantId: string; name: string; scopes: string[]; secretPrefix: string; status: string; createdAt: Date; rotatedAt: Date | null };
type PasskeyRow = { id: string; nickname: string | null; backedUp: boolean; deviceType: string; createdAt: Date; lastUsedAt: Date | null };
type PasskeyRecoveryRow = { id: string; requestedAt: Date; effectiveAt: Date; cancelledAt: Date | null; completedAt: Date | null };

/** An optional instant as GraphQL's DateTime. */
export const iso = (d: Date | null) => (d ? d.toISOString() : null);

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

/** The GraphQL SessionTokens: an access token, the next refresh token, the session. */
export const sessionTokensType = (t: { accessToken: IssuedAccessToken; refreshToken: string; session: SessionRow }) => ({
  accessToken: t.accessToken,
  refreshToken: t.refreshToken,
  session: sessionType(t.session),
});

export const clientType = (c: ApiClientRow) => ({ ...c, createdAt: c.createdAt.toISOString(), rotatedAt: iso(c.rotatedAt) });

export const passkeyType = (row: PasskeyRow) => ({
  id: row.id,
  nickname: row.nickname,
  backedUp: row.backedUp,
  deviceType: row.deviceType,
  createdAt: row.createdAt.toISOString(),
  lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
});

export const recoveryType = (row: PasskeyRecoveryRow) => ({
  id: row.id,
  status: recoveryStatus(row),
  requestedAt: row.requestedAt.toISOString(),
  effectiveAt: row.effectiveAt.toISOString(),
  cancelledAt: iso(row.cancelledAt),
  completedAt: iso(row.completedAt),
});

export const keyInfo = (k: SigningKeyInfo) => ({
  kid: k.kid,
  createdAt: k.createdAt.toISOString(),
  activatesAt: k.activatesAt.toISOString(),
  retiredAt: iso(k.retiredAt),
});

/** A tenant's step-up policy as GraphQL StepUpRule values. */
export const stepUpRules = (stored: unknown) =>
  Object.entries(readStepUpPolicy(stored)).map(([action, rule]) => ({
    action: action as (typeof STEP_UP_ACTIONS)[number],
    maxAgeSeconds: rule.maxAgeSeconds,
    minAmountMinor: rule.minAmountMinor ?? null,
  }));

export const OUTCOME_IN = { SUCCESS: 'success', FAILURE: 'failure', DENIED: 'denied' } as const;
const OUTCOME_OUT = { success: 'SUCCESS', failure: 'FAILURE', denied: 'DENIED' } as const satisfies Record<string, AuditOutcome>;

export const auditEventType = (e: AuditEvent) => ({
  id: e.id,
  at: e.at.toISOString(),
  service: e.service,
  action: e.action,
  outcome: OUTCOME_OUT[e.outcome],
  actorKind: e.actor?.kind ?? null,
  actorSubject: e.actor?.subject ?? null,
  tenantId: e.tenantId,
  correlationId: e.correlationId,
  reason: e.reason ?? null,
  details: e.details ?? null,
});
