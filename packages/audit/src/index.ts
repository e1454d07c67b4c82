// @baas/audit: the platform's append-only audit trail (authentication events and authorisation
// denials from every subgraph), stored in MongoDB (FerretDB v1 locally).
//
// Append-only. This API is insert-only: events are written with insertMany and read with find;
// nothing here updates, replaces or deletes a document, and an event id that is already stored is
// never overwritten (a repeated insert fails with a duplicate key and the stored event stays).
// The application API alone does not stop someone with broader credentials, so in production the
// MongoDB user the services connect with must hold only `insert` and `find` on this collection:
//
//   // mongosh, as a user administrator, on real MongoDB (not FerretDB: v1 has no role management)
//   db.getSiblingDB('admin').runCommand({
//     createRole: 'baasAuditWriter',
//     privileges: [{ resource: { db: 'baas', collection: 'audit_events' }, actions: ['insert', 'find'] }],
//     roles: [],
//   });
//   db.getSiblingDB('admin').runCommand({
//     grantRolesToUser: '<service user>',
//     roles: [{ role: 'baasAuditWriter', db: 'admin' }],
//   });
//
// (Replace `baas` with the audit database name.) That role cannot update, delete, drop or change
// indexes, so ensureIndexes() must run once from a deploy/migration user that also holds
// `createIndex` on the collection. Operators who only read get a role with `find` alone. There
// is no hash chain: tamper evidence comes from the role above plus the database's own audit log.
//
// Durability trade-off: record() buffers in memory and a background writer inserts in batches, so a
// slow or dead MongoDB never slows or fails a request; a crash loses at most the buffered events
// (close() on shutdown writes them), and a long outage drops the oldest beyond maxBuffered (counted
// in stats().dropped and logged without event contents).
export { createAuditLog } from './create-audit-log';
export { sanitizeAuditDetails, sanitizeAuditText } from './sanitize-audit-details';
export { maskSensitiveText, maskAuditEmail, maskAuditPhone } from './mask-sensitive-text';
export { AUDIT_ACTIONS } from './actions';
export type { AuditAction } from './actions';
export { AuditError, isAuditError } from './errors';
export type { AuditErrorCode } from './errors';
export { uuidv7 } from './uuidv7';
export { MAX_PAGE_SIZE, DEFAULT_PAGE_SIZE } from './build-query';
export type {
  AuditActor,
  AuditActorKind,
  AuditEvent,
  AuditEventInput,
  AuditLog,
  AuditLogStats,
  AuditOutcome,
  AuditPage,
  AuditPageRequest,
  AuditQueryFilter,
  AuditTarget,
  CreateAuditLogOptions,
} from './types';
