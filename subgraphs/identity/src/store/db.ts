import type { Prisma, PrismaClient } from '../generated/prisma/client';

/** The identity database client, or a transaction on it: every store statement runs on either. */
export type Db = PrismaClient | Prisma.TransactionClient;
