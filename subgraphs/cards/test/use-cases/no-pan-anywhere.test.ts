import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { createLogger } from '@baas/observability';
import { changeCardState } from '../../src/use-cases/change-card-state';
import { issueCard } from '../../src/use-cases/issue-card';
import { reportLostCard } from '../../src/use-cases/report-lost-card';
import { revealCard } from '../../src/use-cases/reveal-card';
import { createCardsFixture, type CardsFixture } from './cards-fixture';

/**
 * Issues, reveals, pauses, closes and reissues cards, logs every error the way the server does, and
 * scans every log line, every outbox payload, every audit record, every error and every stored row
 * outside the vault for the PANs revealed: none may appear anywhere.
 */
describe('no PAN anywhere but the vault (PostgreSQL)', () => {
  let f: CardsFixture;
  before(async () => {
    f = await createCardsFixture();
  });
  after(() => f.close());

  it('issue, reveal, close, reissue: the PANs are in no log line, event, audit record, error or row', async () => {
    const lines: string[] = [];
    const logger = createLogger({ service: 'cards-test', level: 'debug', destination: new Writable({ write: (chunk, _e, done) => (lines.push(String(chunk)), done()) }) as never });
    const errors: unknown[] = [];
    const attempt = async <T>(work: Promise<T>): Promise<T | undefined> => {
      try {
        const result = await work;
        logger.info({ result: result as unknown }, 'use case answered');
        return result;
      } catch (error) {
        errors.push(error);
        logger.error({ err: error }, 'use case refused');
        return undefined;
      }
    };
    const c = f.customer();
    const pans: string[] = [];
    const card = (await attempt(issueCard(f.deps, c.who, { id: randomUUID(), accountId: c.account.id, form: 'VIRTUAL', controls: { perDay: '1000' } })))!;
    await attempt(revealCard(f.deps, c.who, card.id));
    await attempt(revealCard(f.deps, c.client, card.id));
    const shown = (await f.deps.vault.sealedPanOf(card.id))!;
    pans.push(f.deps.pii.decrypt(shown.sealedPan, `card.pan:${card.id}`));
    await attempt(changeCardState(f.deps, c.who, card.id, { type: 'PAUSE' }));
    const replacement = (await attempt(reportLostCard(f.deps, c.who, card.id, 'LOST')))!;
    const revealed = await revealCard(f.deps, c.stepped, replacement.id);
    pans.push(revealed.pan);
    await attempt(changeCardState(f.deps, c.who, replacement.id, { type: 'CLOSE', reason: 'CUSTOMER_REQUEST' }));
    await attempt(revealCard(f.deps, c.stepped, replacement.id));
    await attempt(issueCard(f.deps, c.who, { id: card.id, accountId: c.account.id, form: 'PHYSICAL' }));

    assert.ok(lines.length >= 6 && errors.length >= 3);
    const outbox = (await f.events()).map((e) => e.payload);
    const rows = JSON.stringify({ cards: await f.db.card.findMany(), tokens: await f.db.networkToken.findMany(), settings: await f.db.tenantCardSettings.findMany() }, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
    const errorText = errors.map((e) => `${String(e)} ${JSON.stringify(e)} ${(e as Error).stack ?? ''}`);
    const haystacks = { logs: lines.join('\n'), outbox: outbox.join('\n'), audit: JSON.stringify(f.audited), errors: errorText.join('\n'), rows };
    for (const pan of pans) {
      assert.equal(pan.length, 16);
      for (const [where, text] of Object.entries(haystacks)) {
        assert.ok(text.length > 0, `${where} is empty`);
        assert.ok(!text.includes(pan), `a PAN reached the ${where}`);
        // Not even with separators, or its middle digits (first6 and last4 may be shown).
        assert.ok(!text.includes(pan.slice(6, 12)), `the PAN's hidden digits reached the ${where}`);
      }
    }
  });
});
