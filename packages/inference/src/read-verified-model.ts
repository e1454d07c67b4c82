import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { InferenceError } from './inference-error';

const SHA256_HEX = /^[0-9a-f]{64}$/;

/** Where a model comes from and what it must be: the file shipped with the code and its digest. */
export type ModelSpec = {
  /** Reported in describe() and metrics, e.g. `fraud-gbdt`. */
  name: string;
  /** Reported in describe() and metrics, e.g. `2026-12-01` or `3`. */
  version: string;
  /** Absolute path of the .onnx file (in the repository, or resolved inside a registry package). */
  path: string;
  /** Expected sha256 of the file, lowercase hex. */
  sha256: string;
};

/**
 * Reads the model file once and checks its sha256 against the spec. The same bytes are handed to
 * onnxruntime, so the file that runs is the file that was checked.
 */
export async function readVerifiedModel(spec: ModelSpec): Promise<Uint8Array> {
  if (!spec.name || !spec.version || !spec.path) {
    throw new InferenceError('MODEL_SPEC_INVALID', 'A model spec needs a name, a version and a path.');
  }
  const expected = spec.sha256.toLowerCase();
  if (!SHA256_HEX.test(expected)) {
    throw new InferenceError('MODEL_SPEC_INVALID', `Model ${spec.name} ${spec.version}: sha256 must be 64 hex digits.`);
  }
  let bytes: Buffer;
  try {
    bytes = await readFile(spec.path);
  } catch (cause) {
    throw new InferenceError('MODEL_FILE_UNREADABLE', `Model ${spec.name} ${spec.version}: cannot read ${spec.path}.`, { cause });
  }
  const actual = createHash('sha256').update(bytes).digest('hex');
  if (actual !== expected) {
    throw new InferenceError(
      'MODEL_CHECKSUM_MISMATCH',
      `Model ${spec.name} ${spec.version}: ${spec.path} has sha256 ${actual}, expected ${expected}; refusing to load it.`,
      { details: { model: spec.name, version: spec.version, expected, actual } },
    );
  }
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
