import { randomUUID } from 'node:crypto';
import type { Logger } from '@baas/observability';
import {
  activeSecrets,
  DEFAULT_DISABLE_RULE,
  DEFAULT_RETRY_POLICY,
  deliverWebhook,
  nextAttemptAt,
  shouldDisableEndpoint,
  type DeliveryResult,
  type DisableRule,
  type RetryPolicy,
  type UrlPolicy,
} from '@baas/webhooks';
import { secretContext } from '../domain/endpoint-rules';
import { webhookBody } from '../domain/event-routing';
import type { AttemptOutcome, ClaimedDelivery, WebhookDeliveryStore } from '../store/webhook-delivery-store';

export type DeliveryWorkerOptions = {
  store: Pick<WebhookDeliveryStore, 'claim' | 'recordAttempt' | 'updateHealth' | 'recordEvents'>;
  /** Opens the sealed signing secrets (@baas/pii's vault). */
  opener: { decrypt(sealed: string, context: string): string };
  urlPolicy: UrlPolicy;
  /** Attempts in flight at once in this worker (default 64). */
  concurrency?: number;
  /** Attempts in flight at once per endpoint, across every worker (default 8): a slow receiver takes at most this many. */
  perEndpoint?: number;
  /** One attempt's whole time limit (default 15 s). */
  timeoutMs?: number;
  /** How often the worker looks for due deliveries when nothing woke it (default 500 ms). */
  pollMs?: number;
  retryPolicy?: RetryPolicy;
  disableRule?: DisableRule;
  /** Tenants' endpoints subscribed to it hear of a disabled endpoint (webhook.endpoint.disabled). */
  wants: (patterns: readonly string[], type: string) => boolean;
  /** CA certificates trusted for https receivers instead of the well-known ones (development, tests). */
  ca?: string;
  logger: Logger;
  rng?: () => number;
  now?: () => Date;
};

export type DeliveryWorker = { wake(): void; stop(): Promise<void> };

/**
 * The dispatcher: claims due deliveries (leased, so a worker killed mid-attempt only delays them
 * by its lease), signs each with its endpoint's live secrets, POSTs it through @baas/webhooks'
 * pinned delivery, logs the attempt and schedules the next one on the retry table, or gives up and
 * counts it against the endpoint, which is disabled once shouldDisableEndpoint says so. A receiver
 * that hangs holds at most `perEndpoint` of the worker's `concurrency` slots for `timeoutMs`.
 * Nothing it logs carries a body, a URL's query or a secret.
 */
export function startDeliveryWorker(opts: DeliveryWorkerOptions): DeliveryWorker {
  const concurrency = opts.concurrency ?? 64;
  const perEndpoint = opts.perEndpoint ?? 8;
  const timeoutMs = opts.timeoutMs ?? 15_000;
  const leaseMs = timeoutMs + 30_000;
  const pollMs = opts.pollMs ?? 500;
  const now = opts.now ?? (() => new Date());
  const rng = opts.rng ?? Math.random;
  const log = opts.logger.child({ worker: 'webhook-delivery' });
  let running = true;
  let inFlight = 0;
  /** Attempts in flight here per endpoint, and whether the last claim filled every free slot (more may be due). */
  const inFlightAt = new Map<string, number>();
  let claimFilled = false;
  const attempts = new Set<Promise<void>>();
  let wakeUp: (() => void) | null = null;
  let woken = false;
  const wake = () => {
    woken = true;
    wakeUp?.();
  };
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      if (woken || !running) return resolve();
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wakeUp = null;
        resolve();
      }
      wakeUp = done;
    });

  const openSecrets = (c: ClaimedDelivery, at: Date): string[] | null => {
    try {
      const opened = c.endpoint.secrets.map((s) => ({ secret: opts.opener.decrypt(s.sealed, secretContext(c.endpoint.tenantId, c.endpoint.id)), createdAt: s.createdAt, expiresAt: s.expiresAt }));
      const live = activeSecrets(opened, at);
      return live.length ? live : null;
    } catch {
      log.error({ endpointId: c.endpoint.id }, 'cannot open the endpoint signing secrets (PII_KEYS?); the attempt fails');
      return null;
    }
  };

  const attempt = async (c: ClaimedDelivery): Promise<void> => {
    const { delivery, endpoint } = c;
    const at = now();
    if (!endpoint || !endpoint.enabled || endpoint.deletedAt) {
      await opts.store.recordAttempt(delivery, { at, statusCode: null, error: 'ENDPOINT_DISABLED', latencyMs: 0, status: 'CANCELLED', nextAttemptAt: null }, false);
      return;
    }
    const secrets = openSecrets(c, at);
    if (c.body === null) log.error({ deliveryId: delivery.id, endpointId: endpoint.id }, 'cannot open the sealed event body (PII_KEYS?); the attempt fails');
    // A secret or body this instance cannot open (PII_KEYS lost or changed) is a failed attempt, never an unsigned or empty POST.
    const result: DeliveryResult =
      secrets && c.body !== null
        ? await deliverWebhook({ url: endpoint.url, secrets, id: delivery.eventId, body: c.body, timestamp: at, policy: opts.urlPolicy, timeoutMs, ...(opts.ca ? { ca: opts.ca } : {}) })
        : { ok: false, status: null, latencyMs: 0, error: (secrets ? 'BODY_UNREADABLE' : 'SECRET_UNREADABLE') as never, responseBytes: 0, retryAfterMs: null };
    const done = now();
    const gone = result.error === 'GONE';
    const next = result.ok || gone ? null : nextAttemptAt(delivery.roundAttempts + 1, done, rng, { policy: opts.retryPolicy ?? DEFAULT_RETRY_POLICY, retryAfterMs: result.retryAfterMs });
    const outcome: AttemptOutcome = {
      at: done,
      statusCode: result.status,
      error: result.error,
      latencyMs: Math.round(result.latencyMs),
      status: result.ok ? 'SUCCEEDED' : next ? 'PENDING' : 'FAILED',
      nextAttemptAt: next,
    };
    const recorded = await opts.store.recordAttempt(delivery, outcome, true);
    if (!recorded) return;
    if (!result.ok) log.info({ deliveryId: delivery.id, endpointId: endpoint.id, eventType: delivery.eventType, status: result.status, error: result.error, attempt: delivery.attempts + 1, nextAttemptAt: next?.toISOString() ?? null }, 'webhook attempt failed');
    // A success at an endpoint that was not failing when claimed changes nothing: no write. (Another
    // worker's failure since then is reset by the next success claimed after it.)
    if (result.ok && !endpoint.failingSince) return;
    const disabled = await opts.store.updateHealth(endpoint.id, { ok: result.ok, exhausted: outcome.status === 'FAILED', gone }, done, (h) => shouldDisableEndpoint(h, done, opts.disableRule ?? DEFAULT_DISABLE_RULE));
    if (disabled) {
      log.warn({ endpointId: endpoint.id, tenantId: endpoint.tenantId, reason: disabled }, 'webhook endpoint disabled');
      const id = randomUUID();
      const data = { endpointId: endpoint.id, reason: disabled, disabledAt: done.toISOString() };
      await opts.store.recordEvents([{ tenantId: endpoint.tenantId, id, type: 'webhook.endpoint.disabled', occurredAt: done, body: webhookBody(id, 'webhook.endpoint.disabled', done, data) }], opts.wants);
    }
  };

  const loop = (async () => {
    while (running) {
      woken = false;
      const free = concurrency - inFlight;
      let claimed: ClaimedDelivery[] = [];
      if (free > 0) {
        try {
          claimed = await opts.store.claim(free, perEndpoint, leaseMs);
        } catch (err) {
          log.warn({ err }, 'claiming webhook deliveries failed; retrying');
          await pause(1000);
          continue;
        }
      }
      claimFilled = claimed.length === free; // also when no slot was free (saturated)
      for (const c of claimed) {
        inFlight++;
        const endpointId = c.delivery.endpointId;
        inFlightAt.set(endpointId, (inFlightAt.get(endpointId) ?? 0) + 1);
        const p = attempt(c)
          .catch((err: unknown) => log.error({ err, deliveryId: c.delivery.id }, 'webhook attempt could not be recorded; its lease will lapse and it is tried again'))
          .finally(() => {
            inFlight--;
            attempts.delete(p);
            const held = inFlightAt.get(endpointId) ?? 1;
            if (held <= 1) inFlightAt.delete(endpointId);
            else inFlightAt.set(endpointId, held - 1);
            // Claim again at once only when more may be due: the last claim filled every slot, or this
            // endpoint was at its cap (its due deliveries waited for a slot). New deliveries wake the
            // worker through the fan-out, retries come due by the poll.
            if (claimFilled || held >= perEndpoint) wake();
          });
        attempts.add(p);
      }
      if (claimed.length === 0 || claimed.length < free) await pause(pollMs);
    }
  })();

  return {
    wake,
    async stop() {
      running = false;
      wakeUp?.();
      await loop;
      await Promise.allSettled([...attempts]);
    },
  };
}
