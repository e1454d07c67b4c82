import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadModel, type LoadModelOptions, type LoadedModel, type ModelDescription } from '@baas/inference';
import { checkScorecard, type CreditScorecard } from '../domain/credit-score';

/**
 * The credit scorecard, loaded once at start: its numbers (models/risk/credit-scorecard.json,
 * checked with checkScorecard) and its logistic regression (credit-scorecard.onnx through
 * @baas/inference; the sha256 is models/risk/manifest.json's, a different file is refused).
 */
const MODELS_DIR = fileURLToPath(new URL('../../../../models/risk/', import.meta.url));

type ManifestEntry = { name: string; version: string; file: string; sha256: string; output: string; inputWidth: number; outputWidth: number; contract: string };

export type CreditScorecardModel = {
  /** `<name>@<version>` of the ONNX file. */
  version: string;
  card: CreditScorecard;
  /** P(default) for one WoE row (scorecard order, float32). */
  predictDefault(woe: Float32Array): Promise<number>;
  describe(): ModelDescription;
  isReady(): boolean;
  close(): Promise<void>;
};

export type LoadCreditScorecardOptions = Pick<LoadModelOptions, 'provider' | 'maxBatchSize' | 'batchWindowMs' | 'maxQueue' | 'metrics' | 'logger'> & {
  /** Default the repository's models/risk/. */
  modelsDir?: string;
};

/** Wraps a loaded model: output [P(repays), P(defaults)] -> P(defaults). */
export function creditScorecardFrom(model: LoadedModel, card: CreditScorecard, version: string): CreditScorecardModel {
  return {
    version,
    card,
    async predictDefault(woe) {
      const out = await model.predict(woe);
      return out[1]!;
    },
    describe: () => model.describe(),
    isReady: () => model.isReady(),
    close: () => model.close(),
  };
}

export async function loadCreditScorecard(opts: LoadCreditScorecardOptions = {}): Promise<CreditScorecardModel> {
  const dir = opts.modelsDir ?? MODELS_DIR;
  const entry = (JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { credit: ManifestEntry }).credit;
  const card = checkScorecard(JSON.parse(readFileSync(join(dir, entry.contract), 'utf8')) as CreditScorecard);
  if (entry.inputWidth !== card.features.length || entry.outputWidth !== 2) {
    throw new Error(`credit model manifest: expected ${card.features.length} inputs and 2 outputs, got ${entry.inputWidth} and ${entry.outputWidth}`);
  }
  const { modelsDir: _dir, ...rest } = opts;
  const model = await loadModel({
    ...rest,
    model: { name: entry.name, version: entry.version, path: join(dir, entry.file), sha256: entry.sha256 },
    outputName: entry.output,
  });
  return creditScorecardFrom(model, card, `${entry.name}@${entry.version}`);
}
