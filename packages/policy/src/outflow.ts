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
  /** The credited account, when the rail knows it (a transfer; not a card purchase). */
  readonly payeeAccountId?: string | null;
  /** The ledger accounts of payer and payee (the risk graph knows money flows by ledger account). */
  readonly payerLedgerAccountId?: string | null;
  readonly payeeLedgerAccountId?: string | null;
  /** The client's device fingerprint and address, when the request carried them (risk features). */
  readonly deviceId?: string | null;
  readonly ip?: string | null;
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

/** Risk's answer: let it through, ask the customer to confirm (step-up), or refuse. */
export type RiskDecision = 'ALLOW' | 'REVIEW' | 'BLOCK';

/**
 * A risk verdict. `reasons`: stable codes (e.g. MULE_SUSPECTED, VELOCITY, RISK_UNAVAILABLE), safe to
 * show a client; `assessmentId`: the stored assessment (risk subgraph), for explaining it later;
 * `unavailable`: risk could not answer and the tenant's fail mode decided.
 */
export type RiskVerdict = {
  readonly decision: RiskDecision;
  readonly reasons: readonly string[];
  readonly assessmentId?: string;
  readonly unavailable?: boolean;
};

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
 * The risk port: the risk subgraph's real-time scoring (createRiskPort: with a timeout and the
 * tenant's fail mode), or a rail's built-in rules. Must be safe to ask twice for one outflow id
 * (the request asks, the rail's RISK step asks again, recovery repeats it): the risk subgraph
 * answers a repeat with the stored assessment.
 */
export type RiskPort = {
  assess(outflow: Outflow): Promise<RiskVerdict>;
};

export type PolicyPorts = { readonly limits: LimitsPort; readonly risk: RiskPort };

/** What request-time admission asks: standing always, limits (read only) and risk when the rail has those ports. */
export type AdmissionPorts = { readonly standing: StandingPort; readonly limits?: Pick<LimitsPort, 'check'>; readonly risk?: RiskPort };
