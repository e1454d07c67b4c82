import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { createMetrics } from '@baas/observability';
import { isInferenceError, loadModel, type LoadedModel, type ModelSpec } from '../src/index';

// models/tiny/tiny-linear.onnx (made by models/tiny/make_tiny_linear.py): y = x·W + b, x float32 [N, 4], y [N, 3].
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const TINY: ModelSpec = {
  name: 'tiny-linear',
  version: '1',
  path: join(ROOT, 'models/tiny/tiny-linear.onnx'),
  sha256: '5d623f2ef6aa22d6d074d28a161b6357f6461522f113d04139150aaff8ebe7ee',
};
const W = [
  [1, 0, 2],
  [0, 1, -1],
  [0.5, 0, 0],
  [0, -2, 0.25],
];
const B = [0.5, -1, 0];
const expected = (x: readonly number[]) => B.map((b, j) => x.reduce((sum, xi, i) => sum + xi * W[i]![j]!, b));
// Quarter steps: every input and output is exact in float32.
const rowFor = (i: number) => [i, -i / 2, i / 4, 1 - i];

function assertRow(actual: Float32Array, wanted: number[]) {
  assert.equal(actual.length, wanted.length);
  actual.forEach((v, j) => assert.ok(Math.abs(v - wanted[j]!) <= 1e-6, `value ${j}: ${v} != ${wanted[j]}`));
}

describe('loadModel with the tiny real ONNX model', () => {
  let model: LoadedModel;
  const metrics = createMetrics({ service: 'inference-test' });

  before(async () => {
    model = await loadModel({ model: TINY, provider: 'cpu', metrics, batchWindowMs: 0 });
  });
  after(async () => {
    await model.close();
  });

  it('answers the known outputs of y = x·W + b', async () => {
    assertRow(await model.predict([1, 2, 3, 4]), [3, -7, 1]);
    assertRow(await model.predict(new Float32Array([0, 0, 0, 0])), B);
    const many = await model.predictMany([rowFor(3), rowFor(7)]);
    assertRow(many[0]!, expected(rowFor(3)));
    assertRow(many[1]!, expected(rowFor(7)));
  });

  it('describes itself: name, version, sha256, provider and shapes', () => {
    const d = model.describe();
    assert.equal(d.name, 'tiny-linear');
    assert.equal(d.version, '1');
    assert.equal(d.sha256, TINY.sha256);
    assert.equal(d.provider, 'cpu');
    assert.equal(d.requestedProvider, 'cpu');
    assert.equal(d.cudaAttempted, false);
    assert.equal(d.fallbackReason, undefined);
    assert.deepEqual([d.inputName, d.inputWidth, d.outputName, d.outputWidth], ['x', 4, 'y', 3]);
    assert.equal(d.ready, true);
    assert.equal(model.isReady(), true);
  });

  it('stacks 50 concurrent single-row calls into far fewer runs, each caller getting its own row', async () => {
    const before = model.stats();
    const rows = Array.from({ length: 50 }, (_, i) => rowFor(i));
    const outputs = await Promise.all(rows.map((row) => model.predict(row)));
    outputs.forEach((out, i) => assertRow(out, expected(rows[i]!)));
    const runs = model.stats().runs - before.runs;
    assert.equal(model.stats().rows - before.rows, 50);
    assert.equal(runs, 1, `50 calls of one tick took ${runs} runs`);
    // Rows are copies: changing one caller's answer leaves the others alone.
    outputs[0]!.fill(99);
    assertRow(outputs[1]!, expected(rows[1]!));
  });

  it('never puts more than maxBatchSize rows in one run', async () => {
    const small = await loadModel({ model: TINY, provider: 'cpu', maxBatchSize: 8, batchWindowMs: 1 });
    try {
      const rows = Array.from({ length: 50 }, (_, i) => rowFor(i));
      const outputs = await Promise.all(rows.map((row) => small.predict(row)));
      outputs.forEach((out, i) => assertRow(out, expected(rows[i]!)));
      const stats = small.stats();
      assert.equal(stats.largestBatch, 8);
      assert.equal(stats.runs, 7); // 6 full runs of 8, then 2
    } finally {
      await small.close();
    }
  });

  it('refuses a row of the wrong length, or with a non-finite value, with INFERENCE_INPUT_INVALID', async () => {
    const runsBefore = model.stats().runs;
    await assert.rejects(model.predict([1, 2, 3]), (err) => {
      assert.ok(isInferenceError(err, 'INFERENCE_INPUT_INVALID'));
      assert.deepEqual(err.details, { expected: 4, got: 3 });
      return true;
    });
    await assert.rejects(model.predict(new Float32Array(5)), (err) => isInferenceError(err, 'INFERENCE_INPUT_INVALID'));
    await assert.rejects(model.predict([1, Number.NaN, 3, 4]), (err) => isInferenceError(err, 'INFERENCE_INPUT_INVALID'));
    await assert.rejects(model.predict([1, 2, Infinity, 4]), (err) => isInferenceError(err, 'INFERENCE_INPUT_INVALID'));
    await assert.rejects(model.predict(['1', 2, 3, 4] as unknown as number[]), (err) => isInferenceError(err, 'INFERENCE_INPUT_INVALID'));
    await assert.rejects(model.predictMany([rowFor(1), [1]]), (err) => isInferenceError(err, 'INFERENCE_INPUT_INVALID'));
    assert.equal(model.stats().runs, runsBefore, 'invalid rows never reach the model');
    // At a GraphQL edge it is an internal error, its reason kept for the logs.
    const domain = (await model.predict([1]).catch((err: unknown) => err)) as { toDomainError(): { code: string; details: unknown } };
    assert.equal(domain.toDomainError().code, 'INTERNAL_SERVER_ERROR');
    assert.deepEqual(domain.toDomainError().details, { reason: 'INFERENCE_INPUT_INVALID' });
  });

  it('reports provider, sha256 and runs as Prometheus metrics', async () => {
    const { body } = await metrics.render();
    assert.match(
      body,
      /inference_model_info\{model="tiny-linear",version="1",sha256="5d623f2e[0-9a-f]{56}",provider="cpu",requested_provider="cpu"\} 1/,
    );
    assert.match(body, /inference_runs_total\{model="tiny-linear",outcome="ok"\} \d+/);
    assert.match(body, /inference_rows_total\{model="tiny-linear"\} \d+/);
    assert.match(body, /inference_batch_rows_bucket\{le="1",model="tiny-linear"\} \d+/);
  });

  it('after close() it is not ready and refuses calls with MODEL_CLOSED', async () => {
    const m = await loadModel({ model: TINY, provider: 'cpu', metrics: createMetrics({ service: 'closing' }) });
    await m.close();
    assert.equal(m.isReady(), false);
    assert.equal(m.describe().ready, false);
    await assert.rejects(m.predict(rowFor(1)), (err) => isInferenceError(err, 'MODEL_CLOSED'));
  });
});

describe('loadModel refuses a model that is not the expected file', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'baas-inference-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('refuses to load when the expected sha256 differs, naming both digests', async () => {
    const wrong = 'f'.repeat(64);
    await assert.rejects(loadModel({ model: { ...TINY, sha256: wrong }, provider: 'cpu' }), (err) => {
      assert.ok(isInferenceError(err, 'MODEL_CHECKSUM_MISMATCH'));
      assert.match(err.message, /tiny-linear 1: .*has sha256 5d623f2e[0-9a-f]{56}, expected f{64}; refusing to load it\./);
      return true;
    });
  });

  it('refuses a tampered copy of the model (one weight changed) under the original sha256', async () => {
    const bytes = new Uint8Array(await readFile(TINY.path));
    // 1.0f is 00 00 80 3f; the first one in the file is W[0][0]. Make it 2.0f (00 00 00 40).
    const at = Buffer.from(bytes).indexOf(Buffer.from([0, 0, 0x80, 0x3f]));
    assert.ok(at > 0);
    bytes.set([0, 0, 0, 0x40], at);
    const tampered = join(dir, 'tampered.onnx');
    await writeFile(tampered, bytes);
    await assert.rejects(loadModel({ model: { ...TINY, path: tampered }, provider: 'cpu' }), (err) =>
      isInferenceError(err, 'MODEL_CHECKSUM_MISMATCH'),
    );
    // The tampered file is itself a valid model: loaded under its own digest, it answers differently.
    const own = createHash('sha256').update(bytes).digest('hex');
    const m = await loadModel({ model: { ...TINY, path: tampered, sha256: own }, provider: 'cpu' });
    try {
      assertRow(await m.predict([1, 0, 0, 0]), [2.5, -1, 2]);
    } finally {
      await m.close();
    }
  });

  it('names a missing file or a malformed digest with their own codes', async () => {
    await assert.rejects(loadModel({ model: { ...TINY, path: join(dir, 'absent.onnx') } }), (err) =>
      isInferenceError(err, 'MODEL_FILE_UNREADABLE'),
    );
    await assert.rejects(loadModel({ model: { ...TINY, sha256: 'abc' } }), (err) => isInferenceError(err, 'MODEL_SPEC_INVALID'));
  });

  it('refuses a file that is not an ONNX model with MODEL_LOAD_FAILED', async () => {
    const junk = join(dir, 'junk.onnx');
    await writeFile(junk, 'not a model');
    const sha256 = createHash('sha256').update('not a model').digest('hex');
    await assert.rejects(loadModel({ model: { ...TINY, path: junk, sha256 }, provider: 'cpu' }), (err) =>
      isInferenceError(err, 'MODEL_LOAD_FAILED'),
    );
  });

  it('the sha256 in models/tiny/README.md is the committed file’s', async () => {
    const readme = await readFile(join(ROOT, 'models/tiny/README.md'), 'utf8');
    assert.ok(readme.includes(TINY.sha256));
    await copyFile(TINY.path, join(dir, 'copy.onnx'));
    assert.equal(createHash('sha256').update(await readFile(join(dir, 'copy.onnx'))).digest('hex'), TINY.sha256);
  });
});

describe('execution provider choice', () => {
  // onnxruntime-node installed with its install script skipped has no CUDA provider library.
  const ortBin = join(dirname(createRequire(import.meta.url).resolve('onnxruntime-node')), '../bin/napi-v6', `${process.platform}`, process.arch);
  const cudaInstalled = existsSync(join(ortBin, 'libonnxruntime_providers_cuda.so'));

  it('asked for CUDA where its provider is absent, falls back to CPU, says so, and answers', { skip: cudaInstalled && 'the CUDA provider is installed here' }, async () => {
    const metrics = createMetrics({ service: 'cuda-fallback' });
    const m = await loadModel({ model: TINY, provider: 'cuda', metrics });
    try {
      const d = m.describe();
      assert.equal(d.requestedProvider, 'cuda');
      assert.equal(d.provider, 'cpu');
      assert.equal(d.cudaAttempted, true);
      assert.match(d.fallbackReason ?? '', /^CUDA execution provider unavailable: /);
      assertRow(await m.predict([1, 2, 3, 4]), [3, -7, 1]);
      assert.match((await metrics.render()).body, /inference_model_info\{[^}]*provider="cpu",requested_provider="cuda"\} 1/);
    } finally {
      await m.close();
    }
  });

  it('auto tries CUDA only when a GPU is present', { skip: cudaInstalled && 'the CUDA provider is installed here' }, async () => {
    const noGpu = await loadModel({ model: TINY, provider: 'auto', gpuPresent: () => false });
    const gpu = await loadModel({ model: TINY, provider: 'auto', gpuPresent: () => true });
    try {
      assert.deepEqual([noGpu.describe().provider, noGpu.describe().cudaAttempted, noGpu.describe().fallbackReason], ['cpu', false, undefined]);
      assert.deepEqual([gpu.describe().provider, gpu.describe().cudaAttempted], ['cpu', true]);
      assert.ok(gpu.describe().fallbackReason);
    } finally {
      await Promise.all([noGpu.close(), gpu.close()]);
    }
  });
});
