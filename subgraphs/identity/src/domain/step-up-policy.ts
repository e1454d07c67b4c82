import { STEP_UP_ACTIONS, type StepUpPolicy } from '@baas/auth';
import { badInput } from '@baas/errors';

/** A tenant's step-up policy as stored (JSON), validated; anything malformed counts as no rule. */
export function readStepUpPolicy(value: unknown): StepUpPolicy {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return {};
  const out: Record<string, { maxAgeSeconds: number; minAmountMinor?: string }> = {};
  for (const [action, rule] of Object.entries(value as Record<string, unknown>)) {
    const r = rule as { maxAgeSeconds?: unknown; minAmountMinor?: unknown };
    if (!r || !Number.isInteger(r.maxAgeSeconds)) continue;
    out[action] = { maxAgeSeconds: r.maxAgeSeconds as number, ...(typeof r.minAmountMinor === 'string' ? { minAmountMinor: r.minAmountMinor } : {}) };
  }
  return out;
}

/** The policy a tenant asks for (setStepUpPolicy's rules), validated: BAD_USER_INPUT naming the rule's field otherwise. */
export function parseStepUpRules(rules: readonly { action: string; maxAgeSeconds: number; minAmountMinor?: string | null }[]): StepUpPolicy {
  const policy: Record<string, { maxAgeSeconds: number; minAmountMinor?: string }> = {};
  for (const [i, rule] of rules.entries()) {
    if (!(STEP_UP_ACTIONS as readonly string[]).includes(rule.action)) throw badInput('Unknown action.', { field: `rules.${i}.action` });
    if (rule.maxAgeSeconds < 30 || rule.maxAgeSeconds > 3600) throw badInput('maxAgeSeconds must be 30 to 3600.', { field: `rules.${i}.maxAgeSeconds` });
    if (rule.minAmountMinor != null && !/^\d{1,19}$/.test(rule.minAmountMinor)) throw badInput('minAmountMinor must be a non-negative integer.', { field: `rules.${i}.minAmountMinor` });
    policy[rule.action] = { maxAgeSeconds: rule.maxAgeSeconds, ...(rule.minAmountMinor != null ? { minAmountMinor: rule.minAmountMinor } : {}) };
  }
  return policy;
}
