import { derivedUuid, isDerivedUuid } from '@baas/server';

/**
 * A UUID (version 5 layout, RFC 9562 variant) derived from sha256(name): the same name gives the same
 * id. Ledger writes of a saga and platform ledger accounts use it, so every retry is a replay.
 * Version 5 is the platform's id space: `openAccount` refuses a client-chosen account id of that
 * version (see `isPlatformId`), so a client can never claim a platform ledger account's id.
 */
export const deterministicUuid = derivedUuid;

/** Whether an id is in the platform's derived id space (refused as a client-chosen account id). */
export const isPlatformId = isDerivedUuid;

