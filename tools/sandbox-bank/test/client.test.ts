import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { connect } from 'nats';
import { RailRequestError, createRailClient } from '@baas/rails';
import { NATS_URL, OTHER_ISPB, payment, uniqueNames } from './helpers';

describe('@baas/rails client without a bank', () => {
  it('reports NO_RESPONDERS when no bank listens on the namespace', async () => {
    const nc = await connect({ servers: NATS_URL, name: 'rails-client-test' });
    try {
      const client = createRailClient(nc, { namespace: uniqueNames('client').namespace, timeoutMs: 500 });
      await assert.rejects(client.submit(payment(OTHER_ISPB)), (err: unknown) => err instanceof RailRequestError && err.kind === 'NO_RESPONDERS');
    } finally {
      await nc.close();
    }
  });
});
