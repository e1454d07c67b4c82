import type { Driver } from 'neo4j-driver';
import { createAlertStore } from '../../subgraphs/risk/src/store/alert-store';
import { assessmentIdFor, createRiskAssessmentStore } from '../../subgraphs/risk/src/store/risk-assessment-store';

/**
 * Risk records for tests that need one to read (authorisation sweeps, store restarts), written
 * through the risk subgraph's own stores so they have the shape the subgraph serves. A real
 * assessment comes from scoring a movement (e2e/risk); these stand for "an assessment of tenant T".
 */
export async function seedRiskAssessment(
  driver: Driver,
  a: { movementId: string; tenantId: string; customerId: string; scoreBps: number; decision: 'ALLOW' | 'REVIEW' | 'BLOCK'; createdAt?: Date },
): Promise<string> {
  // The store derives an assessment's id from (tenant, movement): one assessment per movement.
  const id = assessmentIdFor(a.tenantId, a.movementId);
  await createRiskAssessmentStore(driver).insert({
    id,
    tenantId: a.tenantId,
    customerId: a.customerId,
    movementId: a.movementId,
    rail: 'TRANSFER',
    scoreBps: a.scoreBps,
    decision: a.decision,
    reasons: a.decision === 'ALLOW' ? [] : ['MODEL_SCORE_ELEVATED'],
    modelVersion: 'fraud-gbdt@1',
    features: new Array<number>(22).fill(0),
    createdAt: a.createdAt ?? new Date(),
    fingerprint: 'seed',
    amount: '1000',
    currency: 'BRL',
    payerAccountId: a.movementId,
    payeeAccountId: null,
  });
  return id;
}

/** An OPEN alert of a tenant (raised once per dedupe key, as the graph scans raise them); its id. */
export async function seedRiskAlert(driver: Driver, a: { tenantId: string; subjectIds: string[]; dedupeKey: string }): Promise<string> {
  const { alert } = await createAlertStore(driver).raise({ tenantId: a.tenantId, kind: 'SHARED_IDENTIFIERS', subjectIds: a.subjectIds, dedupeKey: a.dedupeKey, details: {} });
  return alert.id;
}

/** Removes what the seeds wrote (by id). */
export async function removeRiskRecords(driver: Driver, ids: { assessments?: string[]; alerts?: string[] }): Promise<void> {
  await driver.executeQuery('MATCH (a:RiskAssessment) WHERE a.id IN $ids DETACH DELETE a', { ids: ids.assessments ?? [] });
  await driver.executeQuery('MATCH (a:RiskAlert) WHERE a.id IN $ids DETACH DELETE a', { ids: ids.alerts ?? [] });
}
