import { DomainError } from '@baas/errors';

/** What identity says of a customer and its tenant (the part play money depends on). */
export type SandboxStanding = { tenantStatus: string; tenantSandbox: boolean };

/** Play money needs a deployment that allows it (SANDBOX: default true in development and test, false in production). */
export function assertPlayMoneyDeployment(config: { SANDBOX: boolean }): void {
  if (!config.SANDBOX) throw new DomainError('FORBIDDEN', 'Play money is not available on this deployment.', { reason: 'DEPLOYMENT_NOT_SANDBOX' });
}

/**
 * Play money only for a tenant in sandbox mode, ACTIVE, and an existing customer of it, as identity
 * says now (customerStanding: never the caller's word, never a deployment default). A live tenant
 * never gets play money, nor a suspended one. Called after the caller was authorised for the account
 * (so the reasons only ever reach the account's own tenant or an operator). Identity down:
 * SUBGRAPH_UNAVAILABLE (from the directory), nothing written.
 */
export async function assertSandboxTenant(
  deps: { directory: { customerStanding(tenantId: string, customerId: string): Promise<SandboxStanding | null> } },
  account: { tenantId: string; customerId: string },
): Promise<void> {
  const standing = await deps.directory.customerStanding(account.tenantId, account.customerId);
  const refuse = (reason: string, message: string) => new DomainError('FORBIDDEN', message, { reason });
  if (!standing) throw refuse('CUSTOMER_NOT_FOUND', "The account's customer is not a customer of its tenant.");
  if (standing.tenantStatus !== 'ACTIVE') throw refuse('TENANT_NOT_ACTIVE', 'The tenant is not active.');
  if (!standing.tenantSandbox) throw refuse('TENANT_NOT_SANDBOX', 'Play money is only for tenants in sandbox mode.');
}
