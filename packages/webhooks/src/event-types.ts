/**
 * The event types a tenant can subscribe an endpoint to (data: each subgraph adds its own when it
 * starts publishing one) and the patterns that select them.
 *
 * Pattern grammar (NATS subject wildcards, the same as the platform's streams):
 *   pattern = token *("." token) [".>"] | ">"
 *   token   = 1*[a-z0-9_] | "*"
 * `*` matches exactly one token; `>` (last only) matches one or more trailing tokens; `>` alone
 * matches every type. `payments.order.*` matches `payments.order.settled`, not
 * `payments.order.x.y`; `payments.>` matches both. At most 8 tokens, 255 characters.
 * A pattern must select at least one known, subscribable type; internal types (consumed only by
 * other subgraphs, e.g. identity's blind-index events) never match and cannot be named.
 */
export type WebhookEventType = {
  type: string;
  /** The subgraph that publishes it. */
  source: 'ledger' | 'payments' | 'accounts' | 'identity' | 'cards' | 'kyc' | 'risk' | 'webhooks';
  description: string;
  /** For other subgraphs only: never delivered to tenants. */
  internal?: true;
};

const order = (state: string, description: string): WebhookEventType => ({ type: `payments.order.${state}`, source: 'payments', description });

/** The types published today (grep of the publishers in subgraphs/*\/src, December 2026). */
export const WEBHOOK_EVENT_TYPES: readonly WebhookEventType[] = [
  { type: 'webhook.ping', source: 'webhooks', description: 'A test event sent on request (ping).' },
  { type: 'webhook.endpoint.disabled', source: 'webhooks', description: "One of the tenant's endpoints was disabled because it kept failing (or answered 410 Gone)." },
  { type: 'ledger.transfer.posted', source: 'ledger', description: 'A transfer was posted (single-phase, or a pending one posted).' },
  { type: 'ledger.transfer.created', source: 'ledger', description: 'A pending (two-phase) transfer was created: the amount is held.' },
  { type: 'ledger.transfer.voided', source: 'ledger', description: 'A pending transfer was voided: the hold is released.' },
  { type: 'ledger.transfer.expired', source: 'ledger', description: 'A pending transfer expired: the hold is released.' },
  order('created', 'A payment order was created.'),
  order('scheduled', 'A payment order was scheduled for a later date or window.'),
  order('approved', 'A payment order passed the policy checks.'),
  order('denied', 'A payment order was denied by the policy checks (limits, risk, funds, step-up).'),
  order('pending', 'The funds of a payment order are held.'),
  order('sent', 'A payment order was sent to its rail.'),
  order('settled', 'A payment order settled.'),
  order('partially_returned', 'Part of a settled payment order was returned.'),
  order('returned', 'A settled payment order was fully returned.'),
  order('failed', 'A payment order failed.'),
  order('cancelled', 'A payment order was cancelled.'),
  { type: 'payments.pix.charge.created', source: 'payments', description: 'A PIX charge (QR code) was created.' },
  { type: 'payments.pix.charge.concluded', source: 'payments', description: 'A PIX charge was paid.' },
  { type: 'payments.pix.charge.removed', source: 'payments', description: 'A PIX charge was removed.' },
  { type: 'payments.pix.key.registered', source: 'payments', description: 'A PIX key was registered.' },
  { type: 'payments.pix.key.deleted', source: 'payments', description: 'A PIX key was deleted.' },
  { type: 'payments.pix.key.claim_opened', source: 'payments', description: 'A portability or ownership claim on a PIX key was opened.' },
  { type: 'payments.pix.key.claim_completed', source: 'payments', description: 'A claim on a PIX key completed.' },
  { type: 'payments.pix.key.claim_cancelled', source: 'payments', description: 'A claim on a PIX key was cancelled.' },
  { type: 'payments.pix.med.opened', source: 'payments', description: 'A MED (PIX special return) case was opened.' },
  { type: 'payments.pix.med.accepted', source: 'payments', description: 'A MED case was accepted: the blocked amount is returned.' },
  { type: 'payments.pix.med.rejected', source: 'payments', description: 'A MED case was rejected: the block is released.' },
  { type: 'accounts.account.opened', source: 'accounts', description: 'An account was opened: it has its ledger account and can hold and move money.' },
  { type: 'accounts.account.frozen', source: 'accounts', description: 'An account was frozen: no money leaves it until it is unfrozen (it can still receive).' },
  { type: 'accounts.account.unfrozen', source: 'accounts', description: 'A frozen account was made active again.' },
  { type: 'accounts.account.closed', source: 'accounts', description: 'An account was closed (for good).' },
  { type: 'accounts.transfer.completed', source: 'accounts', description: 'A transfer between two accounts completed: the money moved.' },
  { type: 'accounts.transfer.failed', source: 'accounts', description: 'A transfer between two accounts failed (refused or voided): no money moved.' },
  { type: 'cards.card.issued', source: 'cards', description: 'A card was issued (virtual: active at once; physical: ordered, pending activation).' },
  { type: 'cards.card.activated', source: 'cards', description: 'A card was activated.' },
  { type: 'cards.card.paused', source: 'cards', description: 'A card was paused: authorisations are declined until it is resumed.' },
  { type: 'cards.card.resumed', source: 'cards', description: 'A paused card was resumed.' },
  { type: 'cards.card.closed', source: 'cards', description: 'A card was closed (for good), with its reason.' },
  { type: 'cards.card.reissued', source: 'cards', description: 'A lost or stolen card was replaced by a new card with the same controls.' },
  { type: 'cards.card.controls_changed', source: 'cards', description: "A card's spend controls changed." },
  { type: 'cards.card.fulfilment_changed', source: 'cards', description: "A physical card's fulfilment changed (shipped, delivered, returned)." },
  { type: 'cards.token.provisioned', source: 'cards', description: 'A network token was provisioned for a wallet on a device.' },
  { type: 'cards.token.suspended', source: 'cards', description: 'A network token was suspended.' },
  { type: 'cards.token.resumed', source: 'cards', description: 'A suspended network token was resumed.' },
  { type: 'cards.token.deleted', source: 'cards', description: 'A network token was deleted.' },
  { type: 'cards.authorization.approved', source: 'cards', description: 'An authorisation (or an incremental one) was approved: the amount is held.' },
  { type: 'cards.authorization.declined', source: 'cards', description: 'An authorisation was declined, with its ISO 8583 response code and reason.' },
  { type: 'cards.authorization.reversed', source: 'cards', description: 'An authorisation was reversed (in full or in part): the hold is released.' },
  { type: 'cards.authorization.expired', source: 'cards', description: "An authorisation's hold expired uncaptured: the hold is released." },
  { type: 'cards.transaction.captured', source: 'cards', description: 'Held money was captured (posted): a partial, multiple or final capture.' },
  { type: 'cards.transaction.refunded', source: 'cards', description: 'A merchant refunded money to the card.' },
  { type: 'cards.transaction.force_posted', source: 'cards', description: 'A capture arrived with no authorisation and was posted.' },
  { type: 'cards.challenge.created', source: 'cards', description: 'A 3-D Secure challenge was created for an online purchase and a one-time code sent to the cardholder (never in the event).' },
  { type: 'cards.challenge.verified', source: 'cards', description: 'The cardholder answered a 3-D Secure challenge with the right code.' },
  { type: 'cards.challenge.failed', source: 'cards', description: 'A 3-D Secure challenge failed: too many wrong codes, or expired unanswered (its reason).' },
  { type: 'kyc.application.submitted', source: 'kyc', description: "A customer's KYC application was submitted for checking." },
  { type: 'kyc.application.approved', source: 'kyc', description: 'A KYC application was approved (by the checks or an operator), with its reason codes.' },
  { type: 'kyc.application.denied', source: 'kyc', description: 'A KYC application was denied, with its reason codes (e.g. FACE_MISMATCH).' },
  { type: 'kyc.application.needs_documents', source: 'kyc', description: 'A KYC application needs documents again (missing or unreadable), with its reason codes.' },
  { type: 'kyc.application.manual_review', source: 'kyc', description: 'A KYC application went to manual review, with its reason codes.' },
  { type: 'kyc.review.decided', source: 'kyc', description: 'An operator approved or denied a KYC application in manual review, with the reason code.' },
  { type: 'kyc.level.changed', source: 'kyc', description: "A customer's KYC level rose (1: identity verified)." },
  { type: 'kyc.rescreen.hit', source: 'kyc', description: 'Rescreening an approved customer against a new sanctions or PEP list version found a possible match: a review item was opened (no names in the event).' },
  { type: 'identity.events.customer.identifiers', source: 'identity', description: "A customer's identifiers as blind indexes (for risk's graph).", internal: true },
  { type: 'risk.observed.movement', source: 'risk', description: 'A movement observed for the risk graph.', internal: true },
];

export type PatternRefusal = { reason: 'MALFORMED_EVENT_PATTERN' | 'UNKNOWN_EVENT_TYPE' | 'NO_MATCHING_EVENT_TYPE' | 'TOO_MANY_EVENT_PATTERNS'; pattern: string; message: string };

const TOKEN = /^[a-z0-9_]+$/;
export const MAX_PATTERN_LENGTH = 255;
export const MAX_PATTERN_TOKENS = 8;
export const MAX_PATTERNS = 50;

/** Whether `pattern` follows the grammar (says nothing about what it matches). */
export function isWellFormedPattern(pattern: string): boolean {
  if (pattern.length === 0 || pattern.length > MAX_PATTERN_LENGTH) return false;
  const tokens = pattern.split('.');
  if (tokens.length > MAX_PATTERN_TOKENS) return false;
  return tokens.every((t, i) => TOKEN.test(t) || t === '*' || (t === '>' && i === tokens.length - 1));
}

/** Whether a well-formed `pattern` matches the concrete `type` (no wildcards in `type`). */
export function patternMatches(pattern: string, type: string): boolean {
  const p = pattern.split('.');
  const t = type.split('.');
  for (let i = 0; i < p.length; i++) {
    const token = p[i]!;
    if (token === '>') return t.length > i;
    if (i >= t.length) return false;
    if (token !== '*' && token !== t[i]) return false;
  }
  return p.length === t.length;
}

/** A registry: the known types, with the subscribable ones in a set. Subgraphs extend the list. */
export type EventTypeRegistry = { all: readonly WebhookEventType[]; subscribable: ReadonlySet<string> };

export function createEventTypeRegistry(types: readonly WebhookEventType[] = WEBHOOK_EVENT_TYPES): EventTypeRegistry {
  const seen = new Set<string>();
  for (const t of types) {
    if (!isWellFormedPattern(t.type) || t.type.includes('*') || t.type.includes('>')) throw new TypeError(`event type ${t.type} is not a concrete dotted name`);
    if (seen.has(t.type)) throw new TypeError(`event type ${t.type} is listed twice`);
    seen.add(t.type);
  }
  return { all: types, subscribable: new Set(types.filter((t) => !t.internal).map((t) => t.type)) };
}

export const DEFAULT_EVENT_TYPE_REGISTRY = createEventTypeRegistry();

/** The subscribable types `pattern` selects, in registry order. */
export function typesMatching(pattern: string, registry: EventTypeRegistry = DEFAULT_EVENT_TYPE_REGISTRY): string[] {
  return registry.all.filter((t) => registry.subscribable.has(t.type) && patternMatches(pattern, t.type)).map((t) => t.type);
}

/** Why `pattern` cannot be stored on an endpoint, or null when it can. */
export function checkEventPattern(pattern: string, registry: EventTypeRegistry = DEFAULT_EVENT_TYPE_REGISTRY): PatternRefusal | null {
  if (!isWellFormedPattern(pattern)) {
    return { reason: 'MALFORMED_EVENT_PATTERN', pattern, message: `"${pattern.slice(0, 80)}" is not an event type pattern: dot-separated tokens of [a-z0-9_], "*" for one token, ">" last for the rest.` };
  }
  if (!pattern.includes('*') && !pattern.includes('>')) {
    return registry.subscribable.has(pattern) ? null : { reason: 'UNKNOWN_EVENT_TYPE', pattern, message: `${pattern} is not a known event type.` };
  }
  return typesMatching(pattern, registry).length > 0 ? null : { reason: 'NO_MATCHING_EVENT_TYPE', pattern, message: `${pattern} matches no known event type.` };
}

/** Every refusal among an endpoint's patterns (empty when all can be stored). An empty list is refused. */
export function checkEventPatterns(patterns: readonly string[], registry: EventTypeRegistry = DEFAULT_EVENT_TYPE_REGISTRY): PatternRefusal[] {
  if (patterns.length === 0) return [{ reason: 'NO_MATCHING_EVENT_TYPE', pattern: '', message: 'An endpoint needs at least one event type or pattern (">" for all).' }];
  if (patterns.length > MAX_PATTERNS) return [{ reason: 'TOO_MANY_EVENT_PATTERNS', pattern: '', message: `At most ${MAX_PATTERNS} event types or patterns.` }];
  return patterns.map((p) => checkEventPattern(p, registry)).filter((r): r is PatternRefusal => r !== null);
}

/** Whether an endpoint subscribed to `patterns` gets an event of `type` (never an internal or unknown type). */
export function endpointWants(patterns: readonly string[], type: string, registry: EventTypeRegistry = DEFAULT_EVENT_TYPE_REGISTRY): boolean {
  return registry.subscribable.has(type) && patterns.some((p) => isWellFormedPattern(p) && patternMatches(p, type));
}
