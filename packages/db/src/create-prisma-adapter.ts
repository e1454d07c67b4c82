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

/** A subgraph's Prisma client (each subgraph generates its own class from its own schema). */
export function createPrismaClient<T extends PrismaLike>(
  Client: new (options: { adapter: PrismaPg }) => T,
  connectionString: string,
  opts: { max?: number } = {},
): T {
  return new Client({ adapter: createPrismaAdapter(connectionString, opts) });
}

/** A readiness check: can this client run a query now? */
export function postgresReadiness(db: PrismaLike): () => Promise<{ postgres: boolean }> {
  return async () => ({ postgres: await db.$queryRawUnsafe('select 1').then(() => true, () => false) });
}
