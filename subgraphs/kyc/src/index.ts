export { createKycSubgraph } from './create-kyc-subgraph';
export { kycConfigSchema, type KycConfig } from './config';
