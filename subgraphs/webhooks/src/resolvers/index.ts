import type { Resolvers } from '../generated/resolvers-types';
import { liveSecrets } from '../domain/endpoint-rules';
import { createWebhookEndpoint } from '../use-cases/create-webhook-endpoint';
import { deleteWebhookEndpoint } from '../use-cases/delete-webhook-endpoint';
import { getWebhookEndpoint } from '../use-cases/get-webhook-endpoint';
import { listWebhookEndpoints } from '../use-cases/list-webhook-endpoints';
import { listWebhookEventTypes } from '../use-cases/list-webhook-event-types';
import { rotateWebhookSecret } from '../use-cases/rotate-webhook-secret';
import { updateWebhookEndpoint } from '../use-cases/update-webhook-endpoint';

const iso = (at: Date | null) => (at ? at.toISOString() : null);

export const resolvers: Resolvers = {
  Query: {
    webhookEndpoints: (_, args, ctx) => listWebhookEndpoints(ctx.webhooks, ctx.identity, args),
    webhookEndpoint: (_, args, ctx) => getWebhookEndpoint({ endpoints: ctx.loaders.endpoint }, ctx.identity, args.id),
    webhookEventTypes: (_, _args, ctx) => listWebhookEventTypes(ctx.webhooks, ctx.identity),
  },
  Mutation: {
    createWebhookEndpoint: async (_, { input }, ctx) => {
      const { row, secret } = await createWebhookEndpoint(ctx.webhooks, ctx.identity, input);
      return { endpoint: row, secret };
    },
    updateWebhookEndpoint: (_, args, ctx) => updateWebhookEndpoint(ctx.webhooks, ctx.identity, args.id, args.input),
    deleteWebhookEndpoint: async (_, args, ctx) => {
      const { id, deletedAt } = await deleteWebhookEndpoint(ctx.webhooks, ctx.identity, args.id);
      return { id, deletedAt: deletedAt.toISOString() };
    },
    rotateWebhookSecret: async (_, args, ctx) => {
      const { row, secret, previousSecretsExpireAt } = await rotateWebhookSecret(ctx.webhooks, ctx.identity, args.id, args.overlapSeconds);
      return { endpoint: row, secret, previousSecretsExpireAt: iso(previousSecretsExpireAt) };
    },
  },
  WebhookEndpoint: {
    __resolveReference: (ref, ctx) => getWebhookEndpoint({ endpoints: ctx.loaders.endpoint }, ctx.identity, ref.id),
    secretHints: (row) => liveSecrets(row.secrets, new Date()).map((s) => ({ hint: s.hint, createdAt: s.createdAt.toISOString(), expiresAt: iso(s.expiresAt) })),
    createdAt: (row) => row.createdAt.toISOString(),
    updatedAt: (row) => row.updatedAt.toISOString(),
  },
};
