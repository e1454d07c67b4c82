/**
 * Subject names, stream and bucket of the rail protocol. Every name derives from a namespace
 * ('rails' in production); tests pass their own namespace so that they never meet another process.
 */

export const DEFAULT_RAIL_NAMESPACE = 'rails';
export const RAILS_EVENTS_STREAM = 'RAILS_EVENTS';
export const SANDBOX_BANK_BUCKET = 'SANDBOX_BANK';
/** The stream's duplicate window: a publish retried with the same event id within it is stored once. */
export const RAILS_EVENTS_DUPLICATE_WINDOW_MS = 2 * 60_000;

export const RAIL_EVENT_TYPES = ['settled', 'rejected', 'returned', 'incoming'] as const;
export type RailEventType = (typeof RAIL_EVENT_TYPES)[number];

export type RailSubjects = {
  submit: string;
  inquire: string;
  simulateIncoming: string;
  simulateReturn: string;
  /** Wildcard of every event subject (the stream's subject filter). */
  events: string;
  event: Record<RailEventType, string>;
};

/** The subjects of namespace `ns`: `${ns}.submit`, `${ns}.inquire`, `${ns}.sandbox.*`, `${ns}.events.*`. */
export function railSubjects(ns: string = DEFAULT_RAIL_NAMESPACE): RailSubjects {
  if (!/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/.test(ns)) throw new TypeError('rail namespace must be dot-separated tokens of [A-Za-z0-9_-]');
  return {
    submit: `${ns}.submit`,
    inquire: `${ns}.inquire`,
    simulateIncoming: `${ns}.sandbox.incoming`,
    simulateReturn: `${ns}.sandbox.return`,
    events: `${ns}.events.>`,
    event: {
      settled: `${ns}.events.settled`,
      rejected: `${ns}.events.rejected`,
      returned: `${ns}.events.returned`,
      incoming: `${ns}.events.incoming`,
    },
  };
}

/** The production subjects (namespace 'rails'). */
export const RAIL_SUBJECTS: RailSubjects = railSubjects();

/** The event stream definition both sides pass to @baas/events' ensureStream (same definition, no tug of war). */
export function railsEventsStream(
  ns: string = DEFAULT_RAIL_NAMESPACE,
  name: string = RAILS_EVENTS_STREAM,
): { name: string; subjects: string[]; duplicateWindowMs: number } {
  return { name, subjects: [railSubjects(ns).events], duplicateWindowMs: RAILS_EVENTS_DUPLICATE_WINDOW_MS };
}
