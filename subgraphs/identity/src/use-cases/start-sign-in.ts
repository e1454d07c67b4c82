import { createOrReplay, legacyRequestHash, requestFingerprint } from '@baas/idempotency';
import { maskEmail, maskPhone } from '@baas/pii';
import { destinationIndex } from '../domain/pii-contexts';
import { codeHash, linkTokenHash, newCode, newLinkToken } from '../domain/sign-in-secrets';
import { checkTenant } from '../domain/tenant-rules';
import { notificationContext, notificationSubject, type NotificationChannel, type NotificationPayload } from '../workers/notification-stream';
import type { SignInChallengeRow } from '../store/sign-in-challenge-store';
import type { IdentityDeps } from './deps';
import { limitSends } from './limit-sends';
import { parseStartSignInInput, type StartSignInInput, type StartSignInRequest } from './parse-start-sign-in-input';

/** What startSignIn needs. */
export type StartSignInDeps = Pick<IdentityDeps, 'stores' | 'sendCounters' | 'vault' | 'signIn' | 'logger' | 'clientAddress'>;

/** Blind-index context of callers' addresses (quotas without storing an IP address in clear). */
const REQUESTER_CONTEXT = 'identity.sign-in.requester';

/** The GraphQL SignInChallenge. */
export type SignInChallengeView = {
  id: string;
  channel: NotificationChannel;
  maskedDestination: string;
  expiresAt: string;
  attemptsLeft: number;
};

/** The challenge as the client sees it; identical whether or not a customer has the contact. */
function challengeView(row: SignInChallengeRow): SignInChallengeView {
  return {
    id: row.id,
    channel: row.channel as NotificationChannel,
    maskedDestination: row.maskedDestination,
    expiresAt: row.expiresAt.toISOString(),
    attemptsLeft: Math.max(0, row.maxAttempts - row.attempts),
  };
}

/**
 * Starts a passwordless sign-in: a 6-digit code (and, by e-mail on request, a magic link) for the
 * ACTIVE customer of the tenant who registered this contact. Anonymous: the caller has no token yet.
 *
 * - Idempotent by `input.id`: the same request again returns the same challenge and sends nothing;
 *   another request under the same id is IDEMPOTENCY_KEY_REUSED.
 * - The tenant must exist (NOT_FOUND) and be ACTIVE (TENANT_SUSPENDED); nothing is written otherwise.
 * - Sends follow limitSends: RATE_LIMITED per caller (per destination and overall), never because of
 *   someone else's requests; past the destination's cap no new code is sent and the challenge
 *   accepts the last code delivered there (its `codeOf`), so the owner can still sign in.
 * - No enumeration: without such a customer a challenge is still stored (customerId null, random
 *   code and link hashes that nothing was sent for) and the answer has the same shape, but no
 *   notification is written and no code can ever succeed on it.
 * - The notification (clear destination, code, link) goes into the outbox, sealed with the vault,
 *   in the same transaction as the challenge; only hashes of the code and token are stored.
 */
export async function startSignIn(deps: StartSignInDeps, input: StartSignInInput): Promise<SignInChallengeView> {
  const req = parseStartSignInInput(input);
  const index = destinationIndex(deps.vault, req);
  // Over the blind index rather than the clear destination: an unkeyed hash of a phone number is
  // reversible by trying every number.
  const hash = requestFingerprint('sign-in/v1', { tenantId: req.tenantId, channel: req.channel, destinationIndex: index, magicLink: req.magicLink });

  checkTenant(await deps.stores.tenants.find(req.tenantId), { active: true });
  const { row } = await createOrReplay({
    hash,
    // Rows written before @baas/idempotency.
    acceptedHashes: [legacyRequestHash(['sign-in/v1', req.tenantId, req.channel, index, req.magicLink])],
    storedHash: (row: SignInChallengeRow) => row.requestHash,
    scope: (row) => row.tenantId === req.tenantId,
    find: () => deps.stores.challenges.find(req.id),
    insert: () => createChallenge(deps, req, index, hash),
  });
  return challengeView(row);
}

/** A new challenge (its send decided by limitSends) and, when a code goes out, its notification in the same transaction. */
async function createChallenge(deps: StartSignInDeps, req: StartSignInRequest, index: string, requestHash: string): Promise<SignInChallengeRow> {
  const { signIn: config, stores } = deps;
  const requesterIndex = deps.vault.blindIndex(deps.clientAddress || 'unknown', REQUESTER_CONTEXT);
  const sendQuota = config.OTP_SENDS_PER_WINDOW;
  const decision = await limitSends(
    deps,
    {
      perDestinationAndAddress: sendQuota,
      perAddress: config.OTP_SENDS_PER_ADDRESS_PER_WINDOW ?? sendQuota * 6,
      perDestination: config.OTP_DELIVERIES_PER_DESTINATION_PER_WINDOW ?? sendQuota * 2,
      windowSeconds: config.OTP_SEND_WINDOW_SECONDS,
    },
    { tenantId: req.tenantId, destinationIndex: index, requesterIndex },
  );

  const customerId = await customerWithContact(deps, req.tenantId, req.channel, index);
  // Past the destination's cap: no new code; this challenge takes the last code delivered (still
  // live) instead. With none live, a code is sent after all (at most one per code lifetime).
  const heldFor = decision === 'HOLD' && customerId ? await stores.challenges.lastLiveDelivery(req.tenantId, index, customerId) : null;
  const code = newCode();
  const linkToken = req.magicLink && !heldFor ? newLinkToken() : null;
  // The same lifetime either way, so a held challenge cannot tell a customer's contact from a stranger's:
  // the code it takes stops working with its own challenge anyway (finishSignIn checks that one).
  const expiresAt = new Date(Date.now() + config.OTP_TTL_SECONDS * 1000);
  const outbox = customerId && !heldFor ? outboxRow(deps, req, { code, linkToken, expiresAt }) : null;

  const row = await stores.transaction(async (tx) => {
    const created = await tx.challenges.insert({
      id: req.id,
      tenantId: req.tenantId,
      customerId,
      channel: req.channel,
      destinationIndex: index,
      maskedDestination: req.channel === 'EMAIL' ? maskEmail(req.destination) : maskPhone(req.destination),
      codeHash: codeHash(deps.vault, req.id, code),
      linkTokenHash: linkToken ? linkTokenHash(linkToken) : null,
      maxAttempts: config.OTP_MAX_ATTEMPTS,
      expiresAt,
      requestHash,
      requesterIndex,
      delivered: outbox !== null,
      codeOf: heldFor?.id ?? null,
    });
    if (outbox) await tx.outbox.insert(outbox);
    return created;
  });
  // Whether a customer matched stays out of the logs' message, but operators may need it.
  deps.logger?.info({ challengeId: row.id, tenantId: row.tenantId, channel: row.channel, delivered: outbox !== null, held: heldFor !== null }, 'sign-in challenge created');
  return row;
}

/**
 * The ACTIVE customer of the tenant whose e-mail / phone blind index is `index`, or null. When
 * several share the contact (a person and their company, say), the oldest one signs in.
 */
async function customerWithContact(deps: StartSignInDeps, tenantId: string, channel: NotificationChannel, index: string): Promise<string | null> {
  const matches = await deps.stores.customers.activeWithContact(tenantId, channel, index, 2);
  if (matches.length > 1) deps.logger?.warn({ tenantId, channel, customerId: matches[0]!.id }, 'several active customers share this sign-in contact; the oldest signs in');
  return matches[0]?.id ?? null;
}

function outboxRow(deps: StartSignInDeps, req: StartSignInRequest, secret: { code: string; linkToken: string | null; expiresAt: Date }) {
  const payload: NotificationPayload = {
    template: 'sign-in',
    channel: req.channel,
    to: req.destination,
    tenantId: req.tenantId,
    challengeId: req.id,
    code: secret.code,
    ...(secret.linkToken ? { link: magicLink(deps.signIn.MAGIC_LINK_URL, secret.linkToken) } : {}),
    expiresAt: secret.expiresAt.toISOString(),
  };
  return {
    tenantId: req.tenantId,
    subject: notificationSubject(req.channel, req.tenantId),
    payloadSealed: deps.vault.encrypt(JSON.stringify(payload), notificationContext(req.tenantId)),
  };
}

/** MAGIC_LINK_URL with `token` set (any query the URL already has is kept). */
function magicLink(base: string, token: string): string {
  const url = new URL(base);
  url.searchParams.set('token', token);
  return url.toString();
}
