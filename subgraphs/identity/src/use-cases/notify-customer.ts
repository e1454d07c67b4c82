import { uuidv7 } from '@baas/db';
import type { PiiVault } from '@baas/pii';
import type { PrismaClient } from '../generated/prisma/client';
import { piiContext } from '../services/create-customer';
import { notificationContext, notificationSubject, type AccountNotice, type AccountNoticeTemplate, type NotificationChannel } from '../sign-in/notification-stream';

type Tx = Pick<PrismaClient, 'customer' | 'notificationOutbox'>;

/**
 * Writes a security notice (a passkey added or removed, a recovery asked for or cancelled) to every
 * verified channel of the customer (e-mail and phone), through the notification outbox, in the
 * caller's transaction: the notice leaves if and only if the change is stored. Returns how many
 * notices were written.
 */
export async function notifyCustomer(
  tx: Tx,
  vault: PiiVault,
  notice: { customerId: string; template: AccountNoticeTemplate; details?: Record<string, string> },
): Promise<number> {
  const customer = await tx.customer.findUnique({ where: { id: notice.customerId }, select: { id: true, tenantId: true, emailSealed: true, phoneSealed: true } });
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
    await tx.notificationOutbox.create({
      data: {
        id: uuidv7(),
        tenantId: customer.tenantId,
        subject: notificationSubject(channel, customer.tenantId),
        payloadSealed: vault.encrypt(JSON.stringify(payload), notificationContext(customer.tenantId)),
      },
    });
    written++;
  }
  return written;
}
