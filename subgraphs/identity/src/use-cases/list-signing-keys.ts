import type { Identity } from '@baas/auth';
import type { SigningKeyInfo } from '../domain/signing-key';
import { requireOperator } from '../permissions';
import type { IdentityDeps } from './deps';

/** The signing keys that sign or verify now (operators only). */
export async function listSigningKeys(deps: Pick<IdentityDeps, 'keyRing'>, identity: Identity | null): Promise<SigningKeyInfo[]> {
  requireOperator(identity);
  return deps.keyRing.list();
}
