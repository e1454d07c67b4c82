/**
 * A circuit breaker per subgraph: after `failureThreshold` consecutive failures it opens and
 * fails fast for `resetMs`; then one trial request (half-open) decides whether it closes again.
 */
export type BreakerState = 'closed' | 'open' | 'half-open';

export class CircuitBreaker {
  private state: BreakerState = 'closed';
  private failures = 0;
  private openedAt = 0;
  private trialInFlight = false;

  constructor(
    readonly name: string,
    private readonly opts: { failureThreshold: number; resetMs: number; now?: () => number; onChange?: (name: string, state: BreakerState) => void },
  ) {}

  private now(): number {
    return (this.opts.now ?? Date.now)();
  }

  get current(): BreakerState {
    if (this.state === 'open' && this.now() - this.openedAt >= this.opts.resetMs) return 'half-open';
    return this.state;
  }

  /** Whether a request may go out now; in half-open only one trial request at a time. */
  tryAcquire(): boolean {
    const state = this.current;
    if (state === 'closed') return true;
    if (state === 'open' || this.trialInFlight) return false;
    this.trialInFlight = true;
    this.set('half-open');
    return true;
  }

  recordSuccess(): void {
    this.failures = 0;
    this.trialInFlight = false;
    this.set('closed');
  }

  recordFailure(): void {
    this.trialInFlight = false;
    this.failures += 1;
    if (this.state === 'half-open' || this.failures >= this.opts.failureThreshold) {
      this.openedAt = this.now();
      this.set('open');
    }
  }

  private set(state: BreakerState): void {
    if (this.state !== state) {
      this.state = state;
      this.opts.onChange?.(this.name, state);
    }
  }
}
