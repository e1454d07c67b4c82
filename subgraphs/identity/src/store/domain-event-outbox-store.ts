import { uuidv7 } from '@baas/db';
import type { Db } from './db';

/** Writes to identity.domain_event_outbox (relayed to NATS, stream IDENTITY_EVENTS, by the domain event relay). */
export function createDomainEventOutboxStore(db: Db) {
  return {
    /**
     * One event (a new time-ordered id; the trigger numbers it). Call it in the caller's transaction,
     * last (the sequencing trigger serialises writers from the insert on): the event leaves if and
     * only if the change is stored. The payload must hold no clear personal data.
     */
    append: async (subject: string, payload: unknown): Promise<string> => {
      const eventId = uuidv7();
      await db.domainEventOutbox.create({ data: { eventId, subject, payload: JSON.stringify(payload) } });
      return eventId;
    },
  };
}

export type DomainEventOutboxStore = ReturnType<typeof createDomainEventOutboxStore>;
