import { randomBytes } from 'node:crypto';
import { connect } from 'nats';
import type { NatsConnection } from 'nats';

export const NATS_URL = 'nats://127.0.0.1:4222';

/** A stream name and subject prefix no other test run can share. */
export function uniqueNames(label: string) {
  const id = `${label}_${randomBytes(5).toString('hex')}`;
  return { stream: `T_${id}`, subject: `test.${id}` };
}

/** Rejects when `promise` has not settled within `ms`, so a broken test fails instead of hanging. */
export async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Collects values and resolves `until(n)` once n have arrived. */
export function collector<T>() {
  const items: T[] = [];
  const waiters: { n: number; resolve: () => void }[] = [];
  return {
    items,
    push(item: T) {
      items.push(item);
      for (const w of waiters.filter((w) => items.length >= w.n)) w.resolve();
    },
    until(n: number, ms = 10_000): Promise<T[]> {
      if (items.length >= n) return Promise.resolve(items);
      const reached = new Promise<void>((resolve) => waiters.push({ n, resolve }));
      return within(reached, ms, `${n} events (got ${items.length})`).then(() => items);
    },
  };
}

/** A plain connection for inspecting and deleting what the tests create. */
export async function adminConnection(): Promise<NatsConnection> {
  return connect({ servers: NATS_URL, name: 'events-test-admin' });
}

/** Deletes the given streams (and with them their consumers), ignoring ones that are already gone. */
export async function deleteStreams(nc: NatsConnection, names: string[]): Promise<void> {
  const jsm = await nc.jetstreamManager();
  await Promise.all(names.map((name) => jsm.streams.delete(name).catch(() => false)));
}
