import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadModel, type LoadModelOptions, type LoadedModel, type ModelDescription, type ModelStats } from '@baas/inference';
import type { Logger } from '@baas/observability';
import { FRAUD_FEATURE_COUNT } from '../domain/fraud-features';

/**
 * The fraud model (models/risk/fraud-gbdt.onnx, LightGBM as ONNX) loaded once at start through
 * @baas/inference: the sha256 is models/risk/manifest.json's (a different file is refused), CPU by
 * default or CUDA when INFERENCE_PROVIDER and the host allow it, concurrent calls batched into one
 * run. The scoring path sees only `version` and `predictFraud` (use-cases/score-transaction.ts).
 */
export const RISK_MODELS_DIR = fileURLToPath(new URL('../../../../models/risk/', import.meta.url));

type ManifestEntry = { name: string; version: string; file: string; sha256: string; input: string; inputWidth: number; output: string; outputWidth: number };

export type FraudModel = {
  /** `<name>@<version>` of the ONNX file, stored with every assessment. */
  version: string;
  /** P(fraud) for one feature row (22 float32, contract order). */
  predictFraud(row: Float32Array): Promise<number>;
  describe(): ModelDescription;
  stats(): ModelStats;
  isReady(): boolean;
  close(): Promise<void>;
};

export type LoadFraudModelOptions = Pick<LoadModelOptions, 'provider' | 'maxBatchSize' | 'batchWindowMs' | 'maxQueue' | 'metrics' | 'intraOpNumThreads'> & {
  logger?: Logger;
  /** Default the repository's models/risk/. */
  modelsDir?: string;
};

export function readFraudManifest(modelsDir = RISK_MODELS_DIR): ManifestEntry {
  const manifest = JSON.parse(readFileSync(join(modelsDir, 'manifest.json'), 'utf8')) as { fraud: ManifestEntry };
  const entry = manifest.fraud;
  if (entry.inputWidth !== FRAUD_FEATURE_COUNT || entry.outputWidth !== 2) {
    throw new Error(`fraud model manifest: expected ${FRAUD_FEATURE_COUNT} inputs and 2 outputs, got ${entry.inputWidth} and ${entry.outputWidth}`);
  }
  return entry;
}

/** Wraps a loaded model: output [P(legitimate), P(fraud)] -> P(fraud). */
export function fraudModelFrom(model: LoadedModel, version: string): FraudModel {
  return {
    version,
    async predictFraud(row) {
      const out = await model.predict(row);
      return out[1]!;
    },
    describe: () => model.describe(),
    stats: () => model.stats(),
    isReady: () => model.isReady(),
    close: () => model.close(),
  };
}

export async function loadFraudModel(opts: LoadFraudModelOptions = {}): Promise<FraudModel> {
  const dir = opts.modelsDir ?? RISK_MODELS_DIR;
  const entry = readFraudManifest(dir);
  const { modelsDir: _dir, ...rest } = opts;
  const model = await loadModel({
    ...rest,
    model: { name: entry.name, version: entry.version, path: join(dir, entry.file), sha256: entry.sha256 },
    outputName: entry.output,
  });
  return fraudModelFrom(model, `${entry.name}@${entry.version}`);
}
