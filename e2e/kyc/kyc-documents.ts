import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import jpeg from 'jpeg-js';

// pngjs ships no types (CommonJS): the two calls used here, typed.
type PngImage = { width: number; height: number; data: Buffer };
const { PNG } = createRequire(import.meta.url)('pngjs') as {
  PNG: { new (o: { width: number; height: number }): PngImage; sync: { read(b: Buffer): PngImage; write(p: PngImage): Buffer } };
};

/**
 * The KYC flow's test images, made from what the repository ships: the rendered documents
 * (models/kyc/documents: known text, a grey photo box) with a face photo (models/kyc/face/samples)
 * pasted into the photo box, and selfies from the same samples. Nothing is downloaded.
 */
const DOCUMENTS = new URL('../../models/kyc/documents/', import.meta.url);
const FACES = new URL('../../models/kyc/face/samples/', import.meta.url);
/** The CNH photo box (render_documents.py: (30, 100) to (270, 420)). */
const CNH_PHOTO = { x: 30, y: 100, width: 240, height: 320 };

type Rgba = { width: number; height: number; data: Uint8Array };

const face = (name: string): Rgba => {
  const d = jpeg.decode(readFileSync(new URL(name, FACES)), { useTArray: true });
  return { width: d.width, height: d.height, data: d.data };
};

/** Bilinear scale of an RGBA image. */
function scale(src: Rgba, width: number, height: number): Rgba {
  const out = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    const sy = Math.min(src.height - 1, ((y + 0.5) * src.height) / height - 0.5);
    const y0 = Math.max(0, Math.floor(sy));
    const y1 = Math.min(src.height - 1, y0 + 1);
    const fy = Math.max(0, sy - y0);
    for (let x = 0; x < width; x++) {
      const sx = Math.min(src.width - 1, ((x + 0.5) * src.width) / width - 0.5);
      const x0 = Math.max(0, Math.floor(sx));
      const x1 = Math.min(src.width - 1, x0 + 1);
      const fx = Math.max(0, sx - x0);
      for (let c = 0; c < 4; c++) {
        const p = (yy: number, xx: number) => src.data[(yy * src.width + xx) * 4 + c]!;
        out[(y * width + x) * 4 + c] = Math.round((p(y0, x0) * (1 - fx) + p(y0, x1) * fx) * (1 - fy) + (p(y1, x0) * (1 - fx) + p(y1, x1) * fx) * fy);
      }
    }
  }
  return { width, height, data: out };
}

const encode = (img: Rgba): Uint8Array => {
  const png = new PNG({ width: img.width, height: img.height });
  png.data = Buffer.from(img.data);
  return new Uint8Array(PNG.sync.write(png));
};

/** A rendered document as it ships (its photo box grey: no face). */
export function documentPng(file: string): Uint8Array {
  return new Uint8Array(readFileSync(new URL(file, DOCUMENTS)));
}

/** A rendered CNH with a face sample pasted into its photo box (scaled to the box's width, centred). */
export function cnhWithFace(file: string, faceFile: string): Uint8Array {
  const png = PNG.sync.read(Buffer.from(documentPng(file)));
  const photo = scale(face(faceFile), CNH_PHOTO.width, CNH_PHOTO.width);
  const top = CNH_PHOTO.y + Math.floor((CNH_PHOTO.height - photo.height) / 2);
  for (let y = 0; y < photo.height; y++) {
    for (let x = 0; x < photo.width; x++) {
      const d = ((top + y) * png.width + CNH_PHOTO.x + x) * 4;
      const s = (y * photo.width + x) * 4;
      png.data[d] = photo.data[s]!;
      png.data[d + 1] = photo.data[s + 1]!;
      png.data[d + 2] = photo.data[s + 2]!;
      png.data[d + 3] = 255;
    }
  }
  return new Uint8Array(PNG.sync.write(png));
}

/** A selfie: a face sample on a plain background (the face about half the picture), as a PNG. */
export function selfiePng(faceFile: string, size = 480): Uint8Array {
  const img = face(faceFile);
  const photo = scale(img, Math.round(size * 0.6), Math.round(size * 0.6));
  const out = new Uint8Array(size * size * 4).fill(235);
  const off = Math.floor((size - photo.width) / 2);
  for (let y = 0; y < photo.height; y++) {
    for (let x = 0; x < photo.width; x++) {
      const d = ((off + y) * size + off + x) * 4;
      const s = (y * photo.width + x) * 4;
      out.set(photo.data.subarray(s, s + 3), d);
      out[d + 3] = 255;
    }
  }
  return encode({ width: size, height: size, data: out });
}

/** The golden fields of a rendered document (what OCR must read). */
export function goldenOf(file: string): { fullName: string; cpf: string; dateOfBirth: string } {
  return (JSON.parse(readFileSync(new URL('golden.json', DOCUMENTS), 'utf8')) as Record<string, { fullName: string; cpf: string; dateOfBirth: string }>)[file]!;
}
