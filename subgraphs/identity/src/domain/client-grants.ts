import type { Identity } from '@baas/auth';

/**
 * The rule for managing API clients (issue 10 item 7: `clients:write` was a master key). Pure.
 *
 * - Operators manage every tenant's clients, with any scopes.
 * - An API client manages clients of its own tenant only, needs `clients:write`, and can never
 *   reach beyond what it holds itself: it grants only scopes it holds (`scopes` ⊆ its own), and it
 *   rotates or revokes only clients whose scopes are all its own. So no client can mint (or take
 *   over, by rotating its secret) a client more powerful than itself.
 * - Nobody else (customers, services) manages clients.
 *
 * Returns null when allowed, else the scopes that are missing (empty when the caller is not allowed
 * at all: another tenant, another kind of principal, no clients:write).
 */
export function clientGrantRefusal(who: Identity, target: { tenantId: string; scopes: readonly string[] }): { missingScopes: string[] } | null {
  if (who.kind === 'operator') return null;
  if (who.kind !== 'api_client' || who.tenantId !== target.tenantId || !who.scopes.includes('clients:write')) return { missingScopes: [] };
  const missing = [...new Set(target.scopes)].filter((scope) => !who.scopes.includes(scope)).sort();
  return missing.length ? { missingScopes: missing } : null;
}
