import type { Resolvers } from '../generated/resolvers-types';
import { liveSecrets } from '../domain/endpoint-rules';
import { createWebhookEndpoint } from '../use-cases/create-webhook-endpoint';
import { deleteWebhookEndpoint } from '../use-cases/delete-webhook-endpoint';
import { getWebhookEndpoint } from '../use-cases/get-webhook-endpoint';
import { listWebhookEndpoints } from '../use-cases/list-webhook-endpoints';
import { getWebhookDelivery, listWebhookDeliveries } from '../use-cases/list-webhook-deliveries';
import { pingWebhookEndpoint } from '../use-cases/ping-webhook-endpoint';
import { replayWebhookDelivery } from '../use-cases/replay-webhook-delivery';
import { replayWebhookEvents } from '../use-cases/replay-webhook-events';
import { listWebhookEventTypes } from '../use-cases/list-webhook-event-types';
import { rotateWebhookSecret } from '../use-cases/rotate-webhook-secret';
import { updateWebhookEndpoint } from '../use-cases/update-webhook-endpoint';

const iso = (at: Date | null) => (at ? at.toISOString() : null);

export const resolvers: Resolvers = {
  Query: {
    webhookEndpoints: (_, args, ctx) => listWebhookEndpoints(ctx.webhooks, ctx.identity, args),
    webhookEndpoint: (_, args, ctx) => getWebhookEndpoint({ endpoints: ctx.loaders.endpoint }, ctx.identity, args.id),
    webhookDeliveries: (_, args, ctx) => listWebhookDeliveries({ endpoints: ctx.loaders.endpoint, deliveries: { page: ctx.deliveries.page, load: (id) => ctx.loaders.delivery.load(id) } }, ctx.identity, args),
    webhookDelivery: (_, args, ctx) => getWebhookDelivery({ deliveries: { load: (id) => ctx.loaders.delivery.load(id) } }, ctx.identity, args.id),
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
    replayWebhookDelivery: (_, args, ctx) => replayWebhookDelivery(ctx.replays, ctx.identity, args.id, args.idempotencyKey),
    replayWebhookEvents: (_, { input }, ctx) => replayWebhookEvents(ctx.replays, ctx.identity, input),
    pingWebhookEndpoint: (_, args, ctx) => pingWebhookEndpoint(ctx.replays, ctx.identity, args.id, args.idempotencyKey),
  },
  WebhookDelivery: {
    __resolveReference: (ref, ctx) => getWebhookDelivery({ deliveries: { load: (id) => ctx.loaders.delivery.load(id) } }, ctx.identity, ref.id),
    status: (row) => row.status as never,
    attemptCount: (row) => row.attempts,
    nextAttemptAt: (row) => (row.status === 'PENDING' ? iso(row.nextAttemptAt) : null),
    createdAt: (row) => row.createdAt.toISOString(),
    deliveredAt: (row) => iso(row.deliveredAt),
    payload: (row, _, ctx) => ctx.loaders.body(row.tenantId, row.eventId),
    attempts: (row, _, ctx) => ctx.loaders.attempts.load(row.id),
  },
  WebhookAttempt: {
    at: (row) => row.at.toISOString(),
  },
  WebhookEndpoint: {
    __resolveReference: (ref, ctx) => getWebhookEndpoint({ endpoints: ctx.loaders.endpoint }, ctx.identity, ref.id),
    secretHints: (row) => liveSecrets(row.secrets, new Date()).map((s) => ({ hint: s.hint, createdAt: s.createdAt.toISOString(), expiresAt: iso(s.expiresAt) })),
    disabledAt: (row) => iso(row.disabledAt),
    createdAt: (row) => row.createdAt.toISOString(),
    updatedAt: (row) => row.updatedAt.toISOString(),
  },
};
