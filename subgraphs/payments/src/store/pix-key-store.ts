import { createHash, randomUUID } from 'node:crypto';
import type { Prisma, PixKey, PixKeyClaim, PrismaClient } from '../generated/prisma/client';
import { appendPaymentEvents, type PaymentEvent } from './payment-events';

/** A row of payments.pix_key. */
export type PixKeyRow = PixKey;
/**
 * A row of payments.pix_key_claim, with the owner of the donor key (joined from pix_key): the
 * claim's own tenantId/customerId are the claimer's; the donor sees the claims on its keys too.
 */
export type PixKeyClaimRow = PixKeyClaim & { donorTenantId: string; donorCustomerId: string };

/** A key to insert (status ACTIVE or PENDING_VERIFICATION). */
export type NewPixKey = Pick<PixKey, 'id' | 'tenantId' | 'customerId' | 'accountId' | 'keyType' | 'value' | 'status' | 'holderKind' | 'otpHash' | 'otpExpiresAt' | 'requestHash' | 'createdAt' | 'verifiedAt'>;
/** A claim to open. */
export type NewPixKeyClaim = Pick<PixKeyClaim, 'id' | 'claimType' | 'keyType' | 'value' | 'tenantId' | 'customerId' | 'accountId' | 'resolveBy' | 'requestHash' | 'createdAt'>;

/** Why an insert refused: the account is full (`count` keys), or the value is held by another key. */
export type KeyInsertResult = { outcome: 'CREATED'; key: PixKeyRow } | { outcome: 'LIMIT'; count: number } | { outcome: 'HELD'; holder: PixKeyRow };
export type ClaimOpenResult =
  | { outcome: 'OPENED'; claim: PixKeyClaimRow }
  | { outcome: 'NOT_REGISTERED' | 'SAME_ACCOUNT' | 'NOT_ACTIVE' | 'CLAIM_OPEN' }
  | { outcome: 'LIMIT'; count: number };

type Tx = Prisma.TransactionClient;

/** SHA-256 (hex) of a key's normalised value: what events carry instead of the key (PII). */
export const pixKeyDigest = (value: string): string => createHash('sha256').update(value).digest('hex');

/** The id of the key a completed claim creates: derived from the claim id (UUID-shaped, version nibble 8), so every resolver of one claim makes the same key. */
export function claimedKeyId(claimId: string): string {
  const h = createHash('sha256').update(`payments.pix-key-claim\u0000${claimId}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const keyEvent = (subject: string, k: PixKeyRow, extra: Record<string, unknown> = {}): PaymentEvent => ({
  eventId: randomUUID(),
  subject,
  data: { keyId: k.id, keyType: k.keyType, accountId: k.accountId, tenantId: k.tenantId, keyDigest: pixKeyDigest(k.value), ...extra },
});
const claimEvent = (subject: string, c: PixKeyClaim, extra: Record<string, unknown> = {}): PaymentEvent => ({
  eventId: randomUUID(),
  subject,
  data: { claimId: c.id, claimType: c.claimType, keyType: c.keyType, donorKeyId: c.donorKeyId, accountId: c.accountId, tenantId: c.tenantId, keyDigest: pixKeyDigest(c.value), ...extra },
});

/** Serialises the key changes of one account (limit counts) inside the caller's transaction. */
const lockAccount = (tx: Tx, accountId: string) => tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`pix-key-account:${accountId}`}, 0))`;
/** Locks the key holding `value` (if any) and returns it. */
async function lockHolder(tx: Tx, value: string): Promise<PixKeyRow | null> {
  const ids = await tx.$queryRaw<{ id: string }[]>`SELECT id::text AS id FROM payments.pix_key WHERE active_value = ${value} FOR UPDATE`;
  return ids[0] ? tx.pixKey.findUnique({ where: { id: ids[0].id } }) : null;
}
const liveKeyCount = (tx: Tx, accountId: string) => tx.pixKey.count({ where: { accountId, status: { not: 'DELETED' } } });

async function withDonors(client: Tx | PrismaClient, claims: PixKeyClaim[]): Promise<PixKeyClaimRow[]> {
  if (claims.length === 0) return [];
  const donors = await client.pixKey.findMany({ where: { id: { in: [...new Set(claims.map((c) => c.donorKeyId))] } }, select: { id: true, tenantId: true, customerId: true } });
  const byId = new Map(donors.map((d) => [d.id, d]));
  return claims.map((c) => ({ ...c, donorTenantId: byId.get(c.donorKeyId)?.tenantId ?? c.tenantId, donorCustomerId: byId.get(c.donorKeyId)?.customerId ?? c.customerId }));
}

/** Deletes a key (value released) and cancels the open claims on it, with their events. */
async function deleteInTx(tx: Tx, key: PixKeyRow, at: Date, reason: string): Promise<PixKeyRow | null> {
  const moved = await tx.pixKey.updateMany({ where: { id: key.id, status: { not: 'DELETED' } }, data: { status: 'DELETED', activeValue: null, deletedAt: at, otpHash: null } });
  if (moved.count === 0) return null;
  const open = await tx.pixKeyClaim.findMany({ where: { donorKeyId: key.id, status: 'OPEN' } });
  if (open.length) await tx.pixKeyClaim.updateMany({ where: { id: { in: open.map((c) => c.id) } }, data: { status: 'CANCELLED', resolvedAt: at } });
  await appendPaymentEvents(tx, [keyEvent('payments.pix.key.deleted', key, { reason }), ...open.map((c) => claimEvent('payments.pix.key.claim_cancelled', c, { reason: 'KEY_DELETED' }))]);
  return tx.pixKey.findUnique({ where: { id: key.id } });
}

/**
 * Every statement on payments.pix_key and payments.pix_key_claim. `activeValue` holds the value
 * while a key is not DELETED (unique): a value is registered at most once at a time. Writes that
 * change a key or a claim append their events (payments.pix.key.*; no key value, only its SHA-256
 * digest) in the same transaction.
 */
export function createPixKeyStore(db: PrismaClient) {
  return {
    async findByIds(ids: readonly string[]): Promise<PixKeyRow[]> {
      return ids.length ? db.pixKey.findMany({ where: { id: { in: [...ids] } } }) : [];
    },

    /** The ACTIVE key with this normalised value (pay by key), or null. */
    async findActiveByValue(value: string): Promise<PixKeyRow | null> {
      return db.pixKey.findFirst({ where: { activeValue: value, status: 'ACTIVE' } });
    },

    /** An account's keys that are not DELETED, oldest first. */
    async listByAccount(accountId: string): Promise<PixKeyRow[]> {
      return db.pixKey.findMany({ where: { accountId, status: { not: 'DELETED' } }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
    },

    /**
     * Inserts a key under the account's lock: LIMIT when the account already holds `maxKeys` keys
     * (not DELETED); HELD when another key holds the value. A PENDING_VERIFICATION holder whose code
     * expired before `staleBefore` or is spent (`maxAttempts`) is released (DELETED) first: an
     * unverified registration never blocks the owner. A concurrent insert of the same value fails
     * on the unique index (the caller maps it).
     */
    async insertKey(row: NewPixKey, opts: { maxKeys: number; staleBefore: Date; maxAttempts: number }): Promise<KeyInsertResult> {
      return db.$transaction(async (tx) => {
        await lockAccount(tx, row.accountId);
        const holder = await lockHolder(tx, row.value);
        if (holder) {
          const stale = holder.status === 'PENDING_VERIFICATION' && ((holder.otpExpiresAt?.getTime() ?? 0) <= opts.staleBefore.getTime() || holder.otpAttempts >= opts.maxAttempts);
          if (!stale) return { outcome: 'HELD', holder };
          await deleteInTx(tx, holder, row.createdAt, 'VERIFICATION_LAPSED');
        }
        const count = await liveKeyCount(tx, row.accountId);
        if (count >= opts.maxKeys) return { outcome: 'LIMIT', count };
        const key = await tx.pixKey.create({ data: { ...row, activeValue: row.value, otpAttempts: 0 } });
        if (key.status === 'ACTIVE') await appendPaymentEvents(tx, [keyEvent('payments.pix.key.registered', key)]);
        return { outcome: 'CREATED', key };
      });
    },

    /** Counts one try of a PENDING key's code (at most `maxAttempts`): the tries made so far, or null when none is left (or the key is not pending). */
    async spendAttempt(id: string, maxAttempts: number): Promise<number | null> {
      const rows = await db.$queryRaw<{ attempts: number }[]>`
        UPDATE payments.pix_key SET otp_attempts = otp_attempts + 1
         WHERE id = ${id}::uuid AND status = 'PENDING_VERIFICATION' AND otp_attempts < ${maxAttempts}
        RETURNING otp_attempts AS attempts`;
      return rows[0] ? Number(rows[0].attempts) : null;
    },

    /** Activates a PENDING key (its code was right): null when it is no longer pending. */
    async activate(id: string, at: Date): Promise<PixKeyRow | null> {
      return db.$transaction(async (tx) => {
        const moved = await tx.pixKey.updateMany({ where: { id, status: 'PENDING_VERIFICATION' }, data: { status: 'ACTIVE', verifiedAt: at, otpHash: null, otpExpiresAt: null } });
        if (moved.count === 0) return null;
        const key = (await tx.pixKey.findUnique({ where: { id } }))!;
        await appendPaymentEvents(tx, [keyEvent('payments.pix.key.registered', key)]);
        return key;
      });
    },

    /** Gives a PENDING key a new code (tries reset), unless its last one was issued after `issuedAfter`: the key, or null. */
    async reissueCode(id: string, otpHash: string, otpExpiresAt: Date, lastExpiresBefore: Date): Promise<PixKeyRow | null> {
      const moved = await db.pixKey.updateMany({
        where: { id, status: 'PENDING_VERIFICATION', OR: [{ otpExpiresAt: null }, { otpExpiresAt: { lte: lastExpiresBefore } }] },
        data: { otpHash, otpExpiresAt, otpAttempts: 0 },
      });
      return moved.count ? db.pixKey.findUnique({ where: { id } }) : null;
    },

    /** Expires a PENDING key's code at once (its delivery failed), so a repeat of the registration issues another. */
    async expireCode(id: string, at: Date): Promise<void> {
      await db.pixKey.updateMany({ where: { id, status: 'PENDING_VERIFICATION' }, data: { otpExpiresAt: at } });
    },

    /** Deletes a key (value released; open claims on it cancelled): the key, or null when it was already DELETED. */
    async deleteKey(id: string, at: Date): Promise<PixKeyRow | null> {
      return db.$transaction(async (tx) => {
        const key = await tx.pixKey.findUnique({ where: { id } });
        return key ? deleteInTx(tx, key, at, 'OWNER_REQUEST') : null;
      });
    },

    async findClaimsByIds(ids: readonly string[]): Promise<PixKeyClaimRow[]> {
      return ids.length ? withDonors(db, await db.pixKeyClaim.findMany({ where: { id: { in: [...ids] } } })) : [];
    },

    /** Claims opened by the account, and claims on its keys (any status), newest first. */
    async listClaimsByAccount(accountId: string, limit = 100): Promise<PixKeyClaimRow[]> {
      const own = await db.pixKey.findMany({ where: { accountId }, select: { id: true } });
      const claims = await db.pixKeyClaim.findMany({
        where: { OR: [{ accountId }, ...(own.length ? [{ donorKeyId: { in: own.map((k) => k.id) } }] : [])] },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        take: limit,
      });
      return withDonors(db, claims);
    },

    /**
     * Opens a claim on the ACTIVE key holding the value, locked: NOT_REGISTERED (no key holds it),
     * NOT_ACTIVE (it waits for verification), SAME_ACCOUNT (the claimer's own account holds it),
     * CLAIM_OPEN (another claim on it is open), LIMIT (the claimer's account is full).
     */
    async openClaim(row: NewPixKeyClaim, opts: { maxKeys: number }): Promise<ClaimOpenResult> {
      return db.$transaction(async (tx) => {
        await lockAccount(tx, row.accountId);
        const donor = await lockHolder(tx, row.value);
        if (!donor) return { outcome: 'NOT_REGISTERED' };
        if (donor.accountId === row.accountId) return { outcome: 'SAME_ACCOUNT' };
        if (donor.status !== 'ACTIVE') return { outcome: 'NOT_ACTIVE' };
        if (await tx.pixKeyClaim.count({ where: { donorKeyId: donor.id, status: 'OPEN' } })) return { outcome: 'CLAIM_OPEN' };
        const count = await liveKeyCount(tx, row.accountId);
        if (count >= opts.maxKeys) return { outcome: 'LIMIT', count };
        const claim = await tx.pixKeyClaim.create({ data: { ...row, donorKeyId: donor.id, status: 'OPEN' } });
        await appendPaymentEvents(tx, [claimEvent('payments.pix.key.claim_opened', claim, { donorAccountId: donor.accountId })]);
        return { outcome: 'OPENED', claim: { ...claim, donorTenantId: donor.tenantId, donorCustomerId: donor.customerId } };
      });
    },

    /**
     * Completes an OPEN claim: the donor key DELETED, a new ACTIVE key (id claimedKeyId) on the
     * claimer's account, the claim COMPLETED, in one transaction. Null when the claim is no longer OPEN.
     */
    async completeClaim(id: string, at: Date, holderKind: string, via: 'DONOR_CONFIRMED' | 'RESOLUTION_PERIOD_ENDED'): Promise<PixKeyClaimRow | null> {
      return db.$transaction(async (tx) => {
        const moved = await tx.pixKeyClaim.updateMany({ where: { id, status: 'OPEN' }, data: { status: 'COMPLETED', resolvedAt: at } });
        if (moved.count === 0) return null;
        const claim = (await tx.pixKeyClaim.findUnique({ where: { id } }))!;
        const donor = await tx.pixKey.findUnique({ where: { id: claim.donorKeyId } });
        if (donor) await deleteInTx(tx, donor, at, 'CLAIMED');
        const key = await tx.pixKey.create({
          data: {
            id: claimedKeyId(claim.id), tenantId: claim.tenantId, customerId: claim.customerId, accountId: claim.accountId, keyType: claim.keyType, value: claim.value,
            activeValue: claim.value, status: 'ACTIVE', holderKind, requestHash: claim.requestHash, createdAt: at, verifiedAt: at,
          },
        });
        await appendPaymentEvents(tx, [keyEvent('payments.pix.key.registered', key, { claimId: claim.id }), claimEvent('payments.pix.key.claim_completed', claim, { newKeyId: key.id, via })]);
        return (await withDonors(tx, [claim]))[0]!;
      });
    },

    /** Cancels an OPEN claim (the key stays where it is): null when it is no longer OPEN. */
    async cancelClaim(id: string, at: Date, by: 'CLAIMER' | 'DONOR' | 'RESOLUTION_PERIOD_ENDED'): Promise<PixKeyClaimRow | null> {
      return db.$transaction(async (tx) => {
        const moved = await tx.pixKeyClaim.updateMany({ where: { id, status: 'OPEN' }, data: { status: 'CANCELLED', resolvedAt: at } });
        if (moved.count === 0) return null;
        const claim = (await tx.pixKeyClaim.findUnique({ where: { id } }))!;
        await appendPaymentEvents(tx, [claimEvent('payments.pix.key.claim_cancelled', claim, { by })]);
        return (await withDonors(tx, [claim]))[0]!;
      });
    },

    /** OPEN claims whose resolveBy is at or before `now`, oldest first (the timer's batch). */
    async listDueClaims(now: Date, limit: number): Promise<PixKeyClaimRow[]> {
      return withDonors(db, await db.pixKeyClaim.findMany({ where: { status: 'OPEN', resolveBy: { lte: now } }, orderBy: [{ resolveBy: 'asc' }, { id: 'asc' }], take: limit }));
    },

    /** The holder kind of an account's keys: COMPANY when any of them is a company's, else PERSON. */
    async holderKindOf(accountId: string): Promise<'PERSON' | 'COMPANY'> {
      const company = await db.pixKey.count({ where: { accountId, holderKind: 'COMPANY', status: { not: 'DELETED' } } });
      return company > 0 ? 'COMPANY' : 'PERSON';
    },
  };
}

export type PixKeyStore = ReturnType<typeof createPixKeyStore>;
