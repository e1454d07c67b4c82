import type { Identity } from '@baas/auth';
import { requireCustomer } from '../permissions';
import type { PasskeyRow } from '../store/passkey-store';
import type { IdentityDeps } from './deps';

/** The signed-in customer's passkeys (not removed), oldest first. */
export async function listPasskeys(deps: Pick<IdentityDeps, 'stores'>, identity: Identity | null): Promise<PasskeyRow[]> {
  return deps.stores.passkeys.listActive(requireCustomer(identity).subject);
}
