/** An axis-aligned box in the pixels of the image given to the OCR. */
export type TextBox = { x: number; y: number; width: number; height: number };

/** One recognised text line: its text, the mean probability of its characters (0..1), and where it is. */
export type OcrLine = { text: string; confidence: number; box: TextBox };

/** A float32 tensor as @baas/inference takes and gives it. */
export type Tensor = { data: Float32Array; dims: number[] };
