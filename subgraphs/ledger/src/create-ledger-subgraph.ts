import { generateKeyPairSync } from 'node:crypto';
import { createPool, createPrismaClient, postgresReadiness } from '@baas/db';
import { createMetrics, logClientErrors, type Logger } from '@baas/observability';
import { startSubgraph, type RunningSubgraph } from '@baas/server';
import type { LedgerConfig } from './config';
import { PrismaClient } from './generated/prisma/client';
import { createLedgerLoaders, type LedgerContext, type LedgerStores } from './context';
import { loadCheckpointKey } from './domain/checkpoint';
import { ledgerPermissions } from './permissions';
import { resolvers } from './resolvers/index';
import { createCheckpointStore } from './store/checkpoint-store';
import { createJournalStore } from './store/journal-store';
import { createLedgerAccountStore } from './store/ledger-account-store';
import { createStatementStore } from './store/statement-store';
import { createTransferStore } from './store/transfer-store';
import { createCheckpointSigner } from './workers/checkpoint-signer';
import { LedgerWriter } from './workers/ledger-writer';
import { startLedgerOutboxRelay } from './workers/outbox-relay';
import { startExpiryWorker } from './workers/pending-expiry';

export type RunningLedger = RunningSubgraph & { writer: LedgerWriter };

function checkpointKeyPem(config: LedgerConfig, logger: Logger): string {
  if (config.LEDGER_CHECKPOINT_KEY) return config.LEDGER_CHECKPOINT_KEY;
  if (config.NODE_ENV === 'production') throw new Error('LEDGER_CHECKPOINT_KEY is required in production');
  logger.warn('LEDGER_CHECKPOINT_KEY is not set: signing checkpoints with a key made for this process only');
  return generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
}

/**
 * Starts the ledger subgraph: the batch writer (group commit), pending-transfer expiry and
 * periodic signed checkpoints on their own timers, and the outbox relay to JetStream.
 */
export async function createLedgerSubgraph(config: LedgerConfig, logger: Logger): Promise<RunningLedger> {
  const db = createPrismaClient(PrismaClient, config.DATABASE_URL);
  const pool = createPool(config.DATABASE_URL, { max: config.LEDGER_POOL_SIZE, applicationName: 'baas-ledger' });
  logClientErrors(pool, { logger, store: 'postgres' }); // idle connections dropped by a restart (the pool replaces them)
  const writer = new LedgerWriter({ pool, logger, maxBatchSize: config.LEDGER_MAX_BATCH });
  const pem = checkpointKeyPem(config, logger);
  const checkpointKey = loadCheckpointKey(pem);
  const stores: LedgerStores = {
    accounts: createLedgerAccountStore(pool, db),
    transfers: createTransferStore(pool, db),
    journal: createJournalStore(pool),
    checkpoints: createCheckpointStore(pool),
    statements: createStatementStore(pool),
  };

  const expiry = startExpiryWorker({
    transfers: stores.transfers,
    writer,
    intervalMs: config.LEDGER_EXPIRY_INTERVAL_MS,
    onError: (err) => logger.error({ err }, 'pending-transfer expiry failed'),
  });
  const signer = createCheckpointSigner({ journal: stores.journal, checkpoints: stores.checkpoints, key: checkpointKey });
  const stopSigner = signer.start(config.LEDGER_CHECKPOINT_INTERVAL_MS, (err: unknown) => logger.error({ err }, 'checkpoint failed'));

  // The relay connects in the background: transfers never wait for NATS, and the ledger starts
  // (and keeps writing to the outbox) while NATS is down.
  // Its lag (outbox_rows_waiting, outbox_oldest_waiting_age_seconds) goes out on the subgraph's /metrics.
  const metrics = createMetrics({ service: 'ledger' });
  const relay = config.LEDGER_OUTBOX_RELAY
    ? startLedgerOutboxRelay({ pool, natsUrl: config.NATS_URL, streamName: config.LEDGER_STREAM, logger, subjectPrefix: config.EVENTS_SUBJECT_PREFIX, metrics: metrics.registry })
    : null;

  const running = await startSubgraph<LedgerContext>({
    name: 'ledger',
    metrics,
    schema: new URL('./schema.graphql', import.meta.url),
    resolvers,
    permissions: ledgerPermissions,
    config,
    logger,
    context: (base) => ({ ...base, stores, writer, signer, checkpointKey, loaders: createLedgerLoaders(stores) }),
    readiness: postgresReadiness(db),
    routes: {
      '/.well-known/ledger-checkpoint-key.pem': (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/x-pem-file' });
        res.end(checkpointKey.publicKeyPem);
      },
    },
    onStop: async () => {
      stopSigner();
      await expiry.stop();
      await writer.close();
      await relay?.stop();
      await pool.end();
      await db.$disconnect();
    },
  });
  return { ...running, writer };
}
