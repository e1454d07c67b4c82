import { runService } from '@baas/server';
import { gatewayConfigSchema } from './config';
import { createGateway } from './create-gateway';

await runService({ service: 'gateway', schema: gatewayConfigSchema, start: createGateway });
