import { existsSync } from 'node:fs';
import { InferenceSession } from 'onnxruntime-node';

/** What the configuration asks for: `auto` tries CUDA only when a GPU is present. */
export type ProviderPreference = 'auto' | 'cuda' | 'cpu';
/** What the session runs on. */
export type ExecutionProvider = 'cuda' | 'cpu';

export type OpenedSession = {
  session: InferenceSession;
  provider: ExecutionProvider;
  /** Why the session runs on CPU although CUDA was tried (the provider failed to load or to run). */
  fallbackReason?: string;
  cudaAttempted: boolean;
};

export type OpenSessionOptions = {
  bytes: Uint8Array;
  preference: ProviderPreference;
  /** Whether this host has an NVIDIA GPU; consulted for `auto` only. */
  gpuPresent: () => boolean;
  /** Runs the new session once (a warm-up); a failure on CUDA falls back to CPU, on CPU it throws. */
  check(session: InferenceSession): Promise<void>;
  cudaDeviceId?: number;
  intraOpNumThreads?: number;
};

/** True when the NVIDIA driver is loaded (Linux): the cheap test behind `auto`. */
export function nvidiaGpuPresent(): boolean {
  return existsSync('/proc/driver/nvidia/version') || existsSync('/dev/nvidia0');
}

/**
 * Opens an onnxruntime session on CUDA when asked for (or, for `auto`, when a GPU is present) and
 * on CPU otherwise. onnxruntime-node ships only the CPU provider; the CUDA one exists only where its
 * install script could fetch it, so a CUDA attempt may fail: then the session is opened on CPU and
 * the reason is returned for readiness, metrics and logs. Only a CPU failure throws.
 */
export async function openSession(opts: OpenSessionOptions): Promise<OpenedSession> {
  const base: InferenceSession.SessionOptions = {
    graphOptimizationLevel: 'all',
    ...(opts.intraOpNumThreads ? { intraOpNumThreads: opts.intraOpNumThreads } : {}),
  };
  const tryCuda = opts.preference === 'cuda' || (opts.preference === 'auto' && opts.gpuPresent());
  let fallbackReason: string | undefined;
  if (tryCuda) {
    let session: InferenceSession | undefined;
    try {
      // CUDA alone: listing 'cpu' after it does not make onnxruntime fall back, it fails the same way.
      session = await InferenceSession.create(opts.bytes, {
        ...base,
        executionProviders: [{ name: 'cuda', deviceId: opts.cudaDeviceId ?? 0 }],
      });
      await opts.check(session);
      return { session, provider: 'cuda', cudaAttempted: true };
    } catch (err) {
      await session?.release().catch(() => undefined);
      fallbackReason = `CUDA execution provider unavailable: ${firstLine(err)}`;
    }
  }
  const session = await InferenceSession.create(opts.bytes, { ...base, executionProviders: ['cpu'] });
  try {
    await opts.check(session);
  } catch (err) {
    await session.release().catch(() => undefined);
    throw err;
  }
  return { session, provider: 'cpu', cudaAttempted: tryCuda, ...(fallbackReason ? { fallbackReason } : {}) };
}

function firstLine(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return (text.split('\n')[0] ?? '').slice(0, 300);
}
