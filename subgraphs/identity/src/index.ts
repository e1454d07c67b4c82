export { createIdentitySubgraph, type RunningIdentity } from './create-identity-subgraph';
export { identityConfigSchema, type IdentityConfig } from './config';
