export { createPaymentsSubgraph } from './create-payments-subgraph';
export { paymentsConfigSchema, type PaymentsConfig } from './config';
