export { createAccountsSubgraph } from './create-accounts-subgraph';
export { accountsConfigSchema, type AccountsConfig } from './config';
