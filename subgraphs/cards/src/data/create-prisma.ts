import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '../generated/prisma/client';

export type CardsDb = PrismaClient;

export function createCardsDb(connectionString: string): CardsDb {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString, max: 10 }) });
}
