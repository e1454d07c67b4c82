import { runService } from '@baas/server';
import { kycConfigSchema } from './config';
import { createKycSubgraph } from './create-kyc-subgraph';

await runService({ service: 'kyc', schema: kycConfigSchema, start: createKycSubgraph });
