import type { Identity } from '@baas/auth';
import { actingTenant } from '@baas/authz';
import { badInput, forbidden } from '@baas/errors';
import { mayManageTenantCards } from '../permissions';
import type { TenantCardSettingsChange, TenantCardSettingsRow } from '../store/card-settings-store';
import { controlsJson, parseControlsInput, requireUuid, type CardDeps } from './card-deps';

export type TenantCardSettingsInput = {
  tenantId?: string | null;
  controls?: unknown;
  decisionUrl?: string | null;
  decisionTimeoutMs?: number | null;
  standIn?: string | null;
};

export const DECISION_TIMEOUT_MS = { min: 50, max: 10_000 } as const;

function parseDecisionUrl(raw: string): string | null {
  if (raw === '') return null;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw badInput('decisionUrl is an http(s) URL.', { field: 'decisionUrl', reason: 'MALFORMED_URL' });
  }
  if ((parsed.protocol !== 'https:' && parsed.protocol !== 'http:') || raw.length > 2048 || parsed.username || parsed.password) {
    throw badInput('decisionUrl is an http(s) URL without credentials.', { field: 'decisionUrl', reason: 'MALFORMED_URL' });
  }
  return parsed.toString();
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
 * decision webhook ('' removes it), its timeout (50..10000 ms) and stand-in (APPROVE | DECLINE).
 * Fields left out keep their value; every field is checked before anything is written. Setting
 * the same values again is harmless.
 */
export async function setTenantCardSettings(deps: CardDeps, who: Identity, input: TenantCardSettingsInput): Promise<TenantCardSettingsRow> {
  const tenantId = settingsTenant(who, input.tenantId);
  if (!mayManageTenantCards(who, tenantId)) throw forbidden();
  const change: TenantCardSettingsChange = {};
  if (input.controls != null) change.controls = controlsJson(parseControlsInput(input.controls));
  if (input.decisionUrl != null) change.decisionUrl = parseDecisionUrl(input.decisionUrl);
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
  return deps.settings.upsert(tenantId, change);
}
