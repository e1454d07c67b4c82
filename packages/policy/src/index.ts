export type { LimitsPort, LimitVerdict, Outflow, PolicyDecision, PolicyPorts, PolicyRefusalCode, RiskPort, StandingPort } from './outflow';
export { admitOutflow, authorizeOutflow, requireOutflowStanding, OUTFLOW_STEP_UP_ACTION, requireOutflowStepUp, screenOutflow } from './outflow-policy';
