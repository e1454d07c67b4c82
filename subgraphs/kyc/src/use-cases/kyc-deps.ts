import type { KycEventStore } from '../store/kyc-event-store';
import type { AuditLog } from '@baas/audit';
import type { Identity } from '@baas/auth';
import { badInput } from '@baas/errors';
import type { Logger } from '@baas/observability';
import type { PiiVault } from '@baas/pii';
import type { TenantKycRules } from '../domain/kyc-decision';
import type { ApplicationStore } from '../store/application-store';
import type { CustomerKycStore } from '../store/customer-kyc-store';
import type { DocumentStore } from '../store/document-store';
import type { UploadStore } from '../store/upload-store';
import type { KycChecks } from './kyc-checks';

/** What the KYC use cases need; the composition root builds it once, the context adds the request's audit trail. */
export type KycDeps = {
  applications: ApplicationStore;
  uploads: UploadStore;
  documents: DocumentStore;
  customers: CustomerKycStore;
  vault: PiiVault;
  /** The HMAC key upload tokens are made with (KYC_UPLOAD_TOKEN_KEY). */
  uploadTokenKey: Uint8Array;
  /** Where clients PUT files: KYC_PUBLIC_URL, or this service's own address. */
  publicUrl: () => string;
  /** Whether a customer exists and is active in a tenant (identity); NOT_FOUND otherwise. */
  requireActiveCustomer: (tenantId: string, customerId: string) => Promise<unknown>;
  /** Whether a customer (any status) belongs to a tenant (identity); SUBGRAPH_UNAVAILABLE when identity cannot say. */
  customerInTenant: (tenantId: string, customerId: string) => Promise<boolean>;
  /** The tenant's decision rules. */
  rulesOf: (tenantId: string) => Promise<TenantKycRules>;
  /** The checks; null until the real engines are wired (applications then wait in SUBMITTED). */
  checks: KycChecks | null;
  /** Wakes the processor after a submit or a new document (it also polls). */
  wake?: () => void;
  audit?: AuditLog | null;
  logger?: Logger;
  now?: () => Date;
  /** The KYC events outbox (kyc_events; relayed to KYC_EVENTS); absent: no events are written. */
  kycEvents?: KycEventStore | null;
};

export const nowOf = (deps: Pick<KycDeps, 'now'>): Date => deps.now?.() ?? new Date();

export const auditActor = (who: Identity) => ({ kind: who.kind, subject: who.subject, tenantId: who.tenantId });

const ID = /^[A-Za-z0-9_-]{8,64}$/;

/** A client-supplied id (an idempotency key): 8 to 64 of [A-Za-z0-9_-] (UUIDs fit); BAD_USER_INPUT otherwise. */
export function requireClientId(value: unknown, field: string): string {
  if (typeof value !== 'string' || !ID.test(value)) throw badInput(`${field} is 8 to 64 letters, digits, '-' or '_' (a UUID fits).`, { field, reason: 'MALFORMED_ID' });
  return value.toLowerCase();
}
