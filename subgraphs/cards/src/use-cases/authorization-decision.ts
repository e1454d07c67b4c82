import type { DecisionAnswer } from '../clients/decision/client';
import type { NewAuthorization } from '../store/authorization-store';
import type { AuthorizingCard, CardSettingsRow } from '../store/card-lookup-store';
import { decisionSecretContext } from '../store/pan-index';
import type { NetworkDeps } from './network-message-deps';

export type TenantAnswer = { readonly decision: DecisionAnswer; readonly decidedBy: 'ISSUER' | 'TENANT' | 'STAND_IN' };

export { decisionSecretContext };

/**
 * Asks the tenant's decision webhook, when it has one, and waits at most its deadline
 * (decisionTimeoutMs): no answer in time, an error or an unusable answer gets the tenant's stand-in rule
 * (APPROVE or DECLINE). The deadline is kept here whatever the port does (a port that hangs included).
 */
export async function askTenant(deps: Pick<NetworkDeps, 'decision' | 'vault' | 'logger'>, settings: CardSettingsRow | null, card: Pick<AuthorizingCard, 'id' | 'tenantId' | 'customerId' | 'last4'>, claim: NewAuthorization, authorizationId: string): Promise<TenantAnswer> {
  if (!settings?.decisionUrl || !deps.decision) return { decision: 'APPROVE', decidedBy: 'ISSUER' };
  const standIn: TenantAnswer = { decision: settings.standIn === 'APPROVE' ? 'APPROVE' : 'DECLINE', decidedBy: 'STAND_IN' };
  const timeoutMs = settings.decisionTimeoutMs;
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<TenantAnswer>((resolve) => {
    timer = setTimeout(() => {
      controller.abort();
      resolve(standIn);
    }, timeoutMs);
  });
  try {
    const secret = settings.decisionSecret ? deps.vault.decrypt(settings.decisionSecret, decisionSecretContext(card.tenantId)) : null;
    const asked = deps
      .decision(
        { url: settings.decisionUrl, secret, timeoutMs },
        {
          authorizationId, tenantId: card.tenantId, customerId: card.customerId, cardId: card.id, last4: card.last4, amount: claim.amount.toString(), currency: claim.currency,
          mcc: claim.mcc, merchant: claim.merchant, channel: claim.channel, kind: claim.kind,
        },
        controller.signal,
      )
      .then((decision): TenantAnswer => ({ decision, decidedBy: 'TENANT' }));
    const answer = await Promise.race([asked, deadline]);
    asked.catch(() => undefined);
    if (answer.decidedBy === 'STAND_IN') deps.logger?.warn({ authorizationId, tenantId: card.tenantId, timeoutMs }, 'the tenant decision webhook did not answer in time: stand-in');
    return answer;
  } catch (error) {
    deps.logger?.warn({ authorizationId, tenantId: card.tenantId, err: error instanceof Error ? error.message.slice(0, 200) : 'unknown' }, 'the tenant decision webhook failed: stand-in');
    return standIn;
  } finally {
    clearTimeout(timer);
  }
}
