import { runService } from '@baas/server';
import { riskConfigSchema } from './config';
import { createRiskSubgraph } from './create-risk-subgraph';

await runService({ service: 'risk', schema: riskConfigSchema, start: createRiskSubgraph });
