import type { Outflow, RiskVerdict } from './outflow';

/**
 * The risk subgraph's verdicts, remembered for the one repeat a movement makes. The risk subgraph
 * is idempotent per (tenant, movement id): a transfer saga's RISK step and a payment order's
 * approval ask again under the request's id and get the stored assessment, which costs a GraphQL
 * round trip (and risk's work) for an answer known already. A verdict is kept only when the risk subgraph gave it (never the fail mode's), for the
 * same movement (tenant, id, rail, payer, payee, amount, currency: risk's fingerprint), taken at most
 * once, for at most `ttlMs`, and at most `max` at a time (the oldest go first). A miss (another
 * process, a saga resumed after a crash, an expired entry) asks risk as before.
 */
export function createRiskVerdictMemo(opts: { ttlMs?: number; max?: number; now?: () => number } = {}) {
  const ttlMs = opts.ttlMs ?? 60_000;
  const max = opts.max ?? 10_000;
  const now = opts.now ?? Date.now;
  const kept = new Map<string, { verdict: RiskVerdict; at: number }>();
  const key = (o: Outflow) => [o.tenantId, o.id, o.rail, o.accountId, o.payeeAccountId ?? '', o.amount.toString(), o.currency].join('|');
  return {
    /** Wraps a scorer: a remembered verdict answers once; a fresh one is remembered. */
    wrap<A extends unknown[]>(score: (outflow: Outflow, ...rest: A) => Promise<RiskVerdict>) {
      return async (outflow: Outflow, ...rest: A): Promise<RiskVerdict> => {
        const k = key(outflow);
        const hit = kept.get(k);
        if (hit) {
          kept.delete(k);
          if (now() - hit.at <= ttlMs) return hit.verdict;
        }
        const verdict = await score(outflow, ...rest);
        if (kept.size >= max) kept.delete(kept.keys().next().value!);
        kept.set(k, { verdict, at: now() });
        return verdict;
      };
    },
    get size() {
      return kept.size;
    },
  };
}
