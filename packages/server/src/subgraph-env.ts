import { commonEnv, port, z } from '@baas/config';

/** The variables every subgraph reads, with its default port; a subgraph adds its stores. */
export function subgraphEnv(defaultPort: number) {
  return {
    ...commonEnv,
    PORT: port(defaultPort),
    HOST: z.string().default('127.0.0.1'),
    INTERNAL_IDENTITY_SECRET: z.string().min(32, 'must be at least 32 characters'),
  };
}

export type SubgraphServiceConfig = { PORT: number; HOST: string; INTERNAL_IDENTITY_SECRET: string };
