/**
 * An outflow: money leaving a customer's account, whatever the rail. Transfers and FX conversions
 * today; PIX, TED, wires and card authorisations (payments and cards subgraphs) describe theirs the
 * same way and pass the same policy path.
 */
export type Outflow = {
  /** What moves the money: TRANSFER, FX, PIX, TED, WIRE, CARD_AUTHORISATION, ... */
  readonly rail: string;
  /** The outflow's id: the client's idempotency key (the saga id). */
  readonly id: string;
  readonly tenantId: string;
  readonly customerId: string;
  /** The debited account. */
  readonly accountId: string;
  /** Minor units of `currency`, positive (parsed by @baas/money parseAmount). */
  readonly amount: bigint;
  readonly currency: string;
  /** When the client asked for it (risk velocity windows count from here). */
  readonly createdAt: Date;
};

/**
 * The standing port: whether the paying customer and its tenant are ACTIVE now (identity's
 * `customerStanding`, through @baas/server's identity directory). null: no such customer in that
 * tenant. A suspended customer or tenant moves no money out, even with a token issued before.
 */
export type StandingPort = {
  standing(tenantId: string, customerId: string): Promise<{ readonly customerActive: boolean; readonly tenantActive: boolean } | null>;
};

/** Why the policy refused an outflow: the same codes on every rail. */
export type PolicyRefusalCode = 'STEP_UP_REQUIRED' | 'LIMIT_EXCEEDED' | 'RISK_DECLINED';

export type PolicyDecision =
  | { readonly approved: true }
  | { readonly approved: false; readonly code: Exclude<PolicyRefusalCode, 'STEP_UP_REQUIRED'>; readonly reason?: string };

/** A limits refusal's detail: which limit, for logs and (per-transaction only) for the client. */
export type LimitVerdict = { readonly ok: true } | { readonly ok: false; readonly limit: string };

/**
 * The limits port: where a rail's limits and usage live. Accounts provides the adapter today
 * (tenant limits per currency, daily usage per customer and tenant in its own schema); the payments
 * and cards subgraphs provide theirs or call accounts.
 */
export type LimitsPort = {
  /** Read only: would the outflow fit every limit now (per transaction and what is left of today)? */
  check(outflow: Outflow): Promise<LimitVerdict>;
  /**
   * Reserves the outflow against the daily limits, exactly once per outflow id and atomically with
   * the rail's own state change, so parallel outflows never overshoot. Returns false (nothing
   * reserved) when a limit refuses. The rail releases the reservation when the outflow does not
   * happen (its compensation), never the policy.
   */
  reserve(outflow: Outflow): Promise<LimitVerdict>;
};

/**
 * The risk port: the accounts subgraph's rules today (workers/risk-rules.ts); the risk subgraph's
 * real-time scoring later. Must be safe to ask twice for one outflow (recovery repeats it).
 */
export type RiskPort = {
  assess(outflow: Outflow): Promise<{ readonly approved: boolean; readonly reason?: string }>;
};

export type PolicyPorts = { readonly limits: LimitsPort; readonly risk: RiskPort };
