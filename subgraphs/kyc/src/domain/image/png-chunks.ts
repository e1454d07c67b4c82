/**
 * PNG's container checked before decoding: pngjs's synchronous reader ignores a stream that ends
 * inside a chunk and decodes what came before it, so a truncated upload could pass as an image.
 * Here every chunk must fit, carry a matching CRC-32, start with IHDR, hold at least one IDAT,
 * and end with IEND exactly at the last byte (nothing appended: no polyglot files).
 */

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32 (ISO 3309 / ITU-T V.42, as the PNG specification defines it) of `bytes`. */
export function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

const SIGNATURE_LENGTH = 8;
/** The specification caps a chunk's length at 2^31 - 1. */
const MAX_CHUNK_LENGTH = 0x7fffffff;

/** True when `bytes` (starting with the PNG signature) is a complete, uncorrupted chunk sequence. */
export function pngChunksIntact(bytes: Uint8Array): boolean {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = SIGNATURE_LENGTH;
  let first = true;
  let sawData = false;
  while (at + 12 <= bytes.length) {
    const length = view.getUint32(at);
    if (length > MAX_CHUNK_LENGTH || at + 12 + length > bytes.length) return false;
    const typeAndData = bytes.subarray(at + 4, at + 8 + length);
    if (crc32(typeAndData) !== view.getUint32(at + 8 + length)) return false;
    const type = String.fromCharCode(...typeAndData.subarray(0, 4));
    if (first && type !== 'IHDR') return false;
    first = false;
    if (type === 'IDAT') sawData = true;
    at += 12 + length;
    if (type === 'IEND') return sawData && length === 0 && at === bytes.length;
  }
  return false;
}
