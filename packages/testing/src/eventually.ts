/**
 * Retries `check` until it passes, failing with its last error after `attempts` tries. A bound,
 * not a timing assertion: for states that settle asynchronously (health checks, breakers).
 */
export async function eventually(check: () => Promise<void>, opts: { attempts?: number; delayMs?: number } = {}): Promise<void> {
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
