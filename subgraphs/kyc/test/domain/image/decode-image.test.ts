import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import jpeg from 'jpeg-js';
import { crc32, decodeImage, imageErrorReason, MAX_IMAGE_PIXELS, pngChunksIntact, sniffImageType, type ImageErrorReason } from '../../../src/domain/image/index';

type PngModule = { PNG: { sync: { write(png: { width: number; height: number; data: Buffer }): Buffer } } };
const { PNG } = createRequire(import.meta.url)('pngjs') as PngModule;

/** A w x h RGBA image: pixel (x, y) = (x * 10, y * 20, 7, alpha). */
function rgba(w: number, h: number, alpha = 255): Buffer {
  const data = Buffer.alloc(w * h * 4);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) data.set([x * 10, y * 20, 7, alpha], (y * w + x) * 4);
  return data;
}
const png = (w: number, h: number, alpha = 255) => new Uint8Array(PNG.sync.write({ width: w, height: h, data: rgba(w, h, alpha) }));
const jpg = (w: number, h: number) => new Uint8Array(jpeg.encode({ width: w, height: h, data: rgba(w, h) }, 95).data);

function refused(bytes: Uint8Array, reason: ImageErrorReason, opts?: { maxPixels?: number }) {
  assert.throws(() => decodeImage(bytes, opts), (err) => {
    assert.equal(imageErrorReason(err), reason);
    return true;
  });
}

describe('sniffImageType', () => {
  it('knows PNG and JPEG by their magic bytes only', () => {
    assert.equal(sniffImageType(png(2, 2)), 'png');
    assert.equal(sniffImageType(jpg(8, 8)), 'jpeg');
    assert.equal(sniffImageType(new TextEncoder().encode('GIF89a......')), undefined);
    assert.equal(sniffImageType(new Uint8Array([0x89, 0x50])), undefined);
    assert.equal(sniffImageType(new Uint8Array()), undefined);
  });
});

describe('decodeImage', () => {
  it('decodes a PNG to exact RGB pixels', () => {
    const img = decodeImage(png(4, 3));
    assert.deepEqual([img.width, img.height, img.data.length], [4, 3, 36]);
    assert.deepEqual([...img.data.subarray(0, 6)], [0, 0, 7, 10, 0, 7]);
    const last = (2 * 4 + 3) * 3;
    assert.deepEqual([...img.data.subarray(last, last + 3)], [30, 40, 7]);
  });

  it('composites a transparent PNG on white', () => {
    const img = decodeImage(png(2, 2, 0));
    assert.ok(img.data.every((v) => v === 255));
  });

  it('decodes a JPEG to RGB close to what was encoded', () => {
    const img = decodeImage(jpg(16, 8));
    assert.deepEqual([img.width, img.height, img.data.length], [16, 8, 16 * 8 * 3]);
    const px = (5 * 16 + 10) * 3;
    assert.ok(Math.abs(img.data[px]! - 100) <= 12 && Math.abs(img.data[px + 1]! - 100) <= 12, `pixel ${[...img.data.subarray(px, px + 3)]}`);
  });

  it('refuses random bytes, text and other image types as KYC_IMAGE_UNSUPPORTED (BAD_USER_INPUT)', () => {
    refused(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9]), 'KYC_IMAGE_UNSUPPORTED');
    refused(new TextEncoder().encode('GIF89a\x01\x00\x01\x00'), 'KYC_IMAGE_UNSUPPORTED');
    refused(new Uint8Array(), 'KYC_IMAGE_UNSUPPORTED');
    assert.throws(() => decodeImage(new Uint8Array(4)), { name: 'DomainError', code: 'BAD_USER_INPUT' });
  });

  it('refuses a truncated PNG, a PNG with a flipped byte, and a bare signature as KYC_IMAGE_CORRUPT', () => {
    const good = png(32, 32);
    refused(good.subarray(0, Math.floor(good.length / 2)), 'KYC_IMAGE_CORRUPT');
    refused(good.subarray(0, 8), 'KYC_IMAGE_CORRUPT');
    const flipped = good.slice();
    flipped[flipped.length - 20]! ^= 0xff; // inside the IDAT data: its CRC no longer matches
    refused(flipped, 'KYC_IMAGE_CORRUPT');
  });

  it('refuses every strict prefix of a valid PNG (pngjs alone decoded some cuts inside IDAT)', () => {
    const good = png(32, 32);
    for (let cut = 0; cut < good.length; cut++) {
      refused(good.subarray(0, cut), cut < 8 ? 'KYC_IMAGE_UNSUPPORTED' : 'KYC_IMAGE_CORRUPT');
    }
    assert.equal(decodeImage(good).width, 32);
  });

  it('refuses a PNG with any one byte changed after its signature, or bytes after IEND (fast-check)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 48 }), fc.integer({ min: 1, max: 48 }), fc.nat(), fc.integer({ min: 1, max: 255 }), (w, h, at, xor) => {
        const bytes = png(w, h).slice();
        const i = 8 + (at % (bytes.length - 8));
        bytes[i]! ^= xor;
        const view = new DataView(bytes.buffer);
        const claimed = view.getUint32(16) * view.getUint32(20); // the header is read (and sized) first
        refused(bytes, claimed > MAX_IMAGE_PIXELS ? 'KYC_IMAGE_TOO_LARGE' : 'KYC_IMAGE_CORRUPT');
      }),
      { numRuns: 300 },
    );
    const good = png(8, 8);
    const trailing = new Uint8Array(good.length + 4);
    trailing.set(good);
    refused(trailing, 'KYC_IMAGE_CORRUPT');
  });

  it('pngChunksIntact: CRC-32 as PNG defines it (the check value of "123456789" is 0xCBF43926)', () => {
    assert.equal(crc32(new TextEncoder().encode('123456789')), 0xcbf43926);
    assert.equal(crc32(new Uint8Array()), 0);
    assert.equal(pngChunksIntact(png(3, 3)), true);
  });

  it('refuses a truncated or garbled JPEG as KYC_IMAGE_CORRUPT', () => {
    const good = jpg(32, 32);
    refused(good.subarray(0, 20), 'KYC_IMAGE_CORRUPT');
    refused(new Uint8Array([0xff, 0xd8, 0xff, 0x00, 0x11, 0x22]), 'KYC_IMAGE_CORRUPT');
  });

  it('refuses a PNG whose header claims more pixels than allowed before inflating anything (KYC_IMAGE_TOO_LARGE)', () => {
    const bomb = png(2, 2).slice();
    const view = new DataView(bomb.buffer);
    view.setUint32(16, 100_000); // IHDR width and height: 10^10 pixels
    view.setUint32(20, 100_000);
    assert.throws(() => decodeImage(bomb), { name: 'DomainError', code: 'PAYLOAD_TOO_LARGE' });
    refused(bomb, 'KYC_IMAGE_TOO_LARGE');
    refused(png(20, 20), 'KYC_IMAGE_TOO_LARGE', { maxPixels: 399 });
    assert.equal(decodeImage(png(20, 20), { maxPixels: 400 }).width, 20);
  });

  it('refuses a JPEG above the pixel limit (jpeg-js maxResolutionInMP) with KYC_IMAGE_TOO_LARGE', () => {
    refused(jpg(64, 64), 'KYC_IMAGE_TOO_LARGE', { maxPixels: 1000 });
  });

  it('never throws anything but a coded image error, whatever the bytes (property)', () => {
    const header = fc.constantFrom(new Uint8Array(), png(1, 1).subarray(0, 8), new Uint8Array([0xff, 0xd8, 0xff]), png(3, 3).subarray(0, 33));
    fc.assert(
      fc.property(header, fc.uint8Array({ maxLength: 300 }), (head, tail) => {
        const bytes = new Uint8Array([...head, ...tail]);
        try {
          const img = decodeImage(bytes, { maxPixels: 1_000_000 });
          assert.equal(img.data.length, img.width * img.height * 3);
        } catch (err) {
          assert.ok(imageErrorReason(err), `uncoded error: ${String(err)}`);
        }
      }),
      { numRuns: 300 },
    );
  });
});
