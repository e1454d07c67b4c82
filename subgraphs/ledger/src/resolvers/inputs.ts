import { badInput } from '@baas/errors';
import { amountArg, isUuid } from '@baas/server';
import type { CreateAccountRequest } from '../domain/ledger-account';
import { ACCOUNT_FLAGS, type TransferRequest } from '../domain/types';

/** Most items in one batch mutation (the writer commits at most this many per transaction). */
export const MAX_BATCH_ITEMS = 8190;

export function checkBatch(items: unknown[], field: string): void {
  if (items.length === 0) throw badInput(`${field} must not be empty.`, { field });
  if (items.length > MAX_BATCH_ITEMS) throw badInput(`${field} has more than ${MAX_BATCH_ITEMS} items.`, { field, limit: MAX_BATCH_ITEMS });
}

export function uuidArg(value: string, field: string, index?: number): string {
  if (!isUuid(value)) throw badInput(`${field} must be a UUID.`, { field, ...(index !== undefined ? { index } : {}) });
  return value.toLowerCase();
}

/** A transfer amount: the platform's one amount grammar (@baas/money parseAmount): 1..2^63 − 1 minor units as digits. */
export function minorUnitsArg(value: string, field: string, index: number): bigint {
  return amountArg(value, field, { index });
}

function metadataArg(value: unknown, index: number): Record<string, unknown> | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) throw badInput('metadata must be a JSON object.', { field: 'metadata', index });
  if (JSON.stringify(value).length > 4096) throw badInput('metadata is larger than 4 KiB.', { field: 'metadata', index });
  return value as Record<string, unknown>;
}

type TransferInput = {
  id: string;
  debitAccountId: string;
  creditAccountId: string;
  amount: string;
  currency: string;
  code: number;
  pending?: boolean | null;
  timeoutSeconds?: number | null;
  metadata?: unknown;
};

export function toTransferRequests(inputs: TransferInput[]): TransferRequest[] {
  checkBatch(inputs, 'transfers');
  return inputs.map((t, i) => ({
    kind: t.pending ? 'PENDING' : 'SINGLE',
    id: uuidArg(t.id, 'id', i),
    debitAccountId: uuidArg(t.debitAccountId, 'debitAccountId', i),
    creditAccountId: uuidArg(t.creditAccountId, 'creditAccountId', i),
    amount: minorUnitsArg(t.amount, 'amount', i),
    currency: t.currency,
    code: t.code,
    ...(t.timeoutSeconds !== null && t.timeoutSeconds !== undefined ? { timeoutSeconds: t.timeoutSeconds } : {}),
    ...(metadataArg(t.metadata, i) ? { metadata: metadataArg(t.metadata, i) } : {}),
  }));
}

export function toPostRequests(inputs: { id: string; pendingId: string; amount?: string | null; metadata?: unknown }[]): TransferRequest[] {
  checkBatch(inputs, 'transfers');
  return inputs.map((t, i) => ({
    kind: 'POST',
    id: uuidArg(t.id, 'id', i),
    pendingId: uuidArg(t.pendingId, 'pendingId', i),
    ...(t.amount !== null && t.amount !== undefined ? { amount: minorUnitsArg(t.amount, 'amount', i) } : {}),
    ...(metadataArg(t.metadata, i) ? { metadata: metadataArg(t.metadata, i) } : {}),
  }));
}

export function toVoidRequests(inputs: { id: string; pendingId: string; metadata?: unknown }[]): TransferRequest[] {
  checkBatch(inputs, 'transfers');
  return inputs.map((t, i) => ({
    kind: 'VOID',
    id: uuidArg(t.id, 'id', i),
    pendingId: uuidArg(t.pendingId, 'pendingId', i),
    ...(metadataArg(t.metadata, i) ? { metadata: metadataArg(t.metadata, i) } : {}),
  }));
}

const FLAG_BITS: Record<string, number> = ACCOUNT_FLAGS;

export function toAccountRequests(
  inputs: { id: string; tenantId?: string | null; customerId?: string | null; currency: string; code: number; flags?: string[] | null; metadata?: unknown }[],
): CreateAccountRequest[] {
  checkBatch(inputs, 'accounts');
  return inputs.map((a, i) => ({
    id: uuidArg(a.id, 'id', i),
    tenantId: a.tenantId ? uuidArg(a.tenantId, 'tenantId', i) : null,
    customerId: a.customerId ? uuidArg(a.customerId, 'customerId', i) : null,
    currency: a.currency,
    code: a.code,
    flags: (a.flags ?? []).reduce((bits, f) => bits | (FLAG_BITS[f] ?? 0), 0),
    ...(metadataArg(a.metadata, i) ? { metadata: metadataArg(a.metadata, i) } : {}),
  }));
}
