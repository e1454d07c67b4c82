import { moneyField } from '@baas/money';
import type { PaymentsContext } from '../context';
import type { MedCaseResolvers, MutationResolvers, PaymentOrderResolvers, QueryResolvers } from '../generated/resolvers-types';
import { cancelPaymentOrder } from '../use-cases/cancel-payment-order';
import { getPaymentOrder } from '../use-cases/get-payment-order';
import { listMedCases, listPaymentOrders } from '../use-cases/list-payment-orders';
import { payBoleto } from '../use-cases/pay-boleto';
import { payPix } from '../use-cases/pay-pix';
import { payTed } from '../use-cases/pay-ted';
import { readBoleto } from '../use-cases/read-boleto';
import { refundPix } from '../use-cases/refund-pix';
import { reportPixFraud } from '../use-cases/report-pix-fraud';
import { resolveMedCase } from '../use-cases/resolve-med-case';
import { sendWire } from '../use-cases/send-wire';
import { getPixLimits, setPixLimit, type PixLimitsView } from '../use-cases/set-pix-limit';
import { simulateIncomingPix, simulateRailReturn } from '../use-cases/simulate-rail-events';

/** The client's address and device as the gateway vouched for them (risk features). */
const client = (ctx: PaymentsContext) => ({ ip: ctx.clientAddress ?? null, deviceId: ctx.deviceId ?? null });
const orderLoader = (ctx: PaymentsContext) => ({ orders: { load: (id: string) => ctx.loaders.order.load(id) } });
/** The GraphQL PixLimits of a customer's limits now. */
function limitsView(v: PixLimitsView) {
  const brl = (amount: bigint | undefined) => moneyField(amount ?? 0n, 'BRL');
  const { DAYTIME: day, NIGHTTIME: night } = v.limits;
  return {
    customerId: v.customerId,
    daytime: brl(day.amount),
    nighttime: brl(night.amount),
    pendingDaytime: day.pending ? brl(day.pending.amount) : null,
    pendingNighttime: night.pending ? brl(night.pending.amount) : null,
    pendingEffectiveAt: (day.pending?.effectiveAt ?? night.pending?.effectiveAt)?.toISOString() ?? null,
  };
}

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

export const orderQueries: Pick<QueryResolvers, 'paymentOrder' | 'paymentOrders' | 'medCases' | 'pixLimits' | 'parseBoleto'> = {
  paymentOrder: (_, { id }, ctx) => getPaymentOrder(orderLoader(ctx), ctx.identity, id),
  paymentOrders: (_, args, ctx) => listPaymentOrders(ctx.payments.orders, ctx.identity, args),
  medCases: (_, { accountId }, ctx) => listMedCases(ctx.payments.orders, ctx.identity, accountId),
  pixLimits: async (_, { customerId }, ctx) => limitsView(await getPixLimits(ctx.payments.orders, ctx.identity, customerId)),
  parseBoleto: async (_, { line }) => {
    const b = readBoleto(line);
    return { ...b, amount: b.amount === null ? null : moneyField(b.amount, 'BRL') };
  },
};

export const orderMutations: Pick<
  MutationResolvers,
  'payPix' | 'refundPix' | 'payTed' | 'payBoleto' | 'sendWire' | 'cancelPaymentOrder' | 'setPixLimit' | 'reportPixFraud' | 'resolveMedCase' | 'simulateIncomingPix' | 'simulateRailReturn'
> = {
  payPix: (_, { input }, ctx) => payPix(ctx.payments.orders, ctx.identity, input, client(ctx)),
  refundPix: (_, { input }, ctx) => refundPix(ctx.payments.orders, ctx.identity, input, client(ctx)),
  payTed: (_, { input }, ctx) => payTed(ctx.payments.orders, ctx.identity, input, client(ctx)),
  payBoleto: (_, { input }, ctx) => payBoleto(ctx.payments.orders, ctx.identity, input, client(ctx)),
  sendWire: (_, { input }, ctx) => sendWire(ctx.payments.orders, ctx.identity, input, client(ctx)),
  cancelPaymentOrder: (_, { id }, ctx) => cancelPaymentOrder(ctx.payments.orders, ctx.identity, id),
  setPixLimit: async (_, { input }, ctx) => limitsView(await setPixLimit(ctx.payments.orders, ctx.identity, input)),
  reportPixFraud: (_, args, ctx) => reportPixFraud(ctx.payments.orders, ctx.identity, args),
  resolveMedCase: (_, args, ctx) => resolveMedCase(ctx.payments.orders, ctx.identity, args),
  simulateIncomingPix: (_, { input }, ctx) => simulateIncomingPix(ctx.payments.orders, ctx.identity, input),
  simulateRailReturn: (_, args, ctx) => simulateRailReturn(ctx.payments.orders, ctx.identity, args),
};

type Data = { boleto?: { barcode: string; digitableLine: string; bankCode: string; dueDate: string | null; amount: string }; pacs008?: string };

export const orderTypes: { PaymentOrder: PaymentOrderResolvers; MedCase: MedCaseResolvers } = {
  PaymentOrder: {
    __resolveReference: (ref, ctx) => getPaymentOrder(orderLoader(ctx), ctx.identity, ref.id),
    amount: (row) => moneyField(row.amount, row.currency),
    fee: (row) => moneyField(row.feeAmount, row.currency),
    returnedAmount: (row) => moneyField(row.returnedAmount, row.currency),
    returns: (row) => (row.returns as { returnId: string; amount: string; reason: string; at: string }[]).map((r) => ({ ...r, amount: moneyField(r.amount, row.currency) })),
    history: (row) => row.history as { from: never; to: never; event: string; at: string }[],
    counterparty: (row) => {
      const c = (row.counterparty ?? {}) as Record<string, string | undefined>;
      return { name: c.name ?? null, ispb: c.ispb ?? null, branch: c.branch ?? null, account: c.account ?? null, documentMasked: c.documentMasked ?? null, iban: c.iban ?? null, bic: c.bic ?? null, pixKeyMasked: row.pixKey };
    },
    returnOf: (row, _, ctx) => (row.returnOfId ? getPaymentOrder(orderLoader(ctx), ctx.identity, row.returnOfId).catch(() => null) : null),
    pacs008: (row) => (row.railData as Data).pacs008 ?? null,
    boleto: (row) => {
      const b = (row.railData as Data).boleto;
      return b ? { barcode: b.barcode, digitableLine: b.digitableLine, kind: 'BANK', bankCode: b.bankCode, dueDate: b.dueDate, amount: b.amount !== '0' ? moneyField(b.amount, 'BRL') : null } : null;
    },
    scheduledFor: (row) => iso(row.scheduledFor),
    createdAt: (row) => row.createdAt.toISOString(),
    settledAt: (row) => iso(row.settledAt),
  },
  MedCase: {
    blockedAmount: (row) => moneyField(row.blockedAmount, row.currency),
    createdAt: (row) => row.createdAt.toISOString(),
    resolvedAt: (row) => iso(row.resolvedAt),
  },
};
