import type { Collection, Filter } from 'mongodb';
import type { PiiVault } from '@baas/pii';
import type { Applicant } from '../domain/applicant';
import type { ApplicationState } from '../domain/application-states';
import { isDuplicateKey, type Claims } from './claims';
import type { KycApplicationDoc } from './kyc-collections';

/** An application as the use cases see it: the applicant opened. */
export type KycApplicationRow = Omit<KycApplicationDoc, '_id' | 'applicantSealed'> & { id: string; applicant: Applicant };

export type NewApplication = Omit<KycApplicationRow, 'version' | 'documents' | 'checks' | 'decision' | 'nextAttemptAt' | 'attempts' | 'updatedAt' | 'submittedAt'>;

/** The fields an update may set (never the owner, id or request hash). */
export type ApplicationChanges = Partial<Pick<KycApplicationDoc, 'state' | 'documents' | 'checks' | 'decision' | 'nextAttemptAt' | 'attempts' | 'submittedAt'>>;


/** The applicant's sealing context: bound to its tenant and application, so a ciphertext cannot move. */
export const applicantContext = (tenantId: string, applicationId: string) => `kyc.applicant:${tenantId}:${applicationId}`;

/** Every MongoDB statement about KYC applications. The applicant is sealed here and opened here. */
export function createApplicationStore(applications: Collection<KycApplicationDoc>, claims: Claims, vault: PiiVault) {
  const toRow = (doc: KycApplicationDoc): KycApplicationRow => {
    const { _id, applicantSealed, ...rest } = doc;
    return { ...rest, id: _id, applicant: JSON.parse(vault.decrypt(applicantSealed, applicantContext(doc.tenantId, _id))) as Applicant };
  };
  const store = {
    /** Inserts a new DRAFT application; null when its id is taken (the caller reads the stored one). */
    async insert(row: NewApplication): Promise<KycApplicationRow | null> {
      const doc: KycApplicationDoc = {
        _id: row.id,
        tenantId: row.tenantId,
        customerId: row.customerId,
        state: row.state,
        version: 1,
        requestHash: row.requestHash,
        applicantSealed: vault.encrypt(JSON.stringify(row.applicant), applicantContext(row.tenantId, row.id)),
        documents: [],
        checks: {},
        decision: null,
        nextAttemptAt: null,
        attempts: 0,
        createdAt: row.createdAt,
        updatedAt: row.createdAt,
        submittedAt: null,
      };
      try {
        await applications.insertOne(doc);
      } catch (error) {
        if (isDuplicateKey(error)) return null;
        throw error;
      }
      return toRow(doc);
    },

    async findById(id: string): Promise<KycApplicationRow | null> {
      const doc = await applications.findOne({ _id: id });
      return doc ? toRow(doc) : null;
    },

    async findByIds(ids: readonly string[]): Promise<KycApplicationRow[]> {
      return (await applications.find({ _id: { $in: [...ids] } }).toArray()).map(toRow);
    },

    /** A customer's applications in a tenant (or a tenant's, customerId null), newest first. */
    async list(scope: { tenantId: string | null; customerId: string | null; state?: ApplicationState | null }, first: number): Promise<KycApplicationRow[]> {
      const filter: Filter<KycApplicationDoc> = {};
      if (scope.tenantId) filter.tenantId = scope.tenantId;
      if (scope.customerId) filter.customerId = scope.customerId;
      if (scope.state) filter.state = scope.state;
      return (await applications.find(filter).sort({ createdAt: -1, _id: 1 }).limit(first).toArray()).map(toRow);
    },

    /** The review queue: MANUAL_REVIEW, longest waiting first, after (updatedAt, id) when paging. */
    async reviewQueue(first: number, after: { updatedAt: Date; id: string } | null): Promise<KycApplicationRow[]> {
      const filter: Filter<KycApplicationDoc> = { state: 'MANUAL_REVIEW' };
      if (after) filter.$or = [{ updatedAt: { $gt: after.updatedAt } }, { updatedAt: after.updatedAt, _id: { $gt: after.id } }];
      return (await applications.find(filter).sort({ updatedAt: 1, _id: 1 }).limit(first).toArray()).map(toRow);
    },

    /**
     * Applies `changes` if the application is still at `version` (compare-and-set): the updated row,
     * or null when someone else changed it first (the caller reads it again and decides). The step
     * to version + 1 is claimed first (a unique claim: one winner even on FerretDB, whose
     * findAndModify is not atomic); the claim goes once the write landed.
     */
    async update(id: string, version: number, changes: ApplicationChanges, now: Date): Promise<KycApplicationRow | null> {
      const claim = `application:${id}:${version + 1}`;
      const stillPending = async () => (await applications.countDocuments({ _id: id, version })) === 1;
      if (!(await claims.take(claim, now, { stillPending }))) return null;
      const written = await applications.updateOne({ _id: id, version }, { $set: { ...changes, version: version + 1, updatedAt: now } });
      await claims.release(claim);
      if (written.matchedCount === 0) return null;
      const doc = await applications.findOne({ _id: id });
      return doc && doc.version === version + 1 ? toRow(doc) : null;
    },

    /**
     * Claims one application due for processing (SUBMITTED or PROCESSING with nextAttemptAt <= now):
     * pushes nextAttemptAt one lease ahead and counts the attempt (a version step, so exactly one
     * processor wins it), so a processor that dies leaves it to the next claim after the lease.
     * Null when none is due.
     */
    async claimDue(now: Date, leaseMs: number): Promise<KycApplicationRow | null> {
      const due = await applications
        .find({ state: { $in: ['SUBMITTED', 'PROCESSING'] }, nextAttemptAt: { $lte: now } })
        .sort({ nextAttemptAt: 1 })
        .limit(10)
        .toArray();
      for (const doc of due) {
        const claimed = await store.update(doc._id, doc.version, { nextAttemptAt: new Date(now.getTime() + leaseMs), attempts: doc.attempts + 1 }, now);
        if (claimed) return claimed;
      }
      return null;
    },
  };
  return store;
}

export type ApplicationStore = ReturnType<typeof createApplicationStore>;
