export { createLedgerSubgraph } from './create-ledger-subgraph';
export { ledgerConfigSchema, type LedgerConfig } from './config';
