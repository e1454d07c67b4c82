import { fmt, gatewayAt, short, type JourneyLog } from './journey-client';
import { muleBlocked, ledgerIntegrity, statementOf, webhooksArrived, type LedgerOutcome, type MuleOutcome, type StatementOutcome, type WebhooksOutcome } from './journey-checks';
import { cardPurchase, fxAndWire, incomingPix, payQrCode, payTed, registerKey, settledAt } from './journey-money';
import { balanceOf, createSandbox, onboardCustomer, openAccount, passKyc, subscribeWebhooks, type Account } from './journey-onboard';

export { fmt, short, type JourneyLog };

/** Where the journey runs: a test platform (e2e/journey/journey.test.ts) or `npm start`'s (scripts/demo.ts). */
export type JourneyPlatform = {
  /** The gateway's GraphQL URL. */
  gatewayUrl: string;
  /** An operator's access token (minted with the platform's signing key). */
  operatorToken: string;
  /** A customer's access token, as the tenant's app gets one for its signed-in customer. */
  customerToken(tenantId: string, customerId: string): Promise<string>;
  /** The address the local webhook receiver listens on (the platform delivers to it); default 127.0.0.1. */
  webhookHost?: string;
  /** Writes what a risk graph scan finds for a mule's account (the scans' cache); absent: that step is left out. */
  plantMule?(ledgerAccountId: string): Promise<void>;
};

/** The amounts the journey moves, in minor units. */
export const JOURNEY_AMOUNTS = {
  incomingPix: 500_000n,
  pixToKey: 10_000n,
  qrCode: 12_345n,
  ted: 50_000n,
  fxSell: 100_000n,
  wire: 10_000n,
  card: 10_000n,
  cardRefund: 3_000n,
  muleFunding: 100_000n,
} as const;

/** The webhook event types the journey waits for. */
export const JOURNEY_EVENTS = [
  'accounts.account.opened',
  'kyc.application.approved',
  'kyc.level.changed',
  'payments.pix.key.registered',
  'payments.pix.charge.concluded',
  'payments.order.settled',
  'ledger.transfer.posted',
  'cards.card.issued',
  'cards.authorization.approved',
  'cards.transaction.captured',
  'cards.transaction.refunded',
] as const;

export type JourneyResult = {
  tenantId: string;
  customerId: string;
  kyc: { state: string; level: number };
  brl: Account;
  usd: Account;
  /** The BRL balance (posted, minor units) after each money step. */
  brlAfter: { incomingPix: bigint; pixToKey: bigint; qrCode: bigint; ted: bigint; fx: bigint; card: bigint; mule: bigint };
  tedState: string;
  usdBought: bigint;
  wireFee: bigint;
  usdFinal: bigint;
  merchantFinal: bigint;
  cardResponses: string[];
  mule: MuleOutcome | null;
  webhooks: WebhooksOutcome;
  statement: StatementOutcome;
  ledger: LedgerOutcome | null;
  /** Steps not run, and why. */
  leftOut: string[];
};

/** The whole journey of a fintech on the platform, printed step by step; throws at the first step that does not go as it should. */
export async function runJourney(platform: JourneyPlatform, log: JourneyLog): Promise<JourneyResult> {
  const gw = gatewayAt(platform.gatewayUrl);
  const op = platform.operatorToken;
  const A = JOURNEY_AMOUNTS;
  const leftOut: string[] = [];
  const section = (title: string) => log(`\n== ${title}`);

  section('1. A sandbox tenant');
  const sandbox = await createSandbox(gw, log, op);
  const hooks = await subscribeWebhooks(gw, log, sandbox, platform.webhookHost ?? '127.0.0.1');
  try {
    section('2. A customer, KYC, accounts');
    const ana = await onboardCustomer(gw, log, sandbox, platform.customerToken, 'Ana, the customer');
    const kyc = await passKyc(gw, log, ana, op);
    const brl = await openAccount(gw, ana, 'BRL', op);
    const usd = await openAccount(gw, ana, 'USD', op);
    log(`Customer: opened a BRL account ${short(brl.id)} and a USD account ${short(usd.id)}.`);

    section('3. PIX');
    let expected = 0n;
    const after = {} as JourneyResult['brlAfter'];
    await incomingPix(gw, log, sandbox, { accountId: brl.id }, A.incomingPix, 'Sandbox Payer');
    after.incomingPix = await settledAt(gw, brl, ana.token, (expected += A.incomingPix));
    const key = await registerKey(gw, log, ana, brl);
    await incomingPix(gw, log, sandbox, { key }, A.pixToKey, 'Sandbox Payer');
    after.pixToKey = await settledAt(gw, brl, ana.token, (expected += A.pixToKey));
    const merchant = await onboardCustomer(gw, log, sandbox, platform.customerToken, 'a merchant');
    const shop = await openAccount(gw, merchant, 'BRL', op);
    await payQrCode(gw, log, ana, brl, merchant, shop, A.qrCode);
    after.qrCode = await settledAt(gw, brl, ana.token, (expected -= A.qrCode));
    log(`Balance: ${fmt(after.qrCode, 'BRL')}.`);

    section('4. TED and an international wire');
    const ted = await payTed(gw, log, ana, brl, A.ted);
    if (ted.state === 'SETTLED') expected -= A.ted;
    after.ted = await settledAt(gw, brl, ana.token, expected);
    const fx = await fxAndWire(gw, log, ana, brl, usd, A.fxSell, A.wire);
    after.fx = await settledAt(gw, brl, ana.token, (expected -= A.fxSell));
    const wireFee = BigInt(fx.order.fee?.minorUnits ?? '0');
    const usdFinal = await settledAt(gw, usd, ana.token, fx.bought - A.wire - wireFee);
    log(`Balances: ${fmt(after.fx, 'BRL')} and ${fmt(usdFinal, 'USD')}.`);

    section('5. A virtual card');
    const card = await cardPurchase(gw, log, sandbox, ana, brl, A.card, A.cardRefund);
    after.card = await settledAt(gw, brl, ana.token, (expected += A.cardRefund - A.card));
    log(`Balance after the purchase and its refund: ${fmt(after.card, 'BRL')}.`);

    section('6. Risk: a mule');
    let mule: MuleOutcome | null = null;
    if (platform.plantMule) {
      const m = await onboardCustomer(gw, log, sandbox, platform.customerToken, 'a mule');
      const [from, own] = [await openAccount(gw, m, 'BRL', op), await openAccount(gw, m, 'BRL', op)];
      await incomingPix(gw, log, sandbox, { accountId: from.id }, A.muleFunding, 'Sandbox Payer');
      await settledAt(gw, from, m.token, A.muleFunding);
      mule = await muleBlocked(gw, log, sandbox, m, from, own, brl, platform.plantMule);
      await settledAt(gw, from, m.token, A.muleFunding - 10_000n);
    } else {
      leftOut.push('mule: this platform gives no way to write the risk graph scan cache');
      log('Risk: LEFT OUT: this platform gives the journey no way to plant a mule pattern in the risk graph cache.');
    }
    after.mule = await settledAt(gw, brl, ana.token, expected);

    section('7. Webhooks');
    const webhooks = await webhooksArrived(log, hooks.receiver, JOURNEY_EVENTS);

    section('8. The statement');
    const statement = await statementOf(gw, log, ana, brl);

    section('9. The ledger');
    const proved = statement.lines.find((l) => l.ledgerTransferId && l.amount === A.incomingPix);
    let ledger: LedgerOutcome | null = null;
    if (proved?.ledgerTransferId) ledger = await ledgerIntegrity(gw, log, op, ana, proved.ledgerTransferId);
    else {
      leftOut.push('inclusion proof: no statement line carries its ledger transfer id');
      log('Ledger: LEFT OUT: the incoming PIX line carries no ledger transfer id to prove.');
    }
    const merchantFinal = (await balanceOf(gw, shop, merchant.token)).posted;
    log(`\nDone: BRL ${fmt(after.mule, 'BRL')}, USD ${fmt(usdFinal, 'USD')}, the merchant ${fmt(merchantFinal, 'BRL')}.${leftOut.length ? ` Left out: ${leftOut.join('; ')}.` : ''}`);
    return {
      tenantId: sandbox.tenantId,
      customerId: ana.id,
      kyc: { state: kyc.state, level: kyc.level },
      brl,
      usd,
      brlAfter: after,
      tedState: ted.state,
      usdBought: fx.bought,
      wireFee,
      usdFinal,
      merchantFinal,
      cardResponses: card.responses,
      mule,
      webhooks,
      statement,
      ledger,
      leftOut,
    };
  } finally {
    await hooks.receiver.close().catch(() => undefined);
  }
}
