import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { isInferenceError, openTensorModel, type ModelSpec, type TensorModel } from '../src/index';

// models/tiny/tiny-linear.onnx: y = x·W + b, x float32 [N, 4], y [N, 3] (see load-model.test.ts).
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const TINY: ModelSpec = {
  name: 'tiny-linear',
  version: '1',
  path: join(ROOT, 'models/tiny/tiny-linear.onnx'),
  sha256: '5d623f2ef6aa22d6d074d28a161b6357f6461522f113d04139150aaff8ebe7ee',
};

describe('openTensorModel with the tiny real ONNX model', () => {
  let model: TensorModel;

  before(async () => {
    model = await openTensorModel(TINY, { provider: 'cpu', warmUp: { x: { data: new Float32Array(4), dims: [1, 4] } } });
  });
  after(async () => {
    await model.close();
  });

  it('runs named float32 tensors and gives every output with its dims', async () => {
    const out = await model.run({ x: { data: new Float32Array([1, 2, 3, 4, 0, 0, 0, 0]), dims: [2, 4] } });
    assert.deepEqual(Object.keys(out), ['y']);
    assert.deepEqual(out.y!.dims, [2, 3]);
    assert.deepEqual([...out.y!.data], [3, -7, 1, 0.5, -1, 0]);
  });

  it('describes itself: name, version, sha256, provider, input and output names', () => {
    const d = model.describe();
    assert.deepEqual(
      [d.name, d.version, d.sha256, d.provider, d.requestedProvider, d.cudaAttempted, d.ready],
      ['tiny-linear', '1', TINY.sha256, 'cpu', 'cpu', false, true],
    );
    assert.deepEqual(d.inputNames, ['x']);
    assert.deepEqual(d.outputNames, ['y']);
    assert.equal(d.fallbackReason, undefined);
  });

  it('refuses data that does not fit its dims, or an unknown input, with INFERENCE_INPUT_INVALID', async () => {
    await assert.rejects(model.run({ x: { data: new Float32Array(3), dims: [1, 4] } }), (e) => isInferenceError(e, 'INFERENCE_INPUT_INVALID'));
    await assert.rejects(model.run({ z: { data: new Float32Array(4), dims: [1, 4] } }), (e) => isInferenceError(e, 'INFERENCE_INPUT_INVALID'));
  });

  it('reports a run onnxruntime refuses (wrong width) as INFERENCE_FAILED', async () => {
    await assert.rejects(model.run({ x: { data: new Float32Array(5), dims: [1, 5] } }), (e) => isInferenceError(e, 'INFERENCE_FAILED'));
  });

  it('falls back to CPU when CUDA is asked for but cannot load, and says why', async () => {
    const m = await openTensorModel(TINY, { provider: 'cuda', warmUp: { x: { data: new Float32Array(4), dims: [1, 4] } } });
    try {
      const d = m.describe();
      if (d.provider === 'cpu') {
        assert.equal(d.cudaAttempted, true);
        assert.ok(d.fallbackReason);
      }
      const out = await m.run({ x: { data: new Float32Array([1, 2, 3, 4]), dims: [1, 4] } });
      assert.deepEqual([...out.y!.data], [3, -7, 1]);
    } finally {
      await m.close();
    }
  });

  it('refuses a file whose sha256 differs, and refuses runs after close()', async () => {
    await assert.rejects(openTensorModel({ ...TINY, sha256: '0'.repeat(64) }), (e) => isInferenceError(e, 'MODEL_CHECKSUM_MISMATCH'));
    const m = await openTensorModel(TINY, { provider: 'cpu' });
    await m.close();
    assert.equal(m.isReady(), false);
    await assert.rejects(m.run({ x: { data: new Float32Array(4), dims: [1, 4] } }), (e) => isInferenceError(e, 'MODEL_CLOSED'));
  });
});
