import type { Collection } from 'mongodb';
import { defineCollection } from '@baas/mongo';
import type { ScreeningHit } from '../domain/screening/screen-name';

/** MongoDB's duplicate-key error (kept here: kyc-collections.ts spreads this file's collections). */
const isDuplicateKey = (error: unknown): boolean => typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 11000;

/**
 * A possible match found by rescreening an approved customer against a new list version: for an
 * operator (the evidence is the listed parties' public data; the applicant's data stays sealed on
 * the application). One per (list version, tenant, customer).
 */
export type RescreenReviewDoc = {
  _id: string;
  tenantId: string;
  customerId: string;
  applicationId: string;
  listVersion: string;
  status: 'OPEN' | 'CLEARED' | 'CONFIRMED';
  /** The reportable hits, best first. */
  hits: ScreeningHit[];
  bestScore: number;
  createdAt: Date;
};

/** One rescreen per list version: its progress (resumes after a crash) and when it finished. */
export type RescreenRunDoc = { _id: string; startedAt: Date; lastApplicationId: string | null; screened: number; hits: number; finishedAt: Date | null };

/**
 * The rescreen collections. kyc-collections.ts registers them by spreading this object into
 * kycCollections (`...rescreenCollections`), which gives `mongo.collections.rescreenReviews` and
 * `mongo.collections.rescreenRuns`.
 */
export const rescreenCollections = {
  rescreenReviews: defineCollection<RescreenReviewDoc>({
    name: 'kyc_rescreen_reviews',
    indexes: [
      { name: 'status_created', key: { status: 1, createdAt: 1 } },
      { name: 'customer', key: { tenantId: 1, customerId: 1, createdAt: -1 } },
    ],
    schema: {
      bsonType: 'object',
      required: ['_id', 'tenantId', 'customerId', 'applicationId', 'listVersion', 'status', 'hits', 'createdAt'],
      properties: { _id: { bsonType: 'string' }, status: { enum: ['OPEN', 'CLEARED', 'CONFIRMED'] } },
    },
  }),
  rescreenRuns: defineCollection<RescreenRunDoc>({ name: 'kyc_rescreen_runs' }),
};

/**
 * Every MongoDB statement of rescreening's own collections: review items and runs. (The approved
 * applications are paged by rescreen-approved-applications.ts: this file must not import
 * kyc-collections.ts, which spreads rescreenCollections.)
 */
export function createRescreenStore(collections: { rescreenReviews: Collection<RescreenReviewDoc>; rescreenRuns: Collection<RescreenRunDoc> }) {
  const { rescreenReviews: reviews, rescreenRuns: runs } = collections;
  return {
    /** Inserts a review item; false when its id is already there (a repeat of the same rescreen). */
    async insertReview(doc: RescreenReviewDoc): Promise<boolean> {
      try {
        await reviews.insertOne(doc);
        return true;
      } catch (error) {
        if (isDuplicateKey(error)) return false;
        throw error;
      }
    },

    async reviewsOf(filter: { listVersion?: string; customerId?: string }): Promise<RescreenReviewDoc[]> {
      return reviews.find(filter).sort({ createdAt: 1, _id: 1 }).toArray();
    },

    async findRun(listVersion: string): Promise<RescreenRunDoc | null> {
      return runs.findOne({ _id: listVersion });
    },

    /** Starts the run of a list version (or finds the one a crash left). */
    async startRun(listVersion: string, now: Date): Promise<RescreenRunDoc> {
      try {
        const doc: RescreenRunDoc = { _id: listVersion, startedAt: now, lastApplicationId: null, screened: 0, hits: 0, finishedAt: null };
        await runs.insertOne(doc);
        return doc;
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
        return (await runs.findOne({ _id: listVersion }))!;
      }
    },

    /** Records a page done: a crashed run resumes after `lastApplicationId`. */
    async recordProgress(listVersion: string, lastApplicationId: string, screened: number, hits: number): Promise<void> {
      await runs.updateOne({ _id: listVersion }, { $set: { lastApplicationId }, $inc: { screened, hits } });
    },

    async finishRun(listVersion: string, now: Date): Promise<void> {
      await runs.updateOne({ _id: listVersion }, { $set: { finishedAt: now } });
    },
  };
}

export type RescreenStore = ReturnType<typeof createRescreenStore>;
