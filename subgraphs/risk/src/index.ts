export { createRiskSubgraph } from './create-risk-subgraph';
export { riskConfigSchema, type RiskConfig } from './config';
