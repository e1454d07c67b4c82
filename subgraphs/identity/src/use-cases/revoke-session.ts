import { requireIdentity, type Identity } from '@baas/auth';
import { forbidden } from '@baas/errors';
import { isUuid } from '@baas/server';
import { mayRevokeSession } from '../permissions';
import type { SessionRow } from '../store/session-store';
import type { IdentityDeps } from './deps';

/** Revokes a session: its own customer, or an operator; FORBIDDEN otherwise (unknown ids too). A repeat is harmless. */
export async function revokeSession(deps: Pick<IdentityDeps, 'stores'>, identity: Identity | null, args: { id: string }): Promise<SessionRow> {
  const who = requireIdentity(identity);
  const row = isUuid(args.id) ? await deps.stores.sessions.find(args.id.toLowerCase()) : null;
  if (!row || !mayRevokeSession(who, row)) throw forbidden();
  return deps.stores.sessions.revoke(row.id, 'REVOKED');
}
