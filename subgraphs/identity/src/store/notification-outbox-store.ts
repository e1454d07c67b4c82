import { uuidv7 } from '@baas/db';
import type { Db } from './db';

/** Writes to identity.notification_outbox (relayed to NATS by the notification relay). */
export function createNotificationOutboxStore(db: Db) {
  return {
    /** One sealed notification (a new time-ordered id); in the caller's transaction, so it leaves if and only if the change is stored. */
    insert: async (row: { tenantId: string; subject: string; payloadSealed: string }) => {
      await db.notificationOutbox.create({ data: { id: uuidv7(), ...row } });
    },
  };
}

export type NotificationOutboxStore = ReturnType<typeof createNotificationOutboxStore>;
