import { createHmac } from 'node:crypto';
import { isSigningSecret, signWebhook } from '@baas/webhooks';

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

/** Signature headers: Standard Webhooks (@baas/webhooks) for a whsec_ secret, else HMAC-SHA256 hex of `<id>.<timestamp>.<body>`. */
export function decisionHeaders(secret: string | null, id: string, body: string, now: Date): Record<string, string> {
  if (secret === null) return {};
  if (isSigningSecret(secret)) return { ...signWebhook([secret], { id, timestamp: now, body }) };
  const timestamp = String(Math.floor(now.getTime() / 1000));
  const signature = createHmac('sha256', secret).update(`${id}.${timestamp}.${body}`).digest('hex');
  return { 'webhook-id': id, 'webhook-timestamp': timestamp, 'x-baas-signature': `sha256=${signature}` };
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
 * The HTTP decision client: POSTs the request as JSON, signed, with AbortSignal.timeout(target.timeoutMs)
 * combined with the caller's signal; no redirects are followed. Throws DecisionUnavailableError for
 * anything but a 2xx with a decision (the caller applies the tenant's stand-in rule).
 */
export function createDecisionClient(opts: { fetchImpl?: typeof fetch; now?: () => Date } = {}): DecisionPort {
  const fetchImpl = opts.fetchImpl ?? fetch;
  const now = opts.now ?? (() => new Date());
  return async (target, request, signal) => {
    const body = JSON.stringify({ type: 'cards.authorization.request', data: request });
    const id = request.authorizationId.replaceAll('-', '');
    let response: Response;
    try {
      response = await fetchImpl(target.url, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/json', ...decisionHeaders(target.secret, id, body, now()) },
        body,
        signal: AbortSignal.any([signal, AbortSignal.timeout(target.timeoutMs)]),
      });
    } catch (error) {
      throw new DecisionUnavailableError(error instanceof Error && error.name === 'TimeoutError' ? 'the tenant did not answer in time' : 'the tenant could not be reached', { cause: error });
    }
    if (response.status < 200 || response.status > 299) {
      await response.body?.cancel().catch(() => undefined);
      throw new DecisionUnavailableError(`the tenant answered HTTP ${response.status}`);
    }
    const decision = parseDecision(await response.json().catch(() => null));
    if (decision === null) throw new DecisionUnavailableError('the tenant answered no decision');
    return decision;
  };
}
