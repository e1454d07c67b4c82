export { createWebhooksSubgraph } from './create-webhooks-subgraph';
export { webhooksConfigSchema, type WebhooksConfig } from './config';
