import { z } from 'zod';

/**
 * Every message of the rail protocol. Amounts are decimal strings of integer minor units, currencies
 * ISO 4217, times ISO 8601 strings (UTC). Object schemas strip unknown keys (a newer peer may add fields).
 */

/** A positive integer amount in minor units, as a decimal string (at most 2^63 − 1). */
export const amountSchema = z
  .string()
  .regex(/^[1-9]\d{0,18}$/, 'a positive integer of minor units as a decimal string')
  .refine((s) => !/^\d+$/.test(s) || BigInt(s) <= 9223372036854775807n, 'at most 2^63 - 1');
export const currencySchema = z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code');
export const ispbSchema = z.string().regex(/^\d{8}$/, 'an ISPB is 8 digits');
export const timestampSchema = z.iso.datetime({ offset: true });
/** The payment's id at the rail; also a key of the sandbox bank's KV bucket, hence the alphabet. */
export const endToEndIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, '1 to 64 of [A-Za-z0-9_-]');
export const railSchema = z.enum(['PIX', 'TED', 'BOLETO', 'WIRE']);
export const paymentKindSchema = z.enum(['PAYMENT', 'RETURN']);
export const reasonSchema = z.string().min(1).max(140);

export const partySchema = z.object({
  name: z.string().min(1).max(140),
  ispb: ispbSchema,
  branch: z.string().max(10).optional(),
  account: z.string().max(34).optional(),
  accountType: z.enum(['CACC', 'SVGS', 'TRAN']).optional(),
  documentMasked: z.string().max(32).optional(),
  iban: z.string().max(34).optional(),
  bic: z.string().max(11).optional(),
  pixKey: z.string().max(77).optional(),
  accountId: z.uuid().optional(),
});

export const submitPaymentSchema = z
  .object({
    endToEndId: endToEndIdSchema,
    rail: railSchema,
    kind: paymentKindSchema,
    amount: amountSchema,
    currency: currencySchema,
    payer: partySchema,
    payee: partySchema,
    remittance: z.string().max(140).optional(),
    returnOf: endToEndIdSchema.optional(),
    returnReason: reasonSchema.optional(),
    message: z.string().max(100_000).optional(),
    requestedAt: timestampSchema,
  })
  .refine((m) => m.kind !== 'RETURN' || m.returnOf !== undefined, { message: 'a RETURN names returnOf', path: ['returnOf'] });

export const refusedReplySchema = z.object({ accepted: z.literal(false), reason: reasonSchema });
export const submitReplySchema = z.discriminatedUnion('accepted', [
  z.object({ accepted: z.literal(true), railRef: z.string().min(1) }),
  refusedReplySchema,
]);

export const inquireSchema = z.object({ endToEndId: endToEndIdSchema });
export const paymentStatusSchema = z.enum(['UNKNOWN', 'IN_FLIGHT', 'SETTLED', 'REJECTED']);
/** The status of a submitted payment; an invalid inquiry is answered { accepted: false, reason: 'INVALID_MESSAGE' }. */
export const inquireReplySchema = z.union([
  z.object({ status: paymentStatusSchema, reason: reasonSchema.optional(), settledAt: timestampSchema.optional() }),
  refusedReplySchema,
]);

export const simulateIncomingSchema = z
  .object({
    endToEndId: endToEndIdSchema.optional(),
    rail: railSchema,
    amount: amountSchema,
    currency: currencySchema,
    payer: partySchema,
    payee: partySchema,
    remittance: z.string().max(140).optional(),
  })
  .refine((m) => m.payee.accountId !== undefined || m.payee.pixKey !== undefined, {
    message: 'the payee needs accountId or pixKey',
    path: ['payee'],
  });
export const simulateIncomingReplySchema = z.discriminatedUnion('accepted', [
  z.object({ accepted: z.literal(true), endToEndId: endToEndIdSchema }),
  refusedReplySchema,
]);

export const simulateReturnSchema = z.object({
  endToEndId: endToEndIdSchema,
  amount: amountSchema.optional(),
  reason: reasonSchema.optional(),
});
export const simulateReturnReplySchema = z.discriminatedUnion('accepted', [
  z.object({ accepted: z.literal(true), returnId: endToEndIdSchema }),
  refusedReplySchema,
]);

export const settledEventSchema = z.object({
  endToEndId: endToEndIdSchema,
  rail: railSchema,
  railRef: z.string().min(1),
  settledAt: timestampSchema,
});
export const rejectedEventSchema = z.object({ endToEndId: endToEndIdSchema, rail: railSchema, reason: reasonSchema });
export const returnedEventSchema = z.object({
  endToEndId: endToEndIdSchema,
  returnId: endToEndIdSchema,
  amount: amountSchema,
  currency: currencySchema,
  reason: reasonSchema,
  returnedAt: timestampSchema,
});
export const incomingEventSchema = z.object({
  endToEndId: endToEndIdSchema,
  rail: railSchema,
  kind: paymentKindSchema,
  amount: amountSchema,
  currency: currencySchema,
  payer: partySchema,
  payee: partySchema,
  remittance: z.string().max(140).optional(),
  returnOf: endToEndIdSchema.optional(),
  returnReason: reasonSchema.optional(),
  receivedAt: timestampSchema,
});

export type Rail = z.infer<typeof railSchema>;
export type PaymentKind = z.infer<typeof paymentKindSchema>;
export type Party = z.infer<typeof partySchema>;
export type SubmitPayment = z.infer<typeof submitPaymentSchema>;
export type SubmitReply = z.infer<typeof submitReplySchema>;
export type Inquire = z.infer<typeof inquireSchema>;
export type PaymentStatus = z.infer<typeof paymentStatusSchema>;
export type InquireReply = z.infer<typeof inquireReplySchema>;
export type SimulateIncoming = z.infer<typeof simulateIncomingSchema>;
export type SimulateIncomingReply = z.infer<typeof simulateIncomingReplySchema>;
export type SimulateReturn = z.infer<typeof simulateReturnSchema>;
export type SimulateReturnReply = z.infer<typeof simulateReturnReplySchema>;
export type SettledEvent = z.infer<typeof settledEventSchema>;
export type RejectedEvent = z.infer<typeof rejectedEventSchema>;
export type ReturnedEvent = z.infer<typeof returnedEventSchema>;
export type IncomingEvent = z.infer<typeof incomingEventSchema>;
export type RefusedReply = z.infer<typeof refusedReplySchema>;

/** The reason a peer answers to a message its schema refuses. */
export const INVALID_MESSAGE = 'INVALID_MESSAGE';

export const railEventSchemas = {
  settled: settledEventSchema,
  rejected: rejectedEventSchema,
  returned: returnedEventSchema,
  incoming: incomingEventSchema,
} as const;

/** The data of each event type, by the subject's last token. */
export type RailEventData = {
  settled: SettledEvent;
  rejected: RejectedEvent;
  returned: ReturnedEvent;
  incoming: IncomingEvent;
};
/** One rail event: its type (the subject's last token) with its validated data. */
export type RailEvent = { [K in keyof RailEventData]: { type: K; data: RailEventData[K] } }[keyof RailEventData];
