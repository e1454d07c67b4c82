import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { challengeCodeKey, THREE_DS_CODE_TTL_MS } from '../../src/domain/three-ds';
import { createChallengeStore } from '../../src/store/challenge-store';
import { answerCardChallenge } from '../../src/use-cases/answer-card-challenge';
import type { ChallengeCodeNotification, ChallengeDeps } from '../../src/use-cases/challenge-deps';
import { createCardChallenge } from '../../src/use-cases/create-card-challenge';
import { issueCard } from '../../src/use-cases/issue-card';
import { createCardsFixture, operator, refusedWith, type CardsFixture } from './cards-fixture';

describe('3-D Secure challenges (PostgreSQL)', () => {
  let f: CardsFixture;
  let deps: ChallengeDeps;
  const sent: ChallengeCodeNotification[] = [];
  let failSends = false;
  before(async () => {
    f = await createCardsFixture();
    deps = {
      ...f.deps,
      challenges: createChallengeStore(f.db),
      codeKey: challengeCodeKey(Buffer.from('test-3ds-secret-0123456789abcdef')),
      codes: { send: async (n) => { if (failSends) throw new Error('notify down'); sent.push(n); } },
    };
  });
  after(() => f.close());

  async function cardOf() {
    const c = f.customer();
    f.sandboxTenants.add(c.account.tenantId);
    const card = await issueCard(f.deps, c.who, { id: randomUUID(), accountId: c.account.id, form: 'VIRTUAL' });
    return { ...c, card };
  }
  const codeOf = (challengeId: string) => sent.find((n) => n.challengeId === challengeId)!.code;
  const wrong = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');

  it('a challenge sends one code, stores only its keyed hash, and a repeat is the same challenge, sending nothing', async () => {
    const { card, client } = await cardOf();
    const input = { id: randomUUID(), cardId: card.id, amount: '25000', merchant: 'SHOP ONLINE' };
    const [a, b] = await Promise.all([createCardChallenge(deps, client, input), createCardChallenge(deps, client, input)]);
    assert.equal(a.id, b.id);
    assert.equal(a.state, 'PENDING');
    assert.equal(a.amount, 25000n);
    assert.equal(a.expiresAt.getTime() - a.createdAt.getTime(), THREE_DS_CODE_TTL_MS);
    const mine = sent.filter((n) => n.challengeId === input.id);
    assert.equal(mine.length, 1);
    assert.match(mine[0]!.code, /^\d{6}$/);
    assert.equal(a.codeHash.includes(mine[0]!.code), false);
    await assert.rejects(createCardChallenge(deps, client, { ...input, amount: '1' }), refusedWith('IDEMPOTENCY_KEY_REUSED'));
    const created = (await f.events('cards.challenge.')).filter((e) => e.data.challengeId === input.id);
    assert.deepEqual(created.map((e) => e.subject), ['cards.challenge.created']);
    assert.equal(created[0]!.payload.includes(mine[0]!.code), false);
  });

  it('wrong, wrong, right: INVALID_CODE with the tries left, then VERIFIED, and VERIFIED again', async () => {
    const { card, client, who } = await cardOf();
    const c = await createCardChallenge(deps, client, { id: randomUUID(), cardId: card.id, amount: '5000', merchant: 'M' });
    const code = codeOf(c.id);
    await assert.rejects(answerCardChallenge(deps, who, { id: c.id, code: wrong(code) }), refusedWith('INVALID_CODE', { reason: 'WRONG_CODE', attemptsLeft: 2 }));
    await assert.rejects(answerCardChallenge(deps, who, { id: c.id, code: wrong(code) }), refusedWith('INVALID_CODE', { reason: 'WRONG_CODE', attemptsLeft: 1 }));
    const verified = await answerCardChallenge(deps, who, { id: c.id, code });
    assert.equal(verified.state, 'VERIFIED');
    assert.equal((await answerCardChallenge(deps, who, { id: c.id, code })).state, 'VERIFIED');
    const subjects = (await f.events('cards.challenge.')).filter((e) => e.data.challengeId === c.id).map((e) => e.subject);
    assert.deepEqual(subjects, ['cards.challenge.created', 'cards.challenge.verified']);
  });

  it('three wrong codes fail it (the right one too, after); past five minutes it is expired', async () => {
    const { card, client, who } = await cardOf();
    const c = await createCardChallenge(deps, client, { id: randomUUID(), cardId: card.id, amount: '5000', merchant: 'M' });
    const code = codeOf(c.id);
    const tries = await Promise.allSettled([1, 2, 3, 4].map(() => answerCardChallenge(deps, who, { id: c.id, code: wrong(code) })));
    assert.ok(tries.every((t) => t.status === 'rejected'));
    assert.equal((await deps.challenges.findById(c.id))!.state, 'FAILED');
    assert.equal((await deps.challenges.findById(c.id))!.attempts, 3);
    await assert.rejects(answerCardChallenge(deps, who, { id: c.id, code }), refusedWith('TOO_MANY_ATTEMPTS', { reason: 'CHALLENGE_FAILED' }));

    const late = await createCardChallenge(deps, client, { id: randomUUID(), cardId: card.id, amount: '5000', merchant: 'M' });
    f.advance(THREE_DS_CODE_TTL_MS);
    await assert.rejects(answerCardChallenge(deps, who, { id: late.id, code: codeOf(late.id) }), refusedWith('INVALID_CODE', { reason: 'CODE_EXPIRED' }));
    assert.equal((await deps.challenges.findById(late.id))!.state, 'EXPIRED');
    const failed = (await f.events('cards.challenge.failed')).filter((e) => e.data.challengeId === c.id || e.data.challengeId === late.id).map((e) => e.data.reason);
    assert.deepEqual(failed, ['TOO_MANY_ATTEMPTS', 'EXPIRED']);
  });

  it('only the cardholder answers; only operators and the sandbox tenant client create; a failed send creates nothing', async () => {
    const { card, client, who } = await cardOf();
    const stranger = f.customer({ tenantId: card.tenantId });
    const c = await createCardChallenge(deps, operator, { id: randomUUID(), cardId: card.id, amount: '100', merchant: 'M' });
    await assert.rejects(answerCardChallenge(deps, stranger.who, { id: c.id, code: codeOf(c.id) }), refusedWith('NOT_FOUND'));
    await assert.rejects(answerCardChallenge(deps, client, { id: c.id, code: codeOf(c.id) }), refusedWith('NOT_FOUND'));
    assert.equal((await deps.challenges.findById(c.id))!.attempts, 0);
    await assert.rejects(createCardChallenge(deps, who, { id: randomUUID(), cardId: card.id, amount: '100', merchant: 'M' }), refusedWith('FORBIDDEN'));
    await assert.rejects(createCardChallenge(deps, stranger.client, { id: randomUUID(), cardId: randomUUID(), amount: '100', merchant: 'M' }), refusedWith('NOT_FOUND'));
    const other = await cardOf();
    await assert.rejects(createCardChallenge(deps, other.client, { id: randomUUID(), cardId: card.id, amount: '100', merchant: 'M' }), refusedWith('NOT_FOUND'));
    await assert.rejects(createCardChallenge(deps, client, { id: randomUUID(), cardId: card.id, amount: '0', merchant: 'M' }), refusedWith('BAD_USER_INPUT', { reason: 'MALFORMED_AMOUNT' }));
    failSends = true;
    const id = randomUUID();
    await assert.rejects(createCardChallenge(deps, client, { id, cardId: card.id, amount: '100', merchant: 'M' }));
    failSends = false;
    assert.equal(await deps.challenges.findById(id), null);
  });

  it('a verified challenge is spent by one authorisation of its card for no more than its amount; a declined one gives it back', async () => {
    const { card, client, who } = await cardOf();
    const c = await createCardChallenge(deps, client, { id: randomUUID(), cardId: card.id, amount: '5000', merchant: 'M' });
    const [authA, authB] = [randomUUID(), randomUUID()];
    assert.equal(await deps.challenges.use(c.id, card.id, 5000n, authA), false); // not verified yet
    await answerCardChallenge(deps, who, { id: c.id, code: codeOf(c.id) });
    assert.equal(await deps.challenges.use(c.id, card.id, 5001n, authA), false);
    assert.equal(await deps.challenges.use(c.id, randomUUID(), 10n, authA), false);
    const spent = await Promise.all([deps.challenges.use(c.id, card.id, 5000n, authA), deps.challenges.use(c.id, card.id, 4000n, authB)]);
    assert.equal(spent.filter(Boolean).length, 1);
    const winner = spent[0] ? authA : authB;
    assert.equal(await deps.challenges.use(c.id, card.id, 10n, winner), true); // the same authorisation again
    assert.equal((await deps.challenges.findById(c.id))!.state, 'USED');
    assert.equal((await answerCardChallenge(deps, who, { id: c.id, code: codeOf(c.id) })).state, 'USED');
    await deps.challenges.release(c.id, winner);
    assert.equal((await deps.challenges.findById(c.id))!.state, 'VERIFIED');
  });
});
