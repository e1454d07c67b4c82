import { runService } from '@baas/server';
import { paymentsConfigSchema } from './config';
import { createPaymentsSubgraph } from './create-payments-subgraph';

await runService({ service: 'payments', schema: paymentsConfigSchema, start: createPaymentsSubgraph });
