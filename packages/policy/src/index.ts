export type { LimitsPort, LimitVerdict, Outflow, PolicyDecision, PolicyPorts, PolicyRefusalCode, RiskPort } from './outflow';
export { authorizeOutflow, OUTFLOW_STEP_UP_ACTION, requireOutflowStepUp, screenOutflow } from './outflow-policy';
