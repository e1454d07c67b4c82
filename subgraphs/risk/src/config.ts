import { flag, storeEnv, url, z } from '@baas/config';
import { inferenceEnv } from '@baas/inference';
import { neo4jEnv } from '@baas/neo4j';
import { subgraphEnv } from '@baas/server';

const riskEnv = z.object({
  ...subgraphEnv(4107),
  ...neo4jEnv,
  /** INFERENCE_PROVIDER (auto: CUDA when a GPU and onnxruntime's CUDA libraries are there, else CPU), batching limits. */
  ...inferenceEnv,
  REDIS_URL: storeEnv.REDIS_URL,
  /** JetStream: the graph consumer reads the ledger's posted transfers; the scoring path publishes what it observed (risk.observed.*). */
  NATS_URL: storeEnv.NATS_URL,
  /** The ledger's stream (the ledger creates it). */
  LEDGER_STREAM: z.string().default('LEDGER'),
  /** Prefix of every Redis key of risk: velocity counters (`<prefix>v:`), graph features (`<prefix>gf:`), the scan lock. */
  REDIS_PREFIX: z.string().min(1).default('risk:'),
  /** Identity, asked (as the internal service `risk`) whether a customer belongs to a tenant (creditScore) and whether a named tenant exists. */
  IDENTITY_URL: url('http', 'https').default('http://127.0.0.1:4101/graphql'),
  /** How long a found customer or tenant standing is remembered, in ms. */
  IDENTITY_CACHE_MS: z.coerce.number().int().min(0).max(60_000).default(5_000),
  /** Feed the graph from JetStream (ledger.transfer.posted, risk.observed.>). */
  RISK_GRAPH_CONSUMER: flag(true),
  /** Run the scheduled graph scans (patterns, graph features for scoring, alerts); one process per interval scans. */
  RISK_GRAPH_SCAN: flag(true),
  /** Between two graph scans, in ms: graph features and alerts are this fresh. */
  RISK_GRAPH_SCAN_INTERVAL_MS: z.coerce.number().int().min(1_000).max(24 * 3_600_000).default(60_000),
  /** Publish the devices and IPs a scored movement used (risk.observed.movement), so the graph learns who uses what. */
  RISK_PUBLISH_OBSERVED: flag(true),
  /** How long a tenant's risk settings are kept in process, in ms (a change reaches every process within it). */
  RISK_SETTINGS_CACHE_MS: z.coerce.number().int().min(0).max(60_000).default(5_000),
  /** The currency whose flows the credit scorecard reads. */
  CREDIT_CURRENCY: z.string().regex(/^[A-Z]{3}$/).default('BRL'),
  /** Tests only (refused in production): score every movement as if made at this local hour (0-23), so no e2e verdict depends on when the suite runs. */
  RISK_LOCAL_HOUR: z.coerce.number().int().min(0).max(23).optional(),
});

/** Production needs Neo4j credentials (development and tests run Neo4j without authentication). */
export const riskConfigSchema = riskEnv
  .refine((c) => c.NODE_ENV !== 'production' || Boolean(c.NEO4J_PASSWORD), {
    message: 'NEO4J_PASSWORD is required in production',
    path: ['NEO4J_PASSWORD'],
  })
  .refine((c) => c.NODE_ENV !== 'production' || c.RISK_LOCAL_HOUR === undefined, {
    message: 'RISK_LOCAL_HOUR is for tests and is refused in production',
    path: ['RISK_LOCAL_HOUR'],
  });

export type RiskConfig = z.infer<typeof riskConfigSchema>;
