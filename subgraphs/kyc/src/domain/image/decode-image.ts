import { createRequire } from 'node:module';
import jpeg from 'jpeg-js';
import { imageError } from './image-errors';
import type { RgbImage } from './rgb-image';
import { pngChunksIntact } from './png-chunks';
import { pngDimensions, sniffImageType } from './sniff-image-type';

/** Refuses images above this many pixels by default (a 40 MP photo is larger than any phone's). */
export const MAX_IMAGE_PIXELS = 40_000_000;
/** jpeg-js's own default: the most memory its decoder may allocate. */
export const MAX_JPEG_MEMORY_MB = 512;

export type DecodeImageOptions = { maxPixels?: number; maxJpegMemoryMb?: number };

type PngModule = {
  PNG: { sync: { read(buffer: Buffer, options?: { checkCRC?: boolean }): { width: number; height: number; data: Buffer } } };
};
// pngjs ships no types; it is CommonJS.
const { PNG } = createRequire(import.meta.url)('pngjs') as PngModule;

/**
 * Decodes an uploaded PNG or JPEG (recognised by its magic bytes) into 8-bit RGB; transparency is
 * composited on white. Throws a DomainError with `details.reason` KYC_IMAGE_UNSUPPORTED (neither
 * type), KYC_IMAGE_TOO_LARGE (more than `maxPixels`, checked from the header before decoding, or
 * jpeg-js's memory limit) or KYC_IMAGE_CORRUPT (a PNG whose chunks are cut short, fail their CRC
 * or trail bytes after IEND; or the decoder failed). EXIF orientation is not applied.
 */
export function decodeImage(bytes: Uint8Array, options: DecodeImageOptions = {}): RgbImage {
  const maxPixels = options.maxPixels ?? MAX_IMAGE_PIXELS;
  const type = sniffImageType(bytes);
  if (type === undefined) throw imageError('KYC_IMAGE_UNSUPPORTED');
  return type === 'png' ? decodePng(bytes, maxPixels) : decodeJpeg(bytes, maxPixels, options.maxJpegMemoryMb ?? MAX_JPEG_MEMORY_MB);
}

function decodePng(bytes: Uint8Array, maxPixels: number): RgbImage {
  const dims = pngDimensions(bytes);
  if (!dims) throw imageError('KYC_IMAGE_CORRUPT', { type: 'png' });
  checkPixels(dims.width, dims.height, maxPixels);
  if (!pngChunksIntact(bytes)) throw imageError('KYC_IMAGE_CORRUPT', { type: 'png' });
  let decoded: { width: number; height: number; data: Buffer };
  try {
    decoded = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), { checkCRC: true });
  } catch {
    throw imageError('KYC_IMAGE_CORRUPT', { type: 'png' });
  }
  const { width, height, data } = decoded;
  if (width < 1 || height < 1 || data.length < width * height * 4) throw imageError('KYC_IMAGE_CORRUPT', { type: 'png' });
  return rgbaToRgb(width, height, data);
}

function decodeJpeg(bytes: Uint8Array, maxPixels: number, maxMemoryMb: number): RgbImage {
  let decoded: { width: number; height: number; data: Uint8Array };
  try {
    decoded = jpeg.decode(bytes, {
      useTArray: true,
      formatAsRGBA: false,
      maxResolutionInMP: maxPixels / 1_000_000,
      maxMemoryUsageInMB: maxMemoryMb,
    });
  } catch (err) {
    const message = err instanceof Error ? err.message : '';
    if (/maxResolutionInMP|maxMemoryUsageInMB|allocate enough memory/.test(message)) throw imageError('KYC_IMAGE_TOO_LARGE', { maxPixels });
    if (/Unsupported color mode/.test(message)) throw imageError('KYC_IMAGE_UNSUPPORTED', { type: 'jpeg' });
    throw imageError('KYC_IMAGE_CORRUPT', { type: 'jpeg' });
  }
  const { width, height, data } = decoded;
  if (width < 1 || height < 1 || data.length !== width * height * 3) throw imageError('KYC_IMAGE_CORRUPT', { type: 'jpeg' });
  checkPixels(width, height, maxPixels);
  return { width, height, data };
}

function checkPixels(width: number, height: number, maxPixels: number): void {
  if (width < 1 || height < 1) throw imageError('KYC_IMAGE_CORRUPT');
  if (width * height > maxPixels) throw imageError('KYC_IMAGE_TOO_LARGE', { maxPixels });
}

function rgbaToRgb(width: number, height: number, rgba: Uint8Array): RgbImage {
  const n = width * height;
  const data = new Uint8Array(n * 3);
  for (let i = 0; i < n; i++) {
    const a = rgba[i * 4 + 3]!;
    for (let c = 0; c < 3; c++) {
      const v = rgba[i * 4 + c]!;
      data[i * 3 + c] = a === 255 ? v : Math.round((v * a + 255 * (255 - a)) / 255);
    }
  }
  return { width, height, data };
}
