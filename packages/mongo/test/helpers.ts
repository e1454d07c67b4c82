import { randomBytes } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { createMemoryLogger } from '@baas/observability';

export const MONGO_URL = 'mongodb://127.0.0.1:27017';

/** A database name no other test file or run shares; the test drops it afterwards. */
export function uniqueDatabase(): string {
  return `mongo_test_${randomBytes(6).toString('hex')}`;
}

/** A logger whose lines are kept in memory, so tests can read the warnings. */
export const memoryLogger = () => createMemoryLogger('mongo-test');

export function adminClient(): Promise<MongoClient> {
  return new MongoClient(MONGO_URL, { serverSelectionTimeoutMS: 5000 }).connect();
}

/** A TCP port nothing listens on (taken from the OS, then released). */
export { freePort as closedPort } from '@baas/testing';
