import { requireIdentity, type Identity } from '@baas/auth';
import { badInput } from '@baas/errors';
import { sessionsSubject } from '../permissions';
import type { SessionRow } from '../store/session-store';
import type { IdentityDeps } from './deps';

/** Sessions of a subject, newest first: a customer their own, an operator anyone's (naming the subject). */
export async function listSessions(
  deps: Pick<IdentityDeps, 'stores'>,
  identity: Identity | null,
  args: { subject?: string | null; includeRevoked?: boolean | null },
): Promise<SessionRow[]> {
  const who = requireIdentity(identity);
  const { subject, tenantId } = sessionsSubject(who, args.subject);
  if (!subject) throw badInput('subject is required.', { field: 'subject' });
  return deps.stores.sessions.list({ subject, ...(tenantId !== undefined ? { tenantId } : {}), includeRevoked: !!args.includeRevoked });
}
