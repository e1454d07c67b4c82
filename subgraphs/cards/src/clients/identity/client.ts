import { createInternalClient, type KeepAliveFetch } from '@baas/server';
import { SendCustomerCodeDocument } from './generated/operations';

/** Where identity sent a code: the channel and the destination masked (never the address). */
export type CodeDelivery = { channel: string; maskedTo: string };

/**
 * The identity subgraph as cards uses it for 3-D Secure: `sendCustomerCode`, called as the internal
 * service `cards`. The cardholder's e-mail and phone stay identity's; cards hands it the code.
 */
export function createIdentityCodeClient(opts: { url: string; secret: string; fetchImpl?: KeepAliveFetch; timeoutMs?: number }) {
  const client = createInternalClient({
    service: 'identity',
    url: opts.url,
    secret: opts.secret,
    caller: { subject: 'cards', kind: 'service', tenantId: null, scopes: ['identity:read'] },
    ...(opts.fetchImpl ? { fetchImpl: opts.fetchImpl } : {}),
    timeoutMs: opts.timeoutMs ?? 5_000,
  });
  return {
    async sendCustomerCode(v: { tenantId: string; customerId: string; purpose: string; reference: string; code: string; expiresAt: Date; summary: string }): Promise<CodeDelivery> {
      const { sendCustomerCode } = await client.operation(SendCustomerCodeDocument, { ...v, expiresAt: v.expiresAt.toISOString() });
      return sendCustomerCode;
    },
  };
}

export type IdentityCodeClient = ReturnType<typeof createIdentityCodeClient>;
