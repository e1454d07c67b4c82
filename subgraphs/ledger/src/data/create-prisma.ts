import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '../generated/prisma/client';

export type LedgerDb = PrismaClient;

export function createLedgerDb(connectionString: string): LedgerDb {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString, max: 10 }) });
}
