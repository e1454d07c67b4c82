/**
 * Round-robin over a subgraph's instances, skipping those marked unhealthy (by the periodic
 * health check or by a failed request). When every instance is unhealthy it still tries them in
 * turn, so recovery is noticed without waiting for the next health check.
 */
export class RoundRobinBalancer {
  private next = 0;
  private readonly healthy: boolean[];

  constructor(readonly name: string, readonly urls: readonly string[]) {
    if (urls.length === 0) throw new Error(`subgraph ${name} has no URL`);
    this.healthy = urls.map(() => true);
  }

  pick(): string {
    const n = this.urls.length;
    for (let i = 0; i < n; i++) {
      const index = (this.next + i) % n;
      if (this.healthy[index]) {
        this.next = (index + 1) % n;
        return this.urls[index]!;
      }
    }
    const index = this.next;
    this.next = (index + 1) % n;
    return this.urls[index]!;
  }

  mark(url: string, healthy: boolean): void {
    const index = this.urls.indexOf(url);
    if (index >= 0) this.healthy[index] = healthy;
  }

  get anyHealthy(): boolean {
    return this.healthy.some(Boolean);
  }

  get status(): { url: string; healthy: boolean }[] {
    return this.urls.map((url, i) => ({ url, healthy: this.healthy[i]! }));
  }
}

/** The health endpoint of a subgraph instance, next to its GraphQL path. */
export function healthUrlOf(graphqlUrl: string): string {
  const url = new URL(graphqlUrl);
  url.pathname = '/healthz';
  url.search = '';
  return url.toString();
}
