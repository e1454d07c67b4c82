import { startConsumers, type EventEnvelope, type StreamDefinition } from '@baas/events';
import type { Logger } from '@baas/observability';
import { parseIdentityIdentifiers, parseLedgerPosted, parseObserved } from '../domain/graph-events';
import type { GraphStore } from '../store/graph-store';

/**
 * The stream the scoring path publishes what it observed to (`risk.observed.<kind>`, data
 * {tenantId, customerId, accountId?, identifiers[], at?}). Publisher and consumer both ensure it
 * with this same definition, so neither undoes the other's subjects.
 */
export const RISK_STREAM = { name: 'RISK', subjects: ['risk.>'], duplicateWindowMs: 10 * 60_000 } satisfies StreamDefinition;

/** Identity's domain events stream (identity creates it; subgraphs/identity/src/workers/domain-event-stream.ts). */
export const IDENTITY_EVENTS_STREAM_NAME = 'IDENTITY_EVENTS';

export type GraphConsumerDeps = {
  natsUrl: string;
  store: GraphStore;
  logger: Logger;
  /** The ledger's stream (config LEDGER_STREAM, default 'LEDGER'); the ledger creates it. */
  ledgerStream: string;
  /** Default RISK_STREAM; tests pass their own. */
  riskStream?: StreamDefinition;
  /** Identity's stream (default IDENTITY_EVENTS); identity creates it. */
  identityStream?: string;
  /** Durable names are `<durablePrefix>_ledger`, `<durablePrefix>_observed` and `<durablePrefix>_identity`; default 'risk_graph'. */
  durablePrefix?: string;
  /** First redelivery delay after a failed write (Neo4j away); default 1 s, doubling up to 1 min. */
  retryDelayMs?: number;
  pullExpiresMs?: number;
  /** Filter subjects; tests on the shared NATS pass prefixed ones. */
  subjects?: { posted: string; observed: string; identity?: string };
};

export type GraphConsumer = { stop(): Promise<void> };

/**
 * Feeds the graph from JetStream: ledger.transfer.posted -> recordPayment, risk.observed.> ->
 * recordAccount + recordIdentifiers, identity.events.customer.> (a customer's phones and e-mails as
 * blind indexes, passkeys as digests) -> recordIdentifiers. Durable consumers shared by every risk instance, from the
 * start of each stream, so a new graph is rebuilt by replaying. Every write is idempotent (MERGE
 * on transfer, account and identifier keys), so a redelivery changes nothing. A write that fails
 * (Neo4j down) naks the event, which comes back with a growing delay; a payload that cannot be
 * parsed is acknowledged and logged (retrying cannot fix it). NATS down or a stream not there yet:
 * subscribing is retried in the background and nothing throws.
 */
export async function startGraphConsumer(deps: GraphConsumerDeps): Promise<GraphConsumer> {
  const log = deps.logger.child({ worker: 'risk-graph-consumer' });
  const riskStream = deps.riskStream ?? RISK_STREAM;
  const subjects = deps.subjects ?? { posted: 'ledger.transfer.posted', observed: 'risk.observed.>' };
  const prefix = (deps.durablePrefix ?? 'risk_graph').replace(/[^A-Za-z0-9_-]/g, '_');

  const onPosted = async (event: EventEnvelope) => {
    const payment = parseLedgerPosted(event.id, event.data);
    if (!payment) {
      log.warn({ eventId: event.id, type: event.type }, 'ledger event without a usable transfer; skipped');
      return;
    }
    await deps.store.recordPayment(payment);
  };

  const onObserved = async (event: EventEnvelope) => {
    const seen = parseObserved(event.id, event.occurredAt, event.data);
    if (!seen) {
      log.warn({ eventId: event.id, type: event.type }, 'risk.observed event without tenant or customer; skipped');
      return;
    }
    if (seen.dropped > 0) log.warn({ eventId: event.id, dropped: seen.dropped }, 'identifiers dropped (malformed or not hashed)');
    if (seen.accountId) await deps.store.recordAccount({ accountId: seen.accountId, customerId: seen.customerId, tenantId: seen.tenantId });
    await deps.store.recordIdentifiers({ eventId: seen.eventId, tenantId: seen.tenantId, customerId: seen.customerId, identifiers: seen.identifiers, at: seen.at });
  };

  const onIdentity = async (event: EventEnvelope) => {
    const seen = parseIdentityIdentifiers(event.id, event.occurredAt, event.data);
    if (!seen) {
      log.warn({ eventId: event.id, type: event.type }, 'identity event without tenant or customer; skipped');
      return;
    }
    if (seen.dropped > 0) log.warn({ eventId: event.id, dropped: seen.dropped }, 'identifiers dropped (malformed or not hashed)');
    await deps.store.recordIdentifiers({ eventId: seen.eventId, tenantId: seen.tenantId, customerId: seen.customerId, identifiers: seen.identifiers, at: seen.at });
  };

  const common = { retryDelayMs: deps.retryDelayMs ?? 1000, pullExpiresMs: deps.pullExpiresMs ?? 2000 };
  return startConsumers({
    natsUrl: deps.natsUrl,
    name: 'risk-graph-consumer',
    logger: deps.logger,
    routes: [
      { stream: deps.ledgerStream, durable: `${prefix}_ledger`, filterSubject: subjects.posted, handler: onPosted, ...common },
      { stream: riskStream.name, durable: `${prefix}_observed`, filterSubject: subjects.observed, handler: onObserved, ensure: riskStream, ...common },
      { stream: deps.identityStream ?? IDENTITY_EVENTS_STREAM_NAME, durable: `${prefix}_identity`, filterSubject: subjects.identity ?? 'identity.events.customer.>', handler: onIdentity, ...common },
    ],
  });
}
