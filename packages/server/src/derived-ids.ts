import { createHash } from 'node:crypto';
import { badInput } from '@baas/errors';
import { isUuid } from './loaders';

/**
 * A name-based UUID (version 5 layout, RFC 9562 variant) from sha256(name): the same name gives the
 * same id. The platform derives its own ids this way (platform ledger accounts such as sandbox
 * funding and FX liquidity, the ledger writes of a saga), so a retry is a replay.
 *
 * The rule that keeps client ids and platform ids apart: version 5 is the platform's. An id a
 * client chooses that becomes an id in another service (an account id that becomes a ledger
 * account id, and every such id of the rails to come) must not be a version 5 UUID
 * (`isDerivedUuid`); clients generate random (v4) or time-ordered (v7) ids. So no client can claim
 * an id the platform will derive later, whatever name it is derived from.
 */
export function derivedUuid(name: string): string {
  const b = createHash('sha256').update(name).digest().subarray(0, 16);
  b[6] = (b[6]! & 0x0f) | 0x50;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** Whether a UUID is in the platform's derived id space (version 5: the version nibble, character 15). */
export function isDerivedUuid(id: string): boolean {
  return id.length === 36 && id[14] === '5';
}

/**
 * A client-chosen id that will become an id in another service (an account id that becomes its
 * ledger account's id, and every such id of the rails to come): a UUID outside the platform's
 * derived space, lower-cased. Otherwise BAD_USER_INPUT (`reason: RESERVED_ID` for a version 5 id).
 */
export function clientChosenId(value: string, field = 'id'): string {
  if (!isUuid(value)) throw badInput(`${field} must be a UUID.`, { field });
  if (isDerivedUuid(value)) throw badInput(`${field} must be a random (version 4) or time-ordered (version 7) UUID: version 5 ids are reserved for the platform.`, { field, reason: 'RESERVED_ID' });
  return value.toLowerCase();
}
