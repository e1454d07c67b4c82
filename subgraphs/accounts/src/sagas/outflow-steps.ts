import { done, leaseLost, refused, type SagaStep } from '@baas/saga';
import type { SagaRow } from '../store/saga-store';
import { sagaOutflow, type AccountsSagaDeps } from './saga-deps';

/*
 * The policy path's steps 2 and 3 where money is committed, shared by every outflow saga (transfer,
 * FX; PIX and card authorisations later): limits, then risk, with @baas/policy's codes. Standing and
 * step-up (steps 0 and 1) judge the caller and run at request time, in the use cases.
 */

/** Step LIMITS: the per-transaction limit and the daily reservation (recorded with the move to LIMITS); compensation gives the reservation back. */
export function limitsStep(deps: Pick<AccountsSagaDeps, 'limits' | 'logger'>): SagaStep<SagaRow> {
  return {
    name: 'LIMITS',
    async run(saga) {
      const written = await deps.limits.reserve(saga);
      if (!written) return leaseLost();
      if (written.failureCode !== 'LIMIT_EXCEEDED') return done(written);
      deps.logger.info({ sagaId: saga.id, code: 'LIMIT_EXCEEDED' }, 'outflow refused by its limits');
      return refused('LIMIT_EXCEEDED', written);
    },
    async compensate(saga) {
      await deps.limits.release(saga);
      return done();
    },
  };
}

/**
 * Step RISK: the risk port's verdict for the saga's id, the id the request was scored under (the risk
 * subgraph answers with the stored assessment, so asking again after a crash is safe and not recorded).
 * Only BLOCK declines; REVIEW's step-up was demanded at request time.
 */
export function riskStep(deps: Pick<AccountsSagaDeps, 'risk' | 'logger'>): SagaStep<SagaRow> {
  return {
    name: 'RISK',
    checkpoint: false,
    async run(saga) {
      const verdict = await deps.risk.assess(sagaOutflow(saga));
      if (verdict.decision !== 'BLOCK') return done();
      deps.logger.info({ sagaId: saga.id, code: 'RISK_DECLINED', reasons: verdict.reasons, assessmentId: verdict.assessmentId }, 'outflow declined by risk');
      return refused('RISK_DECLINED');
    },
  };
}
