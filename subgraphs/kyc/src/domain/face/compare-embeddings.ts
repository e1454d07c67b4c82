/**
 * Cosine similarity of faceres descriptors (1024 values) at which two faces are the same person.
 * Chosen in the gap between the lowest same-person (0.72) and the highest different-person (0.61)
 * similarity of the committed samples with FACERES_TEMPLATE alignment (models/kyc/face/quality.json,
 * docs/kyc-face.md); a small, in-sample calibration: re-measure on real selfie/document pairs.
 */
export const FACE_MATCH_THRESHOLD = 0.66;

export type EmbeddingComparison = { similarity: number; match: boolean; threshold: number };

/** Cosine similarity in [-1, 1]; 0 when either vector is all zeros. */
export function cosineSimilarity(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new RangeError(`cosine: lengths differ (${a.length} vs ${b.length})`);
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  if (na === 0 || nb === 0) return 0;
  const s = dot / (Math.sqrt(na) * Math.sqrt(nb));
  return Math.max(-1, Math.min(1, s));
}

export function compareEmbeddings(a: ArrayLike<number>, b: ArrayLike<number>, threshold = FACE_MATCH_THRESHOLD): EmbeddingComparison {
  const similarity = cosineSimilarity(a, b);
  return { similarity, match: similarity >= threshold, threshold };
}
