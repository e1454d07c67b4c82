import type { Identity } from '@baas/auth';
import type { RunningGateway } from '@baas/gateway';

/** What startPlatform takes and what it gives (platform.ts). */
export type PlatformOptions = {
  databaseUrl: string;
  /** Extra gateway variables (limits, breaker settings). */
  gatewayEnv?: Record<string, string>;
  /** Store URLs; default to the local stores of scripts/services.sh. */
  env?: Record<string, string>;
  logLevel?: string;
  /** Instances per subgraph behind the gateway's round-robin (default 1 each). */
  instances?: Partial<Record<string, number>>;
  /** Receives every JSON log line of every service (at `logLevel`, default info when given). */
  logSink?: (line: string) => void;
  /**
   * Subgraphs to run as child processes (their own `src/main.ts`, the same configuration) instead
   * of in this process, so a test can kill one outright (`killSubgraph`: SIGKILL, no shutdown code
   * runs) and start it again on the same port.
   */
  processes?: readonly string[];
  /**
   * The ledger's outbox relay as a process of its own (`ledger-relay`, as `npm start` runs it), the
   * ledger's in-process relay turned off. Needs the relay on (LEDGER_OUTBOX_RELAY=true in `env`);
   * benchmarks use it to measure the deployed shape.
   */
  ledgerRelayProcess?: boolean;
};

/** A subgraph's GraphQL answer, with the HTTP status. */
export type SubgraphResponse<T> = { status: number; data?: T | null; errors?: { message: string; extensions?: Record<string, unknown> }[] };

export type TestPlatform = {
  gatewayUrl: string;
  gateway: RunningGateway;
  /** Each subgraph's own GraphQL URL (for calls that bypass the gateway: benchmarks, direct tests). */
  subgraphUrls: Record<string, string>;
  /** The secret subgraphs verify forwarded identities with. */
  internalSecret: string;
  /**
   * Calls one subgraph directly, as an internal service does in production (an `x-baas-identity`
   * assertion signed with the internal secret, never through the gateway): the way to reach fields
   * that are `@inaccessible` to clients (the ledger's writes, identity's standings).
   */
  callSubgraph<T>(name: string, query: string, variables: Record<string, unknown>, identity: Identity): Promise<SubgraphResponse<T>>;
  /** Mints an RS256 access token the gateway accepts (signed with the identity subgraph's key). */
  mintToken(identity: Identity, ttlSeconds?: number): Promise<string>;
  /** Stops every instance of a subgraph, or one (by index). */
  stopSubgraph(name: string, instance?: number): Promise<void>;
  /** SIGKILLs a subgraph started as a process (`processes`): a crash, nothing shuts down cleanly. */
  killSubgraph(name: string, instance?: number): Promise<void>;
  restartSubgraph(name: string, instance?: number): Promise<void>;
  /**
   * Subgraph processes (`processes`) that ended on their own, not through stopSubgraph, killSubgraph
   * or stop(): a crash the test did not cause (an unhandled error, a store going away).
   */
  readonly exits: readonly { name: string; code: number | null; signal: string | null; stderr: string }[];
  stop(): Promise<void>;
};
