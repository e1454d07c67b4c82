import type { PiiVault } from '@baas/pii';
import { piiContext } from '../domain/pii-contexts';
import { notificationContext, notificationSubject, type AccountNotice, type AccountNoticeTemplate, type NotificationChannel } from '../workers/notification-stream';
import type { IdentityTxStores } from '../store/identity-stores';

/**
 * Writes a security notice (a passkey added or removed, a recovery asked for or cancelled) to every
 * verified channel of the customer (e-mail and phone), through the notification outbox, in the
 * caller's transaction (`tx`, the stores over it): the notice leaves if and only if the change is
 * stored. Returns how many notices were written.
 */
export async function notifyCustomer(
  tx: Pick<IdentityTxStores, 'customers' | 'outbox'>,
  vault: PiiVault,
  notice: { customerId: string; template: AccountNoticeTemplate; details?: Record<string, string> },
): Promise<number> {
  const customer = await tx.customers.find(notice.customerId);
  if (!customer) return 0;
  const channels: [NotificationChannel, string | null, 'email' | 'phone'][] = [
    ['EMAIL', customer.emailSealed, 'email'],
    ['SMS', customer.phoneSealed, 'phone'],
  ];
  const at = new Date().toISOString();
  let written = 0;
  for (const [channel, sealed, field] of channels) {
    if (!sealed) continue;
    const payload: AccountNotice = {
      template: notice.template,
      channel,
      to: vault.decrypt(sealed, piiContext(field, customer.tenantId)),
      tenantId: customer.tenantId,
      customerId: customer.id,
      at,
      details: notice.details ?? {},
    };
    await tx.outbox.insert({
      tenantId: customer.tenantId,
      subject: notificationSubject(channel, customer.tenantId),
      payloadSealed: vault.encrypt(JSON.stringify(payload), notificationContext(customer.tenantId)),
    });
    written++;
  }
  return written;
}
