import type { Identity } from '@baas/auth';
import { isApiClient, isAuthenticated, isCustomer, isCustomerSelf, isOperator, isPlatformOperator, isTenantClientWith, mayRead, or, ownsParent, publicField, type RuleTree } from '@baas/authz';
import { DomainError, forbidden } from '@baas/errors';

type Owned = { tenantId: string; customerId: string };

const owns = (name: string) => ownsParent((r: Owned) => ({ tenantId: r.tenantId, customerId: r.customerId }), `payments:${name}`);
const customerOrClient = or(isCustomer, isApiClient);

/**
 * Who may resolve what in the payments subgraph (default deny). Every field returning a customer's
 * data is owned (ownsParent: the customer, its tenant's clients, operators and services); the use
 * cases check each id they load with the record policies below.
 */
export const paymentsPermissions: RuleTree = {
  Query: {
    paymentOrder: isAuthenticated,
    paymentOrders: isAuthenticated,
    pixKeys: isAuthenticated,
    pixKeyLookup: customerOrClient,
    pixKeyClaims: isAuthenticated,
    pixCharge: isAuthenticated,
    medCases: isAuthenticated,
    pixLimits: isAuthenticated,
    parseBrCode: isAuthenticated,
    parseBoleto: isAuthenticated,
  },
  Mutation: {
    registerPixKey: customerOrClient,
    verifyPixKey: customerOrClient,
    deletePixKey: customerOrClient,
    claimPixKey: customerOrClient,
    confirmPixKeyClaim: customerOrClient,
    cancelPixKeyClaim: customerOrClient,
    payPix: customerOrClient,
    refundPix: customerOrClient,
    createPixCharge: customerOrClient,
    cancelPixCharge: customerOrClient,
    setPixLimit: customerOrClient,
    payTed: customerOrClient,
    payBoleto: customerOrClient,
    sendWire: customerOrClient,
    cancelPaymentOrder: customerOrClient,
    reportPixFraud: customerOrClient,
    resolveMedCase: or(isOperator, isApiClient),
    simulateIncomingPix: or(isOperator, isApiClient),
    simulateRailReturn: or(isOperator, isApiClient),
  },
  PaymentOrder: { '*': owns('ownsOrder'), id: isAuthenticated },
  PixKey: owns('ownsKey'),
  // A claim is seen by its claimer and by the donor (the holder of the key claimed).
  PixKeyClaim: or(owns('ownsClaim'), ownsParent((r: { donorTenantId: string; donorCustomerId: string }) => ({ tenantId: r.donorTenantId, customerId: r.donorCustomerId }), 'payments:ownsClaimAsDonor')),
  PixCharge: owns('ownsCharge'),
  MedCase: or(owns('ownsMedCase'), ownsParent((r: { receiverTenantId: string | null; receiverCustomerId: string | null }) => ({ tenantId: r.receiverTenantId ?? '', customerId: r.receiverCustomerId ?? '' }), 'payments:ownsMedCaseAsReceiver')),
  Money: publicField,
  PaymentParty: publicField,
  PaymentReturn: publicField,
  PaymentOrderTransition: publicField,
  PaymentOrderPage: publicField,
  BoletoDetails: publicField,
  PixKeyLookup: publicField,
  PixLimits: publicField,
  BrCodeInfo: publicField,
};

// ---------------------------------------------------------------------------------------------
// Record-level policies (use cases call these by name; nothing else tests who.kind)

/** Who may see a payment order, key, claim, charge or MED case: its customer, its tenant's clients, operators and services. */
export function maySeePayments(who: Identity, row: Owned): boolean {
  return mayRead(who, row);
}

/**
 * Who may move money out of, or manage the keys and charges of, an account: its customer, or its
 * tenant's API client holding payments:write. Operators read but never pay for a customer.
 */
export function mayOperateAccount(who: Identity, account: Owned): boolean {
  return isCustomerSelf(who, account) || isTenantClientWith(who, account.tenantId, 'payments:write');
}

/** FORBIDDEN unless the caller may operate the account (the same answer whether or not the account exists elsewhere). */
export function requireOperateAccount(who: Identity, account: Owned | null): asserts account is Owned {
  if (!account || !mayOperateAccount(who, account)) throw forbidden();
}

/** Who may set a customer's PIX limits: the customer, or its tenant's client holding payments:write. */
export function mayManageLimits(who: Identity, owner: Owned): boolean {
  return mayOperateAccount(who, owner);
}

/** Whose limits the caller names: a customer only their own (the default); others must name one. */
export function limitsCustomer(who: Identity, named: string | null | undefined): string | null {
  if (who.kind === 'customer') {
    if (named && named.toLowerCase() !== who.subject) throw forbidden();
    return who.subject;
  }
  return named ?? null;
}

/**
 * Who may resolve a MED case: platform operators, or (sandbox tenants only, checked by the caller)
 * the receiving side's tenant client holding payments:write (the case's receiverTenantId: whose
 * funds are blocked); never the reporter's tenant.
 */
export function mayResolveMedCase(who: Identity, receiver: { tenantId: string | null }, tenantSandbox: boolean): boolean {
  if (isPlatformOperator(who)) return true;
  return tenantSandbox && receiver.tenantId !== null && isTenantClientWith(who, receiver.tenantId, 'payments:write');
}

/** Who may drive the sandbox bank (simulated incoming PIX, returns): operators, or a sandbox tenant's client holding payments:write or sandbox:fund. */
export function maySimulate(who: Identity, tenantId: string, tenantSandbox: boolean): boolean {
  if (isPlatformOperator(who)) return true;
  return tenantSandbox && (isTenantClientWith(who, tenantId, 'payments:write') || isTenantClientWith(who, tenantId, 'sandbox:fund'));
}

/** Whether a stored row under a client's id belongs to this caller's request space (idempotency scope). */
export function keyInScope(who: Identity, row: Owned, tenantId: string): boolean {
  return row.tenantId === tenantId && (who.kind !== 'customer' || row.customerId === who.subject);
}

/** The answer to an id of another tenant or customer: FORBIDDEN; for operators a reused key. */
export function keyOutOfScope(who: Identity): DomainError {
  return isPlatformOperator(who) ? new DomainError('IDEMPOTENCY_KEY_REUSED') : forbidden();
}
