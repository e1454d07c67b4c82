import { createHash } from 'node:crypto';
import type { Collection } from 'mongodb';
import type { PiiVault } from '@baas/pii';
import type { KycDocumentChunkDoc, KycDocumentDoc } from './kyc-collections';

export type KycDocumentRow = Omit<KycDocumentDoc, '_id'> & { id: string };
export type NewDocument = Omit<KycDocumentRow, 'bytes' | 'sha256' | 'chunkCount' | 'keyId' | 'erasedAt'>;

/**
 * Chunk size before sealing. A sealed chunk is base64 of base64 of this (about 1.8 times larger),
 * far under MongoDB's 16 MiB document limit, which a whole 10 MB document would not be.
 */
export const CHUNK_BYTES = 1024 * 1024;

/** A chunk's sealing context: bound to tenant, document and position, so chunks cannot be swapped. */
export const chunkContext = (tenantId: string, documentId: string, n: number) => `kyc.document:${tenantId}:${documentId}:${n}`;

const toRow = ({ _id, ...rest }: KycDocumentDoc): KycDocumentRow => ({ ...rest, id: _id });

/**
 * Every MongoDB statement about documents: the bytes are sealed with the PII vault (AES-256-GCM,
 * its active key) in 1 MiB chunks; the metadata row is written last, so a document is readable only
 * once whole. Erasing deletes the chunks and keeps the metadata (erasedAt).
 */
export function createDocumentStore(documents: Collection<KycDocumentDoc>, chunks: Collection<KycDocumentChunkDoc>, vault: PiiVault) {
  return {
    async save(row: NewDocument, bytes: Uint8Array): Promise<KycDocumentRow> {
      const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      const chunkCount = Math.max(1, Math.ceil(buffer.length / CHUNK_BYTES));
      // A repeat after a crash overwrites the same chunk ids (they are position-named).
      for (let n = 0; n < chunkCount; n++) {
        const part = buffer.subarray(n * CHUNK_BYTES, (n + 1) * CHUNK_BYTES);
        const sealed = vault.encrypt(part.toString('base64'), chunkContext(row.tenantId, row.id, n));
        await chunks.updateOne({ _id: `${row.id}:${n}` }, { $set: { documentId: row.id, n, sealed } }, { upsert: true });
      }
      const doc: KycDocumentDoc = {
        _id: row.id,
        tenantId: row.tenantId,
        customerId: row.customerId,
        applicationId: row.applicationId,
        documentType: row.documentType,
        contentType: row.contentType,
        bytes: buffer.length,
        sha256: createHash('sha256').update(buffer).digest('hex'),
        chunkCount,
        keyId: vault.activeKeyId,
        createdAt: row.createdAt,
        erasedAt: null,
      };
      const { _id, ...fields } = doc;
      await documents.updateOne({ _id }, { $set: fields }, { upsert: true });
      return toRow(doc);
    },

    async findById(id: string): Promise<KycDocumentRow | null> {
      const doc = await documents.findOne({ _id: id });
      return doc ? toRow(doc) : null;
    },

    async listByApplication(applicationId: string): Promise<KycDocumentRow[]> {
      return (await documents.find({ applicationId }).sort({ createdAt: 1, _id: 1 }).toArray()).map(toRow);
    },

    /** The plain bytes (checked against the stored SHA-256); null once erased. */
    async readBytes(id: string): Promise<Uint8Array | null> {
      const doc = await documents.findOne({ _id: id });
      if (!doc || doc.erasedAt) return null;
      const parts = await chunks.find({ documentId: id }).sort({ n: 1 }).toArray();
      if (parts.length !== doc.chunkCount) throw new Error(`document ${id} has ${parts.length} of ${doc.chunkCount} chunks`);
      const buffer = Buffer.concat(parts.map((p) => Buffer.from(vault.decrypt(p.sealed, chunkContext(doc.tenantId, id, p.n)), 'base64')));
      if (createHash('sha256').update(buffer).digest('hex') !== doc.sha256) throw new Error(`document ${id} does not match its digest`);
      return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
    },

    /** Erases the bytes of every document of an application (LGPD): chunks deleted, metadata kept with erasedAt. */
    async eraseApplication(applicationId: string, now: Date): Promise<number> {
      const ids = (await documents.find({ applicationId }, { projection: { _id: 1 } }).toArray()).map((d) => d._id);
      if (ids.length === 0) return 0;
      await chunks.deleteMany({ documentId: { $in: ids } });
      await documents.updateMany({ _id: { $in: ids }, erasedAt: null }, { $set: { erasedAt: now } });
      return ids.length;
    },

    /** Chunks left for a document (0 once erased): for tests and audits of erasure. */
    async chunkCount(id: string): Promise<number> {
      return chunks.countDocuments({ documentId: id });
    },
  };
}

export type DocumentStore = ReturnType<typeof createDocumentStore>;
