import { runService } from '@baas/server';
import { identityConfigSchema } from './config';
import { createIdentitySubgraph } from './create-identity-subgraph';

await runService({ service: 'identity', schema: identityConfigSchema, start: createIdentitySubgraph });
