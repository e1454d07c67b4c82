import { badInput, DomainError } from '@baas/errors';

/**
 * The life of a risk alert (pure). A scan raises it OPEN; people move it:
 *
 *   OPEN ──> INVESTIGATING ──> CONFIRMED_FRAUD
 *     │            └─────────> DISMISSED
 *     └──────────────────────> DISMISSED
 *
 * OPEN -> DISMISSED is allowed (an obvious false positive is closed at triage without opening an
 * investigation); OPEN -> CONFIRMED_FRAUD is not: confirming fraud marks the graph and changes how
 * every future movement of the subjects scores, so it needs an investigation first. CONFIRMED_FRAUD
 * and DISMISSED are final. Moving to the status an alert already has is not a move either. A move
 * not allowed is CONFLICT with details.reason INVALID_STATE_TRANSITION (nothing is written).
 */
export const ALERT_STATUSES = ['OPEN', 'INVESTIGATING', 'CONFIRMED_FRAUD', 'DISMISSED'] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];

export const ALERT_TRANSITIONS: Readonly<Record<AlertStatus, readonly AlertStatus[]>> = {
  OPEN: ['INVESTIGATING', 'DISMISSED'],
  INVESTIGATING: ['CONFIRMED_FRAUD', 'DISMISSED'],
  CONFIRMED_FRAUD: [],
  DISMISSED: [],
};

/** The reason (details.reason of a CONFLICT) of a move the lifecycle does not allow. */
export const INVALID_STATE_TRANSITION = 'INVALID_STATE_TRANSITION';

/** Longest note kept with a status change. */
export const MAX_ALERT_NOTE = 1000;

export function isAlertStatus(value: unknown): value is AlertStatus {
  return typeof value === 'string' && (ALERT_STATUSES as readonly string[]).includes(value);
}

export function canMoveAlert(from: AlertStatus, to: AlertStatus): boolean {
  return ALERT_TRANSITIONS[from].includes(to);
}

export function isFinalAlertStatus(status: AlertStatus): boolean {
  return ALERT_TRANSITIONS[status].length === 0;
}

/** Throws CONFLICT (INVALID_STATE_TRANSITION, with from, to and the moves allowed) unless `from -> to` is allowed. */
export function assertAlertTransition(from: AlertStatus, to: AlertStatus): void {
  if (!canMoveAlert(from, to)) {
    throw new DomainError('CONFLICT', `An alert cannot move from ${from} to ${to}.`, {
      reason: INVALID_STATE_TRANSITION,
      from,
      to,
      allowed: [...ALERT_TRANSITIONS[from]],
    });
  }
}

/** The note as kept: trimmed, empty as null, at most MAX_ALERT_NOTE characters (longer is BAD_USER_INPUT). */
export function normalizeAlertNote(note: string | null | undefined): string | null {
  if (note === null || note === undefined) return null;
  const trimmed = note.trim();
  if (trimmed.length > MAX_ALERT_NOTE) throw badInput(`note must be at most ${MAX_ALERT_NOTE} characters.`, { field: 'note', limit: MAX_ALERT_NOTE });
  return trimmed === '' ? null : trimmed;
}

/** What a confirmed fraud marks in the graph: accounts for payment patterns, customers otherwise. */
export function confirmedFraudSubjects(kind: string, subjectIds: readonly string[]): { customerIds: string[]; accountIds: string[] } {
  const accounts = kind === 'CYCLE' || kind === 'MULE';
  return { customerIds: accounts ? [] : [...subjectIds], accountIds: accounts ? [...subjectIds] : [] };
}
