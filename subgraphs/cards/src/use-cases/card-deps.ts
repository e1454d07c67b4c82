import { randomUUID } from 'node:crypto';
import type { Identity } from '@baas/auth';
import type { UrlPolicy } from '@baas/webhooks';
import type { ChallengeStore } from '../store/challenge-store';
import type { NetworkDeps } from './network-message-deps';
import type { AuditLog } from '@baas/audit';
import { badInput } from '@baas/errors';
import { derivedUuid, isUuid } from '@baas/server';
import type { PiiVault } from '@baas/pii';
import type { CardAccount } from '../clients/accounts/client';
import { formatSpendControls, parseSpendControls } from '../domain/parse-spend-controls';
import { withinBounds, type SpendControls } from '../domain/spend-controls';
import type { CardEvent } from '../store/card-events';
import type { CardRow, CardStore } from '../store/card-store';
import type { CardSettingsStore } from '../store/card-settings-store';
import type { NetworkTokenStore } from '../store/network-token-store';
import type { VaultStore } from '../store/vault-store';

/** What every card use case needs; built once by the composition root (audit comes from the request). */
/** A 3-D Secure code to deliver to a cardholder. Holds the clear code: never log it. */
export type ChallengeCodeNotification = {
  tenantId: string;
  customerId: string;
  challengeId: string;
  code: string;
  expiresAt: Date;
  /** What the cardholder is shown beside the code: the card's last4, the merchant and the amount. */
  last4: string;
  merchant: string;
  amount: bigint;
  currency: string;
};

/** Delivers challenge codes (the platform's one-time code path: identity's notification stream). */
export type ChallengeCodeSender = { send(n: ChallengeCodeNotification): Promise<void> };

export type CardDeps = {
  cards: CardStore;
  vault: VaultStore;
  settings: CardSettingsStore;
  tokens: NetworkTokenStore;
  /** The accounts subgraph (clients/accounts): an account's owner, tenant, currency, status and ledger account. */
  accounts: { account(id: string): Promise<CardAccount | null> };
  /** Seals PANs (context card.pan:<cardId>) and makes their blind indexes. */
  pii: PiiVault;
  /** The CVV key (CARD_CVV_KEY). */
  cvvKey: Uint8Array;
  settingsOf: {
    bin: string;
    tokenBin: string;
    brand: string;
    validityYears: number;
    /** How fresh a passkey confirmation must be to reveal, when the tenant's policy names no CARD_PAN_REVEAL rule. */
    revealStepUpSeconds: number;
    /** SANDBOX: sandbox mutations allowed in this deployment. */
    sandbox: boolean;
  };
  /** The authorisation engine's deps (the network simulator sends its messages through them). */
  network?: NetworkDeps;
  /** 3-D Secure: the challenges, the key their codes are hashed under, and how codes reach the cardholder (challenge-deps.ts). */
  challenges?: ChallengeStore;
  codeKey?: Uint8Array;
  codes?: ChallengeCodeSender;
  /** The URL rules a tenant's decision webhook must pass (@baas/webhooks; http and loopback only in development). */
  decisionUrlPolicy?: UrlPolicy;
  /** Whether the tenant is a sandbox tenant (identity). */
  tenantSandbox(tenantId: string): Promise<boolean>;
  audit: Pick<AuditLog, 'record'> | null;
  now?: () => Date;
};

/** True for a UUID (any version): @baas/server's check, as a type guard for unknown input. */
export const isUuidText = (value: unknown): value is string => typeof value === 'string' && isUuid(value);

/** BAD_USER_INPUT (field, reason NOT_A_UUID) unless `value` is a UUID; the lower-case UUID. */
export function requireUuid(value: string, field: string): string {
  if (!isUuidText(value)) throw badInput(`${field} must be a UUID.`, { field, reason: 'NOT_A_UUID' });
  return value.toLowerCase();
}

/** A UUID derived from `parts` (@baas/server derivedUuid): the same parts give the same id (replacement cards, event ids). */
export const derivedId = (...parts: string[]): string => derivedUuid(parts.join('\u0000'));

/** Controls as a client sent them, validated (BAD_USER_INPUT with details.field and details.reason). */
export function parseControlsInput(input: unknown, field = 'controls'): SpendControls {
  const parsed = parseSpendControls(input ?? {});
  if (!parsed.ok) throw badInput(parsed.message, { field: parsed.field === 'controls' ? field : `${field}.${parsed.field}`, reason: parsed.reason });
  return parsed.controls;
}

/** BAD_USER_INPUT (reason OUTSIDE_TENANT_BOUNDS, details.refusals) when the card's controls loosen the tenant's. */
export function requireWithinBounds(controls: SpendControls, bounds: SpendControls, field = 'controls'): void {
  const refusals = withinBounds(controls, bounds);
  if (refusals.length === 0) return;
  throw badInput("The controls reach outside the tenant's bounds.", {
    field: `${field}.${refusals[0]!.field}`,
    reason: 'OUTSIDE_TENANT_BOUNDS',
    refusals: refusals.map((r) => ({ field: r.field, reason: r.reason, ...(r.values ? { values: r.values } : {}) })),
  });
}

/** Controls as stored (JSON, amounts as decimal strings). */
export const controlsJson = (controls: SpendControls): string => JSON.stringify(formatSpendControls(controls));

/** Stored controls read back; a row that does not parse (it never should) is taken as no controls. */
export function readControls(json: string): SpendControls {
  try {
    const parsed = parseSpendControls(JSON.parse(json));
    return parsed.ok ? parsed.controls : {};
  } catch {
    return {};
  }
}

/** A cards.card.* event: who, which card, its state, and only its last4 and expiry (never the PAN). */
export function cardEvent(subject: string, card: CardRow, extra: Record<string, unknown> = {}, eventId: string = randomUUID()): CardEvent {
  return {
    eventId,
    subject,
    data: {
      cardId: card.id,
      tenantId: card.tenantId,
      customerId: card.customerId,
      accountId: card.accountId,
      form: card.form,
      state: card.state,
      last4: card.last4,
      expiry: card.expiry,
      ...extra,
    },
  };
}

/** The audit actor for an identity. */
export const auditActor = (who: Identity) => ({ kind: who.kind, subject: who.subject, tenantId: who.tenantId });
