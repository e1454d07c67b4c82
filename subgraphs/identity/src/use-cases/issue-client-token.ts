import { forbidden, unauthenticated } from '@baas/errors';
import { secretMatches } from '../domain/secrets';
import { checkTenant } from '../domain/tenant-rules';
import type { IssuedAccessToken } from '../domain/token-issuer';
import { scopesBeyondGrant } from '../permissions';
import type { IdentityDeps } from './deps';

/**
 * OAuth client credentials: an access token for an API client, with the scopes asked for (all of
 * its own by default; FORBIDDEN for any it does not hold). UNAUTHENTICATED whether the id is unknown,
 * the secret wrong or the client revoked, so nothing can be probed; a suspended tenant's clients get
 * no token (TENANT_SUSPENDED). `principal` names the client (for the audit trail).
 */
export async function issueClientToken(
  deps: Pick<IdentityDeps, 'stores' | 'loaders' | 'tokens'>,
  args: { clientId: string; clientSecret: string; scope?: string | null },
): Promise<IssuedAccessToken & { principal: { kind: 'api_client'; subject: string; tenantId: string } }> {
  const client = /^[0-9a-f-]{36}$/i.test(args.clientId) ? await deps.stores.apiClients.find(args.clientId.toLowerCase()) : null;
  const current = secretMatches(args.clientSecret, client?.secretHash ?? '0'.repeat(64));
  const previous = !!client?.previousSecretUntil && client.previousSecretUntil > new Date() && secretMatches(args.clientSecret, client.previousSecretHash);
  if (!client || client.status !== 'ACTIVE' || !(current || previous)) throw unauthenticated('Invalid client credentials.');
  // A suspended tenant's clients get no new tokens.
  checkTenant(await deps.loaders.tenant.load(client.tenantId), { active: true });
  const requested = args.scope ? args.scope.split(' ').filter(Boolean) : client.scopes;
  const refused = scopesBeyondGrant(client, requested);
  if (refused.length) throw forbidden(`The client may not request: ${refused.join(' ')}.`);
  const issued = await deps.tokens.issue({ subject: client.id, kind: 'api_client', tenantId: client.tenantId, scopes: requested });
  return { ...issued, principal: { kind: 'api_client' as const, subject: client.id, tenantId: client.tenantId } };
}
