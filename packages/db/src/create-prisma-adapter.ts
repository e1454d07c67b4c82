import { PrismaPg } from '@prisma/adapter-pg';

/**
 * The Prisma 7 driver adapter for `connectionString`:
 * `new PrismaClient({ adapter: createPrismaAdapter(url) })`.
 */
export function createPrismaAdapter(connectionString: string, opts: { max?: number } = {}): PrismaPg {
  return new PrismaPg({ connectionString, max: opts.max ?? 10 });
}

/** What every generated Prisma client has; enough for readiness checks and shutdown. */
export type PrismaLike = { $queryRawUnsafe(sql: string): Promise<unknown>; $disconnect(): Promise<void> };

/**
 * Interactive transactions wait up to 10 s for a pooled connection and run up to 15 s (Prisma's
 * defaults, 2 s and 5 s, turn a burst of requests into spurious failures when the pool is busy).
 */
export const TRANSACTION_OPTIONS = { maxWait: 10_000, timeout: 15_000 } as const;

/** A subgraph's Prisma client (each subgraph generates its own class from its own schema). */
export function createPrismaClient<T extends PrismaLike>(
  Client: new (options: { adapter: PrismaPg; transactionOptions?: { maxWait?: number; timeout?: number } }) => T,
  connectionString: string,
  opts: { max?: number } = {},
): T {
  return new Client({ adapter: createPrismaAdapter(connectionString, opts), transactionOptions: TRANSACTION_OPTIONS });
}

/** A readiness check: can this client run a query now? */
export function postgresReadiness(db: PrismaLike): () => Promise<{ postgres: boolean }> {
  return async () => ({ postgres: await db.$queryRawUnsafe('select 1').then(() => true, () => false) });
}
