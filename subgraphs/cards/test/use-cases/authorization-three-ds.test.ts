import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { challengeCodeKey, challengeExpiry, hashChallengeCode } from '../../src/domain/three-ds';
import { createChallengeStore, type ChallengeStore } from '../../src/store/challenge-store';
import type { CardSettingsRow } from '../../src/store/card-lookup-store';
import { processNetworkMessage, type NetworkDeps } from '../../src/use-cases/process-network-message';
import type { ChallengeAuthDeps } from '../../src/use-cases/authorization-challenge';
import { authRequest, startAuthorizationFixture, type AuthorizationFixture } from './authorization-fixture';

describe('3-D Secure on 0100 authorisations (real ledger, Redis, PostgreSQL)', () => {
  let f: AuthorizationFixture;
  let challenges: ChallengeStore;
  let deps: NetworkDeps & ChallengeAuthDeps;
  const THRESHOLD = 100_00n;
  before(async () => {
    f = await startAuthorizationFixture();
    challenges = createChallengeStore(f.db);
    // The tenant's requireThreeDsAbove, beside whatever else its settings say.
    const settings = async (tenantId: string) => ({ ...((await f.deps.cards.settings(tenantId)) ?? { tenantId, controls: '{}', decisionUrl: null, decisionSecret: null, decisionTimeoutMs: 1500, standIn: 'DECLINE', updatedAt: new Date() }), requireThreeDsAbove: THRESHOLD }) as CardSettingsRow;
    deps = { ...f.deps, cards: { ...f.deps.cards, settings }, challenges };
  });
  after(async () => {
    await f?.close();
  });

  async function verifiedChallenge(c: Awaited<ReturnType<AuthorizationFixture['issueCard']>>, amount: bigint, state = 'VERIFIED') {
    const id = randomUUID();
    const key = challengeCodeKey(Buffer.alloc(32, 3));
    await f.db.threeDsChallenge.create({
      data: { id, cardId: c.card.id, tenantId: c.tenantId, customerId: c.card.customerId, amount, currency: 'BRL', merchant: 'SHOP', state, codeHash: hashChallengeCode(key, id, '000000'), expiresAt: challengeExpiry(new Date()), requestHash: 'test' },
    });
    return id;
  }

  it('above the threshold without a challenge: 1A, nothing held; at or below it, or not ONLINE, no challenge is needed', async () => {
    const c = await f.issueCard({ funds: 1000_00n });
    const declined = await processNetworkMessage(deps, authRequest(c, THRESHOLD + 1n));
    assert.equal(declined.elements['39'], '1A');
    const row = await f.db.cardAuthorization.findFirstOrThrow({ where: { cardId: c.card.id } });
    assert.equal(row.declineReason, 'AUTHENTICATION_REQUIRED');
    assert.equal((await f.balance(c.card.ledgerAccountId)).pending, 0n);
    assert.equal((await processNetworkMessage(deps, authRequest(c, THRESHOLD))).elements['39'], '00');
    assert.equal((await processNetworkMessage(deps, authRequest({ pan: c.pan, expiry: c.expiry }, THRESHOLD + 1n, { '22': '051' }))).elements['39'], '00');
  });

  it('with a verified challenge of the card in DE48: approved, the challenge used; a second authorisation with it: 1A', async () => {
    const c = await f.issueCard({ funds: 1000_00n });
    const challengeId = await verifiedChallenge(c, 300_00n);
    const first = authRequest(c, 250_00n, { '48': challengeId });
    assert.equal((await processNetworkMessage(deps, first)).elements['39'], '00');
    assert.equal((await processNetworkMessage(deps, first)).elements['39'], '00'); // the same message repeated
    const used = (await challenges.findById(challengeId))!;
    assert.equal(used.state, 'USED');
    const auth = await f.db.cardAuthorization.findFirstOrThrow({ where: { cardId: c.card.id, state: 'APPROVED' } });
    assert.equal(used.authorizationId, auth.id);
    assert.equal((await processNetworkMessage(deps, authRequest(c, 250_00n, { '48': challengeId }))).elements['39'], '1A');
  });

  it('a challenge of another card, for less, or not verified does not count; one spent on a declined authorisation is given back', async () => {
    const c = await f.issueCard({ funds: 200_00n });
    const other = await f.issueCard({ funds: 1000_00n });
    const small = await verifiedChallenge(c, 150_00n);
    assert.equal((await processNetworkMessage(deps, authRequest(c, 150_01n, { '48': small }))).elements['39'], '1A');
    assert.equal((await processNetworkMessage(deps, authRequest(other, 120_00n, { '48': small }))).elements['39'], '1A');
    const pending = await verifiedChallenge(c, 150_00n, 'PENDING');
    assert.equal((await processNetworkMessage(deps, authRequest(c, 120_00n, { '48': pending }))).elements['39'], '1A');
    const big = await verifiedChallenge(c, 500_00n);
    assert.equal((await processNetworkMessage(deps, authRequest(c, 300_00n, { '48': big }))).elements['39'], '51');
    assert.equal((await challenges.findById(big))!.state, 'VERIFIED');
    assert.equal((await processNetworkMessage(deps, authRequest(c, 150_00n, { '48': big }))).elements['39'], '00');
    assert.equal((await challenges.findById(big))!.state, 'USED');
  });
});
