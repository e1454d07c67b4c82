import { PrismaPg } from '@prisma/adapter-pg';

/**
 * The Prisma 7 driver adapter for `connectionString`:
 * `new PrismaClient({ adapter: createPrismaAdapter(url) })`.
 */
export function createPrismaAdapter(connectionString: string): PrismaPg {
  return new PrismaPg({ connectionString });
}
