import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { loadModel, type LoadedModel } from '@baas/inference';
import { checkScorecard, creditReasons, creditScoreFromProbability, woeRow, type CreditScorecard } from '../src/domain/credit-score';

// The committed risk models (models/risk/, trained in Python) hold their Python outputs here, in Node.
const RISK = fileURLToPath(new URL('../../../models/risk/', import.meta.url));
const readJson = <T>(file: string): T => JSON.parse(readFileSync(join(RISK, file), 'utf8')) as T;

type ManifestEntry = { name: string; version: string; file: string; sha256: string; bytes: number; input: string; inputWidth: number; output: string; outputWidth: number };
type Manifest = { fraud: ManifestEntry; credit: ManifestEntry };
type FraudGolden = { sha256: string; features: string[]; tolerance: number; inputs: number[][]; onnxruntime: number[][]; lightgbm: number[][] };
type CreditGolden = {
  sha256: string;
  features: string[];
  tolerance: number;
  raw: number[][];
  woe: number[][];
  onnxruntime: number[][];
  sklearn: number[][];
  score: number[];
  reasons: string[][];
};

const manifest = readJson<Manifest>('manifest.json');
const readme = readFileSync(join(RISK, 'README.md'), 'utf8');

function load(entry: ManifestEntry): Promise<LoadedModel> {
  return loadModel({
    model: { name: entry.name, version: entry.version, path: join(RISK, entry.file), sha256: entry.sha256 },
    provider: 'cpu',
    batchWindowMs: 0,
  });
}

function assertClose(actual: ArrayLike<number>, wanted: readonly number[], tolerance: number, what: string) {
  assert.equal(actual.length, wanted.length, `${what}: width`);
  for (let j = 0; j < wanted.length; j++) {
    const diff = Math.abs(actual[j]! - wanted[j]!);
    assert.ok(diff <= tolerance, `${what}, value ${j}: ${actual[j]} vs ${wanted[j]} (off by ${diff})`);
  }
}

describe('committed risk models: manifest, README and sizes agree', () => {
  for (const key of ['fraud', 'credit'] as const) {
    it(`${key}: the README names the manifest's sha256, and the file is small`, () => {
      const entry = manifest[key];
      assert.match(entry.sha256, /^[0-9a-f]{64}$/);
      assert.ok(readme.includes(entry.sha256), `models/risk/README.md does not name ${entry.file}'s sha256 ${entry.sha256}`);
      const size = statSync(join(RISK, entry.file)).size;
      assert.equal(size, entry.bytes);
      assert.ok(size < 1024 * 1024, `${entry.file} is ${size} bytes`);
    });
  }
});

describe('fraud model (LightGBM as ONNX) in Node equals the Python outputs', () => {
  const golden = readJson<FraudGolden>('golden/fraud.json');
  const contract = readJson<{ features: { index: number; name: string; type: string }[] }>('fraud-features.json');
  let model: LoadedModel;
  before(async () => {
    model = await load(manifest.fraud); // refuses a file whose sha256 is not the manifest's
  });
  after(() => model?.close());

  it('is the model the golden vectors were made with, and takes the feature contract', () => {
    assert.equal(golden.sha256, manifest.fraud.sha256);
    assert.deepEqual(golden.features, contract.features.map((f) => f.name));
    contract.features.forEach((f, i) => {
      assert.equal(f.index, i);
      assert.equal(f.type, 'float32');
    });
    const d = model.describe();
    assert.deepEqual(
      [d.inputName, d.inputWidth, d.outputName, d.outputWidth, d.provider],
      [manifest.fraud.input, contract.features.length, 'probabilities', 2, 'cpu'],
    );
  });

  it('answers every golden row within 1e-6 of Python onnxruntime, batched in one run', async () => {
    assert.equal(golden.tolerance, 1e-6);
    assert.ok(golden.inputs.length >= 50);
    const runsBefore = model.stats().runs;
    const outputs = await model.predictMany(golden.inputs);
    assert.equal(model.stats().runs - runsBefore, 1);
    outputs.forEach((out, i) => {
      assertClose(out, golden.onnxruntime[i]!, golden.tolerance, `fraud row ${i}`);
      // The native LightGBM model (float64) agrees closely too: the ONNX file is that model.
      assertClose(out, golden.lightgbm[i]!, 1e-5, `fraud row ${i} against LightGBM`);
    });
    // Both classes occur: the rows are not all trivially legitimate.
    assert.ok(outputs.some((o) => o[1]! > 0.9) && outputs.some((o) => o[1]! < 0.01));
  });

  it('answers a row alone exactly as in a batch', async () => {
    const i = golden.onnxruntime.findIndex((p) => p[1]! > 0.5);
    assertClose(await model.predict(golden.inputs[i]!), golden.onnxruntime[i]!, golden.tolerance, `fraud row ${i} alone`);
  });
});

describe('credit scorecard (WoE bins in TypeScript, logistic regression as ONNX) equals the Python outputs', () => {
  const golden = readJson<CreditGolden>('golden/credit.json');
  const card = checkScorecard(readJson<CreditScorecard & { features: { name: string }[] }>('credit-scorecard.json'));
  let model: LoadedModel;
  before(async () => {
    model = await load(manifest.credit);
  });
  after(() => model?.close());

  it('is the model the golden vectors were made with, and takes one WoE per scorecard feature', () => {
    assert.equal(golden.sha256, manifest.credit.sha256);
    assert.deepEqual(golden.features, card.features.map((f) => f.name));
    const d = model.describe();
    assert.deepEqual([d.inputName, d.inputWidth, d.outputName, d.outputWidth], [manifest.credit.input, card.features.length, 'probabilities', 2]);
  });

  it('bins the raw golden rows into exactly the WoE rows Python fed the model', () => {
    golden.raw.forEach((raw, i) => assert.deepEqual(Array.from(woeRow(card, raw)), golden.woe[i], `credit row ${i}`));
  });

  it('answers within 1e-6 of Python onnxruntime, and the JSON coefficients are the model in the ONNX file', async () => {
    const outputs = await model.predictMany(golden.raw.map((raw) => woeRow(card, raw)));
    outputs.forEach((out, i) => {
      assertClose(out, golden.onnxruntime[i]!, golden.tolerance, `credit row ${i}`);
      assertClose(out, golden.sklearn[i]!, 1e-5, `credit row ${i} against scikit-learn`);
      // The reasons read the coefficients from credit-scorecard.json: they must be the model's.
      const logit = golden.woe[i]!.reduce((sum, w, j) => sum + card.coefficients[j]! * w, card.intercept);
      assert.ok(Math.abs(1 / (1 + Math.exp(-logit)) - out[1]!) <= 1e-5, `credit row ${i}: the JSON coefficients disagree with the ONNX model`);
    });
  });

  it('scales P(default) to the golden 0-1000 scores and gives the golden reason codes', async () => {
    const outputs = await model.predictMany(golden.raw.map((raw) => woeRow(card, raw)));
    golden.raw.forEach((raw, i) => {
      assert.equal(creditScoreFromProbability(golden.onnxruntime[i]![1]!, card.scaling), golden.score[i], `credit row ${i}: score rule`);
      const fromNode = creditScoreFromProbability(outputs[i]![1]!, card.scaling);
      assert.ok(Math.abs(fromNode - golden.score[i]!) <= 1, `credit row ${i}: ${fromNode} vs ${golden.score[i]}`);
      assert.deepEqual(creditReasons(card, raw), golden.reasons[i], `credit row ${i}: reasons`);
    });
    const scores = new Set(golden.score);
    assert.ok(scores.size > 10 && Math.min(...scores) >= 0 && Math.max(...scores) <= 1000);
  });
});
