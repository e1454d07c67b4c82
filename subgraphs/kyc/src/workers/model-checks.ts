import type { Logger } from '@baas/observability';
import { buildScreeningIndex, type ScreeningIndex } from '../domain/screening/index';
import { FIXTURE_SANCTIONS_FILES, importSanctionsFiles } from '../store/sanctions-importer';
import type { SanctionsListStore } from '../store/sanctions-list-store';
import { createModelKycChecks, type FaceEnginePort, type OcrEnginePort, type ScreeningPort } from '../use-cases/create-model-kyc-checks';
import type { KycChecks } from '../use-cases/kyc-checks';
import { createFaceEngine, type FaceEngine } from './face-engine';
import { createOcrEngine, type OcrEngine } from './ocr-engine';

/**
 * The screening port over the stored sanctions lists: the active versions name it ('' when no list is
 * loaded), and the index is rebuilt when they change (an import by the operator, another instance).
 */
export function createStoredScreening(store: Pick<SanctionsListStore, 'activeVersions' | 'loadActiveEntries'>): ScreeningPort {
  let built: { key: string; index: Promise<ScreeningIndex> } | null = null;
  const key = async () => (await store.activeVersions()).map((v) => `${v.listId}@${v.version}`).sort().join('+');
  return {
    version: key,
    async index() {
      const k = await key();
      if (!built || built.key !== k) {
        const index = store.loadActiveEntries().then(buildScreeningIndex);
        built = { key: k, index };
        index.catch(() => {
          if (built?.index === index) built = null;
        });
      }
      return built.index;
    },
  };
}

export type ModelChecks = { checks: KycChecks; close(): Promise<void> };

/**
 * The real checks for the composition root: the ONNX engines (OCR, face; CPU, or CUDA where configured
 * and present) are loaded on the first check, not at start (a platform that never checks never pays for
 * them; a failed load is retried on the next check and the processor's attempts cover it), and the
 * sanctions lists from the store. `fixtures`: with no list loaded yet, the repository's fixture lists
 * (OFAC SDN, UN consolidated, PEP in their official formats) are imported first (development, sandbox,
 * tests; production imports the real files: with none loaded, screening is UNCERTAIN and a person reviews).
 */
export function createModelChecks(opts: { sanctions: SanctionsListStore; fixtures: boolean; allowSandboxModels: boolean; logger: Logger }): ModelChecks {
  let engines: Promise<{ ocr: OcrEngine; face: FaceEngine }> | null = null;
  const load = () => {
    engines ??= Promise.all([createOcrEngine({ logger: opts.logger }), createFaceEngine({ logger: opts.logger, allowSandboxModels: opts.allowSandboxModels })]).then(([ocr, face]) => ({ ocr, face }));
    engines.catch((error: unknown) => {
      opts.logger.warn({ err: error instanceof Error ? error.message.slice(0, 200) : 'unknown' }, 'KYC models could not be loaded: the next check tries again');
      engines = null;
    });
    return engines;
  };
  let fixturesImported: Promise<void> | null = null;
  const ensureLists = () =>
    (fixturesImported ??= (async () => {
      if (!opts.fixtures || (await opts.sanctions.activeVersions()).length > 0) return;
      await importSanctionsFiles(opts.sanctions, FIXTURE_SANCTIONS_FILES);
      opts.logger.warn('KYC screening runs on the repository fixture lists (not real sanctions lists)');
    })().catch((error: unknown) => {
      fixturesImported = null;
      throw error;
    }));
  const stored = createStoredScreening(opts.sanctions);
  const screening: ScreeningPort = {
    version: async () => (await ensureLists(), stored.version()),
    index: async () => (await ensureLists(), stored.index()),
  };
  // Screening needs no model; the model checks are built once the engines are loaded.
  const unloaded = () => {
    throw new Error('KYC models are not loaded');
  };
  const screeningOnly = createModelKycChecks({ ocr: { recognize: unloaded, describe: unloaded }, face: { detect: unloaded, embed: unloaded, antiSpoof: unloaded, passiveLiveness: unloaded, describe: unloaded }, screening });
  let withModels: KycChecks | null = null;
  const models = async (): Promise<KycChecks> => {
    const e = await load();
    return (withModels ??= createModelKycChecks({ ocr: e.ocr as OcrEnginePort, face: e.face as FaceEnginePort, screening }));
  };
  const checks: KycChecks = {
    ocr: async (document, applicant) => (await models()).ocr(document, applicant),
    face: async (selfie, document) => (await models()).face(selfie, document),
    liveness: async (selfie) => (await models()).liveness(selfie),
    screening: (applicant) => screeningOnly.screening(applicant),
  };
  return {
    checks,
    async close() {
      const e = await engines?.catch(() => null);
      await Promise.all([e?.ocr.close(), e?.face.close()]);
    },
  };
}
