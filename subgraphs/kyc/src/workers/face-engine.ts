import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openTensorModel, type OpenTensorModelOptions, type TensorModel, type TensorModelDescription } from '@baas/inference';
import type { RgbImage } from '../domain/image';
import {
  alignFace,
  eyeOpenness,
  facesFromBlazeFace,
  FACERES_TEMPLATE,
  imageTensor,
  letterboxOf,
  letterboxTensor,
  type AlignTemplate,
  type FaceBox,
  type FacePostprocessOptions,
  type LivenessFrame,
} from '../domain/face';

const FACE_MODELS_DIR = fileURLToPath(new URL('../../../../models/kyc/face/', import.meta.url));

type ManifestEntry = {
  name: string;
  version: string;
  file: string;
  sha256: string;
  sandboxOnly: boolean;
  inputs: { name: string; shape: number[] }[];
  outputs: { name: string; shape: number[] }[];
};
export type FaceManifest = Record<'detector' | 'embedding' | 'antispoof' | 'liveness', ManifestEntry>;

export type CreateFaceEngineOptions = Pick<OpenTensorModelOptions, 'provider' | 'logger' | 'metrics' | 'gpuPresent' | 'cudaDeviceId' | 'intraOpNumThreads'> & {
  /** Default the repository's models/kyc/face/ (manifest.json and the .onnx files). */
  modelsDir?: string;
  /** Detector post-processing (score threshold, NMS overlap, smallest face). */
  detector?: FacePostprocessOptions;
  /** Where the eyes go in the embedding crop (default FACERES_TEMPLATE). */
  alignTemplate?: AlignTemplate;
  /**
   * The embedding, anti-spoof and liveness weights carry no verified upstream licence (manifest
   * sandboxOnly). Production configuration must set this false, and the engine then refuses them.
   */
  allowSandboxModels?: boolean;
};

export type FaceEngineDescription = {
  detector: TensorModelDescription;
  embedding: TensorModelDescription;
  antispoof: TensorModelDescription;
  liveness: TensorModelDescription;
  embeddingSize: number;
};

export type FaceEngine = {
  /** Faces in the image, best first (none: an empty list; callers map that to FACE_NOT_FOUND). */
  detect(image: RgbImage): Promise<FaceBox[]>;
  /** The 1024-value faceres descriptor of the face, aligned by its eyes. */
  embed(image: RgbImage, face: FaceBox): Promise<Float32Array>;
  /** Passive anti-spoofing score, 0 (spoof) .. 1 (live), from the antispoof model. */
  antiSpoof(image: RgbImage, face: FaceBox): Promise<number>;
  /** The liveness (livenessnet) model's "live" probability, 0..1: a second passive signal. */
  passiveLiveness(image: RgbImage, face: FaceBox): Promise<number>;
  /** detect() plus the eye-openness signal of the first face: one frame for checkActiveLiveness. */
  livenessFrame(image: RgbImage): Promise<LivenessFrame>;
  describe(): FaceEngineDescription;
  close(): Promise<void>;
};

/** Eyes placed wider apart than for faceres: the anti-spoof models saw loose face crops. */
const SPOOF_TEMPLATE: AlignTemplate = { size: 128, eyeDistance: 0.3, eyeY: 0.4 };
const LIVENESS_TEMPLATE: AlignTemplate = { size: 32, eyeDistance: 0.3, eyeY: 0.4 };
const DETECTOR_SIZE = 128;

export function readFaceManifest(modelsDir = FACE_MODELS_DIR): FaceManifest {
  return JSON.parse(readFileSync(join(modelsDir, 'manifest.json'), 'utf8')) as FaceManifest;
}

/**
 * Opens the four face models through @baas/inference (sha256 from manifest.json checked at load,
 * CUDA when configured and present, CPU otherwise) and wires the pure face domain around them.
 */
export async function createFaceEngine(opts: CreateFaceEngineOptions = {}): Promise<FaceEngine> {
  const dir = opts.modelsDir ?? FACE_MODELS_DIR;
  const manifest = readFaceManifest(dir);
  const { modelsDir: _d, detector: postprocess, alignTemplate, allowSandboxModels, ...sessionOptions } = opts;
  for (const key of ['embedding', 'antispoof', 'liveness'] as const) {
    if (manifest[key].sandboxOnly && allowSandboxModels === false) {
      throw new Error(`face model ${manifest[key].name} is marked sandboxOnly (unverified licence); refusing it`);
    }
  }
  const open = (e: ManifestEntry, size: number) =>
    openTensorModel(
      { name: e.name, version: e.version, path: join(dir, e.file), sha256: e.sha256 },
      { ...sessionOptions, warmUp: { [e.inputs[0]!.name]: { data: new Float32Array(size * size * 3), dims: [1, size, size, 3] } } },
    );
  const models: TensorModel[] = [];
  try {
    models.push(await open(manifest.detector, DETECTOR_SIZE));
    models.push(await open(manifest.embedding, (alignTemplate ?? FACERES_TEMPLATE).size));
    models.push(await open(manifest.antispoof, SPOOF_TEMPLATE.size));
    models.push(await open(manifest.liveness, LIVENESS_TEMPLATE.size));
  } catch (error) {
    await Promise.all(models.map((m) => m.close()));
    throw error;
  }
  const [detector, embedding, antispoof, liveness] = models as [TensorModel, TensorModel, TensorModel, TensorModel];
  const template = alignTemplate ?? FACERES_TEMPLATE;
  const inputOf = (e: ManifestEntry) => e.inputs[0]!.name;
  const outputsOf = (e: ManifestEntry) => e.outputs.map((o) => o.name);
  const embeddingOutput = manifest.embedding.outputs.find((o) => o.shape[1] === 1024)?.name ?? 'global_pooling/Mean';

  const detect = async (image: RgbImage): Promise<FaceBox[]> => {
    const input = letterboxTensor(image, DETECTOR_SIZE, -1, 1);
    const [s16, s8, b16, b8] = outputsOf(manifest.detector) as [string, string, string, string];
    const out = await detector.run({ [inputOf(manifest.detector)]: { data: input, dims: [1, DETECTOR_SIZE, DETECTOR_SIZE, 3] } });
    return facesFromBlazeFace(
      { scores16: out[s16]!.data, scores8: out[s8]!.data, boxes16: out[b16]!.data, boxes8: out[b8]!.data },
      letterboxOf(image),
      postprocess,
    );
  };

  const runCrop = async (model: TensorModel, e: ManifestEntry, crop: RgbImage, max: number, output: string) => {
    const out = await model.run({ [inputOf(e)]: { data: imageTensor(crop, max), dims: [1, crop.height, crop.width, 3] } }, [output]);
    return out[output]!.data;
  };

  return {
    detect,
    async embed(image, face) {
      const data = await runCrop(embedding, manifest.embedding, alignFace(image, face, template), 255, embeddingOutput);
      return Float32Array.from(data);
    },
    async antiSpoof(image, face) {
      const data = await runCrop(antispoof, manifest.antispoof, alignFace(image, face, SPOOF_TEMPLATE), 1, outputsOf(manifest.antispoof)[0]!);
      return clamp01(data[0]!);
    },
    async passiveLiveness(image, face) {
      const data = await runCrop(liveness, manifest.liveness, alignFace(image, face, LIVENESS_TEMPLATE), 1, outputsOf(manifest.liveness)[0]!);
      // @vladmandic/human reports the first softmax value as "live".
      return clamp01(data[0]!);
    },
    async livenessFrame(image) {
      const faces = await detect(image);
      return faces.length > 0 ? { faces, eyeOpenness: eyeOpenness(image, faces[0]!) } : { faces };
    },
    describe() {
      return { detector: detector.describe(), embedding: embedding.describe(), antispoof: antispoof.describe(), liveness: liveness.describe(), embeddingSize: 1024 };
    },
    async close() {
      await Promise.all(models.map((m) => m.close()));
    },
  };
}

function clamp01(v: number): number {
  return Number.isFinite(v) ? Math.min(1, Math.max(0, v)) : 0;
}
