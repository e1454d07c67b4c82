/**
 * The KYC application lifecycle as a transition table (pure, no I/O):
 *
 *   DRAFT -> SUBMITTED -> PROCESSING -> APPROVED | DENIED | NEEDS_DOCUMENTS | MANUAL_REVIEW
 *   NEEDS_DOCUMENTS -> PROCESSING (a new document arrived)
 *   MANUAL_REVIEW -> APPROVED | DENIED (an operator's decision)
 *
 * APPROVED and DENIED are final. Documents may be added while DRAFT (it stays DRAFT) or
 * NEEDS_DOCUMENTS (it goes back to PROCESSING); nowhere else.
 */

export const APPLICATION_STATES = ['DRAFT', 'SUBMITTED', 'PROCESSING', 'APPROVED', 'DENIED', 'NEEDS_DOCUMENTS', 'MANUAL_REVIEW'] as const;
export type ApplicationState = (typeof APPLICATION_STATES)[number];

export const APPLICATION_EVENTS = ['ADD_DOCUMENT', 'SUBMIT', 'START_PROCESSING', 'APPROVE', 'DENY', 'REQUEST_DOCUMENTS', 'REFER', 'OPERATOR_APPROVE', 'OPERATOR_DENY'] as const;
export type ApplicationEvent = (typeof APPLICATION_EVENTS)[number];

/** The next state for each (state, event); a missing pair is an illegal transition. */
export const APPLICATION_TRANSITIONS: Readonly<Record<ApplicationState, Partial<Record<ApplicationEvent, ApplicationState>>>> = Object.freeze({
  DRAFT: { ADD_DOCUMENT: 'DRAFT', SUBMIT: 'SUBMITTED' },
  SUBMITTED: { START_PROCESSING: 'PROCESSING' },
  PROCESSING: { APPROVE: 'APPROVED', DENY: 'DENIED', REQUEST_DOCUMENTS: 'NEEDS_DOCUMENTS', REFER: 'MANUAL_REVIEW' },
  NEEDS_DOCUMENTS: { ADD_DOCUMENT: 'PROCESSING' },
  MANUAL_REVIEW: { OPERATOR_APPROVE: 'APPROVED', OPERATOR_DENY: 'DENIED' },
  APPROVED: {},
  DENIED: {},
});

export type ApplicationTransition = { ok: true; state: ApplicationState } | { ok: false; reason: 'KYC_INVALID_TRANSITION'; from: ApplicationState; event: ApplicationEvent };

/** Applies `event` to an application in `state`, or says it is illegal. */
export function transitionApplication(state: ApplicationState, event: ApplicationEvent): ApplicationTransition {
  const row = Object.hasOwn(APPLICATION_TRANSITIONS, state) ? APPLICATION_TRANSITIONS[state] : undefined;
  const next = row && Object.hasOwn(row, event) ? row[event] : undefined;
  return next === undefined ? { ok: false, reason: 'KYC_INVALID_TRANSITION', from: state, event } : { ok: true, state: next };
}

/** States no event leaves. */
export function isFinalState(state: ApplicationState): boolean {
  return Object.keys(APPLICATION_TRANSITIONS[state]).length === 0;
}

/** States the processor works on: SUBMITTED (first run) and PROCESSING (a run that crashed or a new document). */
export const PROCESSABLE_STATES: readonly ApplicationState[] = ['SUBMITTED', 'PROCESSING'];

/** States in which documents may be uploaded (and upload tokens asked for). */
export function acceptsDocuments(state: ApplicationState): boolean {
  return transitionApplication(state, 'ADD_DOCUMENT').ok;
}
