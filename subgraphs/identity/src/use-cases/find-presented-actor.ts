import type { AuditActor } from '@baas/audit';
import { isUuid } from '@baas/server';
import type { IdentityDeps } from './deps';

/** Who an anonymous call was about, for the audit trail. */
export type PresentedActor = { actor: AuditActor | null; tenantId: string | null };

/**
 * Who an anonymous authentication call (client credentials, refresh, logout, sign-in) was about,
 * looked up from what it presented: only ids and hashes, never a secret in clear. Null when nothing
 * it presented names anybody.
 */
export async function findPresentedActor(deps: Pick<IdentityDeps, 'stores'>, mutation: string, args: Record<string, unknown>): Promise<PresentedActor | null> {
  switch (mutation) {
    case 'clientCredentialsToken': {
      const client = isUuid(String(args.clientId)) ? await deps.stores.apiClients.find(String(args.clientId).toLowerCase()) : null;
      return client ? { actor: { kind: 'api_client', subject: client.id, tenantId: client.tenantId }, tenantId: client.tenantId } : null;
    }
    case 'refreshSession':
    case 'logout': {
      const session = typeof args.refreshToken === 'string' ? await deps.stores.sessions.ofRefreshToken(args.refreshToken) : null;
      return session ? { actor: { kind: session.kind as AuditActor['kind'], subject: session.subject, tenantId: session.tenantId }, tenantId: session.tenantId } : null;
    }
    case 'verifySignInCode': {
      const challenge = isUuid(String(args.challengeId)) ? await deps.stores.challenges.find(String(args.challengeId).toLowerCase()) : null;
      if (!challenge) return null;
      return challenge.customerId ? { actor: { kind: 'customer', subject: challenge.customerId, tenantId: challenge.tenantId }, tenantId: challenge.tenantId } : { actor: null, tenantId: challenge.tenantId };
    }
    case 'startSignIn':
    case 'startPasskeySignIn': {
      const tenantId = (args.input as { tenantId?: unknown } | undefined)?.tenantId;
      return typeof tenantId === 'string' && isUuid(tenantId) ? { actor: null, tenantId: tenantId.toLowerCase() } : null;
    }
    default:
      return null;
  }
}
