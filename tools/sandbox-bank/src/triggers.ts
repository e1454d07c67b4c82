/**
 * Deterministic test triggers a payment's remittance information may carry (see README):
 * `[sandbox:reject=CODE]`, `[sandbox:refuse=CODE]`, `[sandbox:timeout]`, `[sandbox:silent]`,
 * `[sandbox:return=CODE]`, `[sandbox:delay=MS]`, `[sandbox:early]` (the outcome is published, then the
 * submit answered EARLY_ANSWER_AFTER_MS later: the rail's event overtakes its acceptance).
 */
export type Triggers = {
  reject?: string;
  refuse?: string;
  timeout?: boolean;
  silent?: boolean;
  returnReason?: string;
  delayMs?: number;
  early?: boolean;
};

const TRIGGER = /\[sandbox:([a-z]+)(?:=([A-Za-z0-9_-]{1,35}))?\]/g;
const MAX_DELAY_MS = 60_000;

/** The triggers found in `remittance`; unknown or malformed ones are ignored. */
export function parseTriggers(remittance: string | undefined): Triggers {
  const out: Triggers = {};
  if (!remittance) return out;
  for (const [, name, value] of remittance.matchAll(TRIGGER)) {
    if (name === 'reject' && value) out.reject = value;
    else if (name === 'refuse' && value) out.refuse = value;
    else if (name === 'return' && value) out.returnReason = value;
    else if (name === 'timeout' && !value) out.timeout = true;
    else if (name === 'silent' && !value) out.silent = true;
    else if (name === 'early' && !value) out.early = true;
    else if (name === 'delay' && value && /^\d+$/.test(value)) out.delayMs = Math.min(Number(value), MAX_DELAY_MS);
  }
  return out;
}

/** Whether any trigger is present (random rejections and returns apply only when none is). */
export function hasTrigger(t: Triggers): boolean {
  return Object.keys(t).length > 0;
}
