import { normalizeEmail, normalizePhoneE164 } from '@baas/br-documents';
import { badInput } from '@baas/errors';
import { isUuid } from '@baas/server';
import type { NotificationChannel } from '../workers/notification-stream';
import { tenantNotFound } from '../domain/tenant-rules';

/** startSignIn's input as the client sends it (the GraphQL StartSignInInput). */
export type StartSignInInput = {
  id: string;
  tenantId: string;
  channel: NotificationChannel;
  destination: string;
  magicLink?: boolean | null;
};

/** A validated request: lower-case ids and the destination normalised for its channel. */
export type StartSignInRequest = {
  id: string;
  tenantId: string;
  channel: NotificationChannel;
  /** E-mail (normalizeEmail) for EMAIL, E.164 (normalizePhoneE164, Brazil by default) for SMS. */
  destination: string;
  magicLink: boolean;
};

/** Validates and normalises startSignIn's input; BAD_USER_INPUT naming the field otherwise. */
export function parseStartSignInInput(input: StartSignInInput): StartSignInRequest {
  if (typeof input.id !== 'string' || !isUuid(input.id)) throw badInput('id must be a UUID.', { field: 'id' });
  // Like every identity entry point: a tenant id that cannot exist is an unknown tenant.
  if (typeof input.tenantId !== 'string' || !isUuid(input.tenantId)) throw tenantNotFound();
  if (input.channel !== 'EMAIL' && input.channel !== 'SMS') throw badInput('channel must be EMAIL or SMS.', { field: 'channel' });
  const raw = typeof input.destination === 'string' ? input.destination : '';
  const destination = input.channel === 'EMAIL' ? normalizeEmail(raw) : normalizePhoneE164(raw);
  if (!destination) {
    throw badInput(input.channel === 'EMAIL' ? 'destination is not a valid e-mail address.' : 'destination is not a valid phone number (E.164 or Brazilian).', {
      field: 'destination',
    });
  }
  const magicLink = input.magicLink === true;
  if (magicLink && input.channel !== 'EMAIL') throw badInput('A magic link can only be sent by e-mail.', { field: 'magicLink' });
  return { id: input.id.toLowerCase(), tenantId: input.tenantId.toLowerCase(), channel: input.channel, destination, magicLink };
}
