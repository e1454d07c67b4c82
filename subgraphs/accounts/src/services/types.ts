import type { PrismaClient } from '../generated/prisma/client';

export type TransferSagaRow = Awaited<ReturnType<PrismaClient['transferSaga']['findUniqueOrThrow']>>;
export type FxQuoteRow = Awaited<ReturnType<PrismaClient['fxQuote']['findUniqueOrThrow']>>;
