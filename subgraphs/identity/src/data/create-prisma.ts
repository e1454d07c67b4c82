import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '../generated/prisma/client';

export type IdentityDb = PrismaClient;

export function createIdentityDb(connectionString: string): IdentityDb {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString, max: 10 }) });
}
