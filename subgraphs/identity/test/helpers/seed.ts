import type { Identity } from '@baas/auth';
import type { Redis } from 'ioredis';
import type { Logger } from '@baas/observability';
import type { PiiVault } from '@baas/pii';
import { createIdentityLoaders } from '../../src/context';
import type { PrismaClient } from '../../src/generated/prisma/client';
import { createIdentityStores } from '../../src/store/identity-stores';
import { createSendCounterStore } from '../../src/store/send-counter-store';
import type { SignInConfig } from '../../src/use-cases/deps';
import type { StartSignInDeps } from '../../src/use-cases/start-sign-in';
import { createCustomer as createCustomerUseCase, type CreateCustomerInput } from '../../src/use-cases/create-customer';

const OPERATOR: Identity = { subject: 'test-operator', kind: 'operator', tenantId: null, scopes: [] };

/** Seeds a customer of an existing tenant through the createCustomer use case, as an operator. */
export function createCustomer(db: PrismaClient, vault: PiiVault, input: CreateCustomerInput & { tenantId: string }) {
  const stores = createIdentityStores(db);
  return createCustomerUseCase({ stores, vault, loaders: createIdentityLoaders(stores) }, OPERATOR, input);
}

/** startSignIn's deps over a database and Redis, with the sign-in settings (REDIS_PREFIX names the Redis keys). */
export function signInDeps(opts: { db: PrismaClient; redis: Redis; vault: PiiVault; logger?: Logger; config: SignInConfig & { REDIS_PREFIX: string }; clientAddress?: string | null }): StartSignInDeps {
  return {
    stores: createIdentityStores(opts.db),
    sendCounters: createSendCounterStore(opts.redis, opts.config.REDIS_PREFIX),
    vault: opts.vault,
    signIn: opts.config,
    ...(opts.logger ? { logger: opts.logger } : {}),
    ...(opts.clientAddress !== undefined ? { clientAddress: opts.clientAddress } : {}),
  };
}
