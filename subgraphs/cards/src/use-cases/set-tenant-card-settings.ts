import type { Identity } from '@baas/auth';
import { actingTenant } from '@baas/authz';
import { badInput, forbidden } from '@baas/errors';
import { checkEndpointUrl, generateSigningSecret, urlInputError, type UrlPolicy } from '@baas/webhooks';
import { mayManageTenantCards } from '../permissions';
import type { TenantCardSettingsChange, TenantCardSettingsRow } from '../store/card-settings-store';
import { decisionSecretContext } from '../store/pan-index';
import { controlsJson, parseControlsInput, requireUuid, type CardDeps } from './card-deps';

export type TenantCardSettingsInput = {
  tenantId?: string | null;
  controls?: unknown;
  decisionUrl?: string | null;
  decisionTimeoutMs?: number | null;
  standIn?: string | null;
  requireThreeDsAbove?: string | null;
};

export const DECISION_TIMEOUT_MS = { min: 50, max: 10_000 } as const;

/**
 * The decision URL as every outbound call to a tenant is checked (@baas/webhooks: https only and no
 * private, loopback or link-local address in production, after DNS resolution); '' removes it.
 */
async function parseDecisionUrl(raw: string, policy: UrlPolicy | undefined): Promise<string | null> {
  if (raw.trim() === '') return null;
  const checked = await checkEndpointUrl(raw.trim(), policy);
  if (!checked.ok) throw urlInputError(checked, 'decisionUrl');
  return checked.url.toString();
}

/** The tenant a settings call acts on: a client's own; an operator must name one. */
export function settingsTenant(who: Identity, named: string | null | undefined): string {
  const tenantId = actingTenant(who, named == null ? named : requireUuid(named, 'tenantId'));
  if (!tenantId) throw badInput('Name the tenant.', { field: 'tenantId', reason: 'REQUIRED' });
  return tenantId;
}

/**
 * Sets a tenant's card settings (its client with cards:write, or an operator naming the tenant;
 * FORBIDDEN otherwise): the bounds its cards' controls must stay within (replaced when given), the
 * decision webhook ('' removes it; a new URL gets a new signing secret, in the answer only), its timeout (50..10000 ms) and stand-in (APPROVE | DECLINE).
 * Fields left out keep their value; every field is checked before anything is written. Setting
 * the same values again is harmless.
 */
export async function setTenantCardSettings(deps: CardDeps, who: Identity, input: TenantCardSettingsInput): Promise<TenantCardSettingsRow & { newDecisionSecret?: string }> {
  const tenantId = settingsTenant(who, input.tenantId);
  if (!mayManageTenantCards(who, tenantId)) throw forbidden();
  const change: TenantCardSettingsChange = {};
  if (input.controls != null) change.controls = controlsJson(parseControlsInput(input.controls));
  if (input.decisionUrl != null) change.decisionUrl = await parseDecisionUrl(input.decisionUrl, deps.decisionUrlPolicy);
  if (input.decisionTimeoutMs != null) {
    const ms = input.decisionTimeoutMs;
    if (!Number.isInteger(ms) || ms < DECISION_TIMEOUT_MS.min || ms > DECISION_TIMEOUT_MS.max) {
      throw badInput(`decisionTimeoutMs is ${DECISION_TIMEOUT_MS.min} to ${DECISION_TIMEOUT_MS.max}.`, { field: 'decisionTimeoutMs', reason: 'OUT_OF_RANGE' });
    }
    change.decisionTimeoutMs = ms;
  }
  if (input.standIn != null) {
    if (input.standIn !== 'APPROVE' && input.standIn !== 'DECLINE') throw badInput('standIn is APPROVE or DECLINE.', { field: 'standIn', reason: 'UNKNOWN_STAND_IN' });
    change.standIn = input.standIn;
  }
  if (input.requireThreeDsAbove != null) {
    const raw = input.requireThreeDsAbove.trim();
    if (raw !== '' && !/^(0|[1-9]\d{0,17})$/.test(raw)) throw badInput('requireThreeDsAbove is a whole number of minor units.', { field: 'requireThreeDsAbove', reason: 'MALFORMED_AMOUNT' });
    change.requireThreeDsAbove = raw === '' ? null : BigInt(raw);
  }
  // A new decision URL gets a new signing secret (Standard Webhooks, sealed), answered this once;
  // removing the URL removes its secret.
  let decisionSecret: string | null = null;
  if (change.decisionUrl === null) change.decisionSecret = null;
  else if (change.decisionUrl !== undefined && change.decisionUrl !== (await deps.settings.get(tenantId)).decisionUrl) {
    decisionSecret = generateSigningSecret();
    change.decisionSecret = deps.pii.encrypt(decisionSecret, decisionSecretContext(tenantId));
  }
  const row = await deps.settings.upsert(tenantId, change);
  return decisionSecret ? { ...row, newDecisionSecret: decisionSecret } : row;
}
