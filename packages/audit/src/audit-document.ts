import { getRequestContext } from '@baas/observability';
import { sanitizeAuditDetails, sanitizeAuditText } from './sanitize-audit-details';
import type { AuditActor, AuditDocument, AuditEvent, AuditEventInput, AuditOutcome } from './types';
import { uuidv7 } from './uuidv7';

const OUTCOMES: readonly AuditOutcome[] = ['success', 'failure', 'denied'];
const SAFE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The stored document for an event, or null for one without an action or a known outcome. Text is sanitised and bounded. */
export function toDocument(input: AuditEventInput, service: string): AuditDocument | null {
  if (typeof input?.action !== 'string' || input.action === '' || !OUTCOMES.includes(input.outcome)) return null;
  const now = Date.now();
  const at = input.at instanceof Date && !Number.isNaN(input.at.getTime()) ? new Date(input.at.getTime()) : new Date(now);
  const actor = toActor(input.actor);
  const doc: AuditDocument = {
    _id: typeof input.id === 'string' && SAFE_ID.test(input.id) ? input.id : uuidv7(now),
    at,
    service,
    action: input.action.slice(0, 128),
    outcome: input.outcome,
    actor,
    tenantId: input.tenantId !== undefined ? optionalString(input.tenantId) : (actor?.tenantId ?? null),
    correlationId: input.correlationId !== undefined ? optionalString(input.correlationId) : (getRequestContext()?.correlationId ?? null),
  };
  if (input.target && typeof input.target === 'object') doc.target = { type: String(input.target.type).slice(0, 128), id: String(input.target.id).slice(0, 256) };
  if (typeof input.reason === 'string') doc.reason = sanitizeAuditText(input.reason);
  if (input.details && typeof input.details === 'object') doc.details = sanitizeAuditDetails(input.details);
  return doc;
}

function toActor(actor: AuditActor | null | undefined): AuditActor | null {
  if (!actor || typeof actor !== 'object') return null;
  // An unexpected kind is kept as given: the audit trail records what the caller said, not a guess.
  return { kind: String(actor.kind).slice(0, 32) as AuditActor['kind'], subject: String(actor.subject).slice(0, 256), tenantId: optionalString(actor.tenantId) };
}

function optionalString(value: unknown): string | null {
  return typeof value === 'string' ? value.slice(0, 256) : null;
}

/** The event a caller reads back from a stored document. */
export function fromDocument(doc: AuditDocument): AuditEvent {
  const { _id, ...rest } = doc;
  const event: AuditEvent = {
    id: _id,
    at: rest.at,
    service: rest.service,
    action: rest.action,
    outcome: rest.outcome,
    actor: rest.actor ?? null,
    tenantId: rest.tenantId ?? null,
    correlationId: rest.correlationId ?? null,
  };
  if (rest.target) event.target = rest.target;
  if (rest.reason !== undefined) event.reason = rest.reason;
  if (rest.details !== undefined) event.details = rest.details;
  return event;
}
