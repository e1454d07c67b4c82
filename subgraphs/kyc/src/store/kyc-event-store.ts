import type { Collection } from 'mongodb';
import { defineCollection } from '@baas/mongo';
import type { KycEvent, KycEventData, KycEventType } from '../domain/kyc-event-types';

/**
 * One outbox document per KYC domain event. `_id` is the event id (deterministic per step, see
 * domain/kyc-event-types.ts), so appending a step's events again stores nothing new; `sentAt` is
 * null until the relay's publish is acknowledged by JetStream.
 */
export type KycEventDoc = {
  _id: string;
  type: KycEventType;
  /** The application (or customer, for rescreen hits) whose events are ordered by `version`. */
  aggregateId: string;
  version: number;
  /** The event's place among its step's events (a step appends several at once). */
  ordinal: number;
  occurredAt: Date;
  /** When it was appended: the relay publishes unsent events in (createdAt, version, ordinal) order. */
  createdAt: Date;
  data: KycEventData;
  sentAt: Date | null;
  attempts: number;
};

/**
 * The outbox collection. kyc-collections.ts registers it by spreading this object into
 * kycCollections (`...kycEventCollections`), which gives `mongo.collections.kycEvents`.
 */
export const kycEventCollections = {
  kycEvents: defineCollection<KycEventDoc>({
    name: 'kyc_events',
    indexes: [
      { name: 'unsent_order', key: { sentAt: 1, createdAt: 1, version: 1, ordinal: 1 } },
      { name: 'aggregate_version', key: { aggregateId: 1, version: 1 } },
    ],
    schema: {
      bsonType: 'object',
      required: ['_id', 'type', 'aggregateId', 'version', 'ordinal', 'occurredAt', 'createdAt', 'data', 'attempts'],
      properties: { _id: { bsonType: 'string' }, type: { bsonType: 'string', pattern: '^kyc\\.' }, data: { bsonType: 'object', required: ['tenantId', 'customerId'] } },
    },
  }),
};

/** MongoDB's duplicate-key error (not claims.ts's: that imports kyc-collections.ts, which spreads this file's collections). */
const isDuplicateKey = (error: unknown): boolean => typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 11000;

export type UnsentKycEvent = { id: string; type: KycEventType; occurredAt: Date; createdAt: Date; data: KycEventData; attempts: number };

/** Every MongoDB statement about KYC's event outbox. */
export function createKycEventStore(events: Collection<KycEventDoc>) {
  return {
    /**
     * Appends events (one insert each, in the order given: FerretDB has no multi-document
     * transactions). An id already stored is left as it is, sent or not: appending is idempotent.
     * Returns how many were new.
     */
    async append(list: readonly KycEvent[], now: Date = new Date()): Promise<number> {
      let added = 0;
      for (const [ordinal, e] of list.entries()) {
        try {
          await events.insertOne({ _id: e.id, type: e.type, aggregateId: e.aggregateId, version: e.version, ordinal, occurredAt: e.occurredAt, createdAt: now, data: e.data, sentAt: null, attempts: 0 });
          added += 1;
        } catch (error) {
          if (!isDuplicateKey(error)) throw error;
        }
      }
      return added;
    },

    /** The oldest unsent events, in publishing order. */
    async unsent(limit: number): Promise<UnsentKycEvent[]> {
      const docs = await events.find({ sentAt: null }).sort({ createdAt: 1, version: 1, ordinal: 1, _id: 1 }).limit(limit).toArray();
      return docs.map((d) => ({ id: d._id, type: d.type, occurredAt: d.occurredAt, createdAt: d.createdAt, data: d.data, attempts: d.attempts }));
    },

    /** Records JetStream's acknowledgement (a repeat is harmless). */
    async markSent(id: string, at: Date): Promise<void> {
      await events.updateOne({ _id: id }, { $set: { sentAt: at }, $inc: { attempts: 1 } });
    },

    /** Counts a failed publish (for operators; the event stays unsent and is retried). */
    async markFailed(id: string): Promise<void> {
      await events.updateOne({ _id: id, sentAt: null }, { $inc: { attempts: 1 } });
    },

    async countUnsent(): Promise<number> {
      return events.countDocuments({ sentAt: null });
    },

    async findById(id: string): Promise<KycEventDoc | null> {
      return events.findOne({ _id: id });
    },

    /** Deletes events sent before `before` (retention); never an unsent one ($lt matches dates only, not null). */
    async deleteSentBefore(before: Date): Promise<number> {
      return (await events.deleteMany({ sentAt: { $lt: before } })).deletedCount;
    },
  };
}

export type KycEventStore = ReturnType<typeof createKycEventStore>;
