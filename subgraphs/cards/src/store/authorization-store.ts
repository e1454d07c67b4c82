import type { CardAuthorization, Prisma, PrismaClient } from '../generated/prisma/client';
import { appendCardEvents, cardEventJson, type CardEvent } from './card-events';
import { SELECT_AUTHORIZATION } from './card-columns';

/** An authorisation as stored (cards.card_authorization). */
export type AuthorizationRow = CardAuthorization;

/** What a new authorisation is claimed with (state PENDING until decided). */
export type NewAuthorization = Pick<
  CardAuthorization,
  'id' | 'cardId' | 'tenantId' | 'customerId' | 'rrn' | 'stan' | 'kind' | 'amount' | 'currency' | 'mcc' | 'merchant' | 'country' | 'channel'
>;

/** The decision written on a claimed authorisation. */
export type AuthorizationDecision = Pick<CardAuthorization, 'state' | 'responseCode' | 'declineReason' | 'approvalCode' | 'riskScoreBps' | 'decidedBy' | 'holds' | 'expiresAt'>;

export type AuthorizationChange = Partial<Pick<CardAuthorization, 'state' | 'amount' | 'captured' | 'released' | 'holds'>>;

export type Tx = Prisma.TransactionClient;

/** Every statement about card authorisations. */
export function createAuthorizationStore(db: PrismaClient) {
  return {
    /**
     * Claims (cardId, rrn) for a new authorisation, PENDING, with response code '96' until decided. Answers
     * false when the pair is already taken (a repeated or incremental message: read it with byCardRrn).
     */
    async claim(row: NewAuthorization): Promise<boolean> {
      const { count } = await db.cardAuthorization.createMany({ data: [{ ...row, state: 'PENDING', responseCode: '96' }], skipDuplicates: true });
      return count === 1;
    },
    byCardRrn(cardId: string, rrn: string): Promise<AuthorizationRow | null> {
      return db.cardAuthorization.findUnique({ where: { cardId_rrn: { cardId, rrn } } });
    },
    /** A card's authorisations, newest first. */
    listByCard(cardId: string, first: number): Promise<AuthorizationRow[]> {
      return db.cardAuthorization.findMany({ where: { cardId }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take: first });
    },
    byId(id: string): Promise<AuthorizationRow | null> {
      return db.cardAuthorization.findUnique({ where: { id } });
    },
    /**
     * Writes the decision of a PENDING authorisation and its events and answers the row as decided, in ONE
     * statement (the update, and the events inserted only from its result: one round trip, atomic as any
     * statement). Answers null (nothing written) when it is no longer PENDING: recovery declined a claim
     * left undecided too long. A repeated eventId is skipped, as appendCardEvents does.
     */
    async decide(id: string, d: AuthorizationDecision, events: readonly CardEvent[]): Promise<AuthorizationRow | null> {
      const rows = await db.$queryRaw<AuthorizationRow[]>`
        WITH a AS (
          UPDATE cards.card_authorization SET state = ${d.state}, response_code = ${d.responseCode}, decline_reason = ${d.declineReason}, approval_code = ${d.approvalCode},
            risk_score_bps = ${d.riskScoreBps}::int, decided_by = ${d.decidedBy}, holds = ${d.holds}::int, expires_at = ${d.expiresAt}::timestamptz, updated_at = now()
          WHERE id = ${id}::uuid AND state = 'PENDING'
          RETURNING *
        ), e AS (
          INSERT INTO cards.card_event_outbox (event_id, subject, payload)
          SELECT x.event_id, x.subject, x.payload FROM a, unnest(${events.map((e) => e.eventId)}::uuid[], ${events.map((e) => e.subject)}::text[], ${events.map((e) => cardEventJson(e.data))}::text[]) AS x(event_id, subject, payload)
          ON CONFLICT (event_id) DO NOTHING
        )
        SELECT ${SELECT_AUTHORIZATION} FROM a`;
      return rows[0] ?? null;
    },
    /** PENDING claims created before `before` (their decision never came: a crash), oldest first. */
    stalePending(before: Date, limit: number): Promise<AuthorizationRow[]> {
      return db.cardAuthorization.findMany({ where: { state: 'PENDING', createdAt: { lte: before } }, orderBy: { createdAt: 'asc' }, take: limit });
    },
    /** Deletes a claim that was never decided (the decision failed before anything was held). */
    async abandon(id: string): Promise<void> {
      await db.cardAuthorization.deleteMany({ where: { id, state: 'PENDING' } });
    },
    /**
     * Runs `work` in a transaction holding the authorisation's row lock (FOR UPDATE): one lifecycle change
     * (increment, capture, reversal, expiry) of an authorisation at a time. Ledger calls happen inside it:
     * their derived ids make a retry after a failed commit a replay.
     */
    async withLocked<T>(id: string, work: (tx: Tx, row: AuthorizationRow) => Promise<T>): Promise<T> {
      return db.$transaction(
        async (tx) => {
          await tx.$queryRaw`SELECT id FROM cards.card_authorization WHERE id = ${id}::uuid FOR UPDATE`;
          const row = await tx.cardAuthorization.findUniqueOrThrow({ where: { id } });
          return work(tx, row);
        },
        { timeout: 30_000, maxWait: 30_000 },
      );
    },
    async change(tx: Tx, id: string, change: AuthorizationChange, events: readonly CardEvent[]): Promise<AuthorizationRow> {
      const row = await tx.cardAuthorization.update({ where: { id }, data: change });
      await appendCardEvents(tx, events);
      return row;
    },
    /** APPROVED authorisations whose holds expired by `now` (oldest first). */
    expiredBy(now: Date, limit: number): Promise<AuthorizationRow[]> {
      return db.cardAuthorization.findMany({ where: { state: 'APPROVED', expiresAt: { lte: now } }, orderBy: { expiresAt: 'asc' }, take: limit });
    },
  };
}

export type AuthorizationStore = ReturnType<typeof createAuthorizationStore>;
