import type { Identity } from '@baas/auth';
import { badInput } from '@baas/errors';
import type { SigningKeyInfo } from '../domain/signing-key';
import { requireOperator } from '../permissions';
import type { IdentityDeps } from './deps';

/** A new signing key, signing after `activateAfterSeconds` (0 to 86400, default 60): operators only. */
export async function rotateSigningKey(deps: Pick<IdentityDeps, 'keyRing'>, identity: Identity | null, args: { activateAfterSeconds?: number | null }): Promise<SigningKeyInfo> {
  requireOperator(identity);
  const after = args.activateAfterSeconds ?? 60;
  if (after < 0 || after > 86_400) throw badInput('activateAfterSeconds must be 0 to 86400.', { field: 'activateAfterSeconds' });
  return deps.keyRing.rotate(after);
}
