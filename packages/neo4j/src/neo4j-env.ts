import { storeEnv, z } from '@baas/config';

/**
 * The variables a Neo4j-backed service reads. Without NEO4J_PASSWORD the driver connects without
 * authentication (the local and CI servers run with auth disabled on loopback); with it, as
 * NEO4J_USER (default `neo4j`). The password is passed to the driver only, never logged.
 */
export const neo4jEnv = {
  NEO4J_URL: storeEnv.NEO4J_URL,
  NEO4J_USER: z.string().min(1).default('neo4j'),
  NEO4J_PASSWORD: z.string().min(1).optional(),
};

export type Neo4jEnv = { NEO4J_URL: string; NEO4J_USER: string; NEO4J_PASSWORD?: string | undefined };
