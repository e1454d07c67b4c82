/**
 * Retries `check` until it passes, failing with its last error after `attempts` tries. A bound,
 * not a timing assertion: for states that settle asynchronously (health checks, breakers). Returns
 * what the passing check returned.
 */
export async function eventually<T = void>(check: () => Promise<T>, opts: { attempts?: number; delayMs?: number } = {}): Promise<T> {
  const attempts = opts.attempts ?? 50;
  let last: unknown;
  for (let i = 0; i < attempts; i++) {
    try {
      return await check();
    } catch (error) {
      last = error;
      await new Promise((r) => setTimeout(r, opts.delayMs ?? 100));
    }
  }
  throw last;
}
