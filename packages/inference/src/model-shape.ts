import type { InferenceSession } from 'onnxruntime-node';
import { InferenceError } from './inference-error';

export type ModelShape = {
  inputName: string;
  outputName: string;
  /** Values in one input row. */
  inputWidth: number;
  /** 1 when the model's batch dimension is fixed at 1; otherwise undefined (dynamic). */
  fixedBatch?: 1;
};

/**
 * Finds the float32 `[N, width]` input and the float32 output (`[N, k]` or `[N]`) of a session.
 * A model with one input is used as is; several inputs or outputs need names.
 */
export function inspectModelShape(
  session: InferenceSession,
  opts: { model: string; inputName?: string; outputName?: string },
): ModelShape {
  const unsupported = (why: string) => new InferenceError('MODEL_SHAPE_UNSUPPORTED', `Model ${opts.model}: ${why}`);
  const inputs = session.inputMetadata;
  const input = opts.inputName ? inputs.find((m) => m.name === opts.inputName) : inputs.length === 1 ? inputs[0] : undefined;
  if (!input) {
    throw unsupported(opts.inputName ? `it has no input named ${opts.inputName}.` : `it has ${inputs.length} inputs: name the one to feed.`);
  }
  if (!input.isTensor || input.type !== 'float32') throw unsupported(`input ${input.name} is not a float32 tensor.`);
  const [batch, width] = input.shape;
  if (input.shape.length !== 2 || typeof width !== 'number' || width < 1) {
    throw unsupported(`input ${input.name} must be [N, width] with a fixed width, got [${input.shape.join(', ')}].`);
  }
  if (typeof batch === 'number' && batch > 1) {
    throw unsupported(`input ${input.name} has a fixed batch of ${batch}; export it with a dynamic first dimension.`);
  }
  const outputs = session.outputMetadata;
  const output = opts.outputName
    ? outputs.find((m) => m.name === opts.outputName)
    : outputs.find((m) => m.isTensor && m.type === 'float32');
  if (!output) throw unsupported(opts.outputName ? `it has no output named ${opts.outputName}.` : 'it has no float32 output.');
  if (!output.isTensor || output.type !== 'float32') throw unsupported(`output ${output.name} is not a float32 tensor.`);
  if (output.shape.length !== 1 && output.shape.length !== 2) {
    throw unsupported(`output ${output.name} must be [N] or [N, k], got [${output.shape.join(', ')}].`);
  }
  return { inputName: input.name, outputName: output.name, inputWidth: width, ...(batch === 1 ? { fixedBatch: 1 as const } : {}) };
}
