import type { Collection } from 'mongodb';
import { isDuplicateKey, type Claims } from './claims';
import type { KycUploadDoc } from './kyc-collections';

export type KycUploadRow = Omit<KycUploadDoc, '_id'> & { id: string };

/** Why a token cannot be used: unknown, spent, or too old. */
export type TokenRefusal = 'KYC_UPLOAD_TOKEN_INVALID' | 'KYC_UPLOAD_TOKEN_USED' | 'KYC_UPLOAD_TOKEN_EXPIRED';

const toRow = ({ _id, ...rest }: KycUploadDoc): KycUploadRow => ({ ...rest, id: _id });

/** Every MongoDB statement about upload tokens (stored by their hash only). */
export function createUploadStore(uploads: Collection<KycUploadDoc>, claims: Claims) {
  const why = (doc: KycUploadDoc | null, now: Date): TokenRefusal | null => {
    if (!doc) return 'KYC_UPLOAD_TOKEN_INVALID';
    if (doc.usedAt) return 'KYC_UPLOAD_TOKEN_USED';
    if (doc.expiresAt.getTime() <= now.getTime()) return 'KYC_UPLOAD_TOKEN_EXPIRED';
    return null;
  };
  return {
    /** Inserts an upload; null when its id is taken. */
    async insert(row: KycUploadRow): Promise<KycUploadRow | null> {
      const { id, ...rest } = row;
      try {
        await uploads.insertOne({ _id: id, ...rest });
      } catch (error) {
        if (isDuplicateKey(error)) return null;
        throw error;
      }
      return row;
    },

    async findById(id: string): Promise<KycUploadRow | null> {
      const doc = await uploads.findOne({ _id: id });
      return doc ? toRow(doc) : null;
    },

    /** The upload a token hash names, if it can still be used; otherwise why not. */
    async usable(tokenHash: string, now: Date): Promise<{ ok: true; upload: KycUploadRow } | { ok: false; reason: TokenRefusal }> {
      const doc = await uploads.findOne({ tokenHash });
      const refusal = why(doc, now);
      return refusal ? { ok: false, reason: refusal } : { ok: true, upload: toRow(doc!) };
    },

    /** Spends the token: exactly one caller wins (a unique claim on its hash), then usedAt is set; otherwise why not. */
    async consume(tokenHash: string, now: Date): Promise<{ ok: true; upload: KycUploadRow } | { ok: false; reason: TokenRefusal }> {
      const doc = await uploads.findOne({ tokenHash });
      const refusal = why(doc, now);
      if (refusal) return { ok: false, reason: refusal };
      if (!(await claims.take(`upload-token:${tokenHash}`, now))) return { ok: false, reason: 'KYC_UPLOAD_TOKEN_USED' };
      await uploads.updateOne({ _id: doc!._id }, { $set: { usedAt: now } });
      return { ok: true, upload: toRow({ ...doc!, usedAt: now }) };
    },
  };
}

export type UploadStore = ReturnType<typeof createUploadStore>;
