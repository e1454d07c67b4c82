import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '../generated/prisma/client';

export type PaymentsDb = PrismaClient;

export function createPaymentsDb(connectionString: string): PaymentsDb {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString, max: 10 }) });
}
