/** The same two modes as @baas/policy's RiskFailMode (said here too: domain/ imports no package with I/O). */
export type RiskFailMode = 'OPEN' | 'CLOSED';

/**
 * What a tenant's money movements do when the risk subgraph cannot answer (unreachable, too slow,
 * an error): OPEN lets them through unscored (reasons RISK_UNAVAILABLE, logged and counted), CLOSED
 * refuses them (RISK_DECLINED, reason RISK_UNAVAILABLE). Kept with the tenant's account settings in
 * accounts' own database, so it is known while risk is down. Default OPEN: a bank that has not chosen
 * keeps paying its customers through a risk outage.
 */
export const DEFAULT_RISK_FAIL_MODE: RiskFailMode = 'OPEN';

/** A stored mode (the column's CHECK allows only these); anything else reads as the default. */
export function parseRiskFailMode(value: unknown): RiskFailMode {
  return value === 'OPEN' || value === 'CLOSED' ? value : DEFAULT_RISK_FAIL_MODE;
}
