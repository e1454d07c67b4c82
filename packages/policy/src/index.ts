export type { AdmissionPorts, LimitsPort, LimitVerdict, Outflow, PolicyDecision, PolicyPorts, PolicyRefusalCode, RiskDecision, RiskPort, RiskVerdict, StandingPort } from './outflow';
export {
  admitOutflow,
  authorizeOutflow,
  requireOutflowStanding,
  requireRiskVerdict,
  riskDeclined,
  OUTFLOW_STEP_UP_ACTION,
  requireOutflowStepUp,
  RISK_REVIEW_ACTION,
  RISK_REVIEW_MAX_AGE_SECONDS,
  screenOutflow,
} from './outflow-policy';
export { createRiskPort, RISK_OFF, createRiskUnavailableCounter, RISK_FAIL_MODES, RISK_UNAVAILABLE, type RiskFailMode, type RiskPortLogger, type RiskPortOptions } from './risk-port';
export { riskRail, riskScoreInput, RiskUnavailableError } from './risk-score';
export { createRiskVerdictMemo } from './risk-verdict-memo';
