import { deliverWebhook, isSigningSecret, type UrlPolicy } from '@baas/webhooks';

/**
 * The tenant's real-time authorisation decision (Lithic ASA / Marqeta JIT style): the issuer posts the
 * authorisation to the tenant's URL and waits at most the tenant's deadline for APPROVE or DECLINE.
 * What is sent carries no PAN, CVV or expiry: the card's id and last 4 only.
 */
export type DecisionRequest = {
  /** The authorisation id (the tenant's idempotency key; also the signed message id). */
  readonly authorizationId: string;
  readonly tenantId: string;
  readonly customerId: string;
  readonly cardId: string;
  readonly last4: string;
  /** Minor units, as a decimal string. */
  readonly amount: string;
  readonly currency: string;
  readonly mcc: string;
  readonly merchant: string | null;
  readonly channel: string;
  readonly kind: string;
};

export type DecisionAnswer = 'APPROVE' | 'DECLINE';

/** Where and how to ask one tenant (TenantCardSettings: the secret already opened from the vault). */
export type DecisionTarget = { readonly url: string; readonly secret: string | null; readonly timeoutMs: number };

/** The port the authorisation use case calls; it enforces the deadline itself too (a port that hangs gets the stand-in). */
export type DecisionPort = (target: DecisionTarget, request: DecisionRequest, signal: AbortSignal) => Promise<DecisionAnswer>;

/** The answer could not be had: no answer in time, an error status, or a body that is neither APPROVE nor DECLINE. */
export class DecisionUnavailableError extends Error {
  override name = 'DecisionUnavailableError';
}

/** Reads `{ "decision": "APPROVE" | "DECLINE" }` (or `{ "approved": boolean }`). */
export function parseDecision(body: unknown): DecisionAnswer | null {
  if (typeof body !== 'object' || body === null) return null;
  const { decision, approved } = body as { decision?: unknown; approved?: unknown };
  if (decision === 'APPROVE' || decision === 'DECLINE') return decision;
  if (typeof approved === 'boolean') return approved ? 'APPROVE' : 'DECLINE';
  return null;
}

/**
 * The HTTP decision client, on @baas/webhooks' delivery (the rules every outbound call to a tenant
 * follows): the URL checked again at each call under `policy` (https only and no private, loopback or
 * link-local address in production, after DNS resolution), the connection pinned to the address
 * checked, redirects not followed, the answer read up to 4 KiB, a deadline of the tenant's timeout.
 * Signed with Standard Webhooks under the tenant's `whsec_` secret; with no such secret nothing is
 * sent (never an unsigned request). Throws DecisionUnavailableError for anything but a 2xx with a
 * decision (the caller applies the tenant's stand-in rule).
 */
export function createDecisionClient(opts: { policy?: UrlPolicy; ca?: string; now?: () => Date } = {}): DecisionPort {
  const now = opts.now ?? (() => new Date());
  return async (target, request, signal) => {
    if (target.secret === null || !isSigningSecret(target.secret)) throw new DecisionUnavailableError('the tenant has no decision signing secret');
    if (signal.aborted) throw new DecisionUnavailableError('the deadline passed');
    const body = JSON.stringify({ type: 'cards.authorization.request', data: request });
    const result = await deliverWebhook({
      url: target.url,
      secrets: [target.secret],
      id: request.authorizationId.replaceAll('-', ''),
      body,
      timestamp: now(),
      timeoutMs: target.timeoutMs,
      keepBody: true,
      userAgent: 'baas-cards-decision/1',
      ...(opts.policy ? { policy: opts.policy } : {}),
      ...(opts.ca ? { ca: opts.ca } : {}),
    });
    if (!result.ok) throw new DecisionUnavailableError(result.error === 'TIMEOUT' ? 'the tenant did not answer in time' : `the tenant could not be asked: ${result.error ?? `HTTP ${result.status}`}`);
    let parsed: unknown = null;
    try {
      parsed = JSON.parse(result.body ?? '');
    } catch {
      parsed = null;
    }
    const decision = parseDecision(parsed);
    if (decision === null) throw new DecisionUnavailableError('the tenant answered no decision');
    return decision;
  };
}
