import { runService } from '@baas/server';
import { webhooksConfigSchema } from './config';
import { createWebhooksSubgraph } from './create-webhooks-subgraph';

await runService({ service: 'webhooks', schema: webhooksConfigSchema, start: createWebhooksSubgraph });
