import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '../generated/prisma/client';

export type AccountsDb = PrismaClient;

export function createAccountsDb(connectionString: string): AccountsDb {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString, max: 10 }) });
}
