/** The CBOR subset WebAuthn needs (RFC 8949): unsigned and negative ints, byte and text strings, arrays, maps. */
export type CborValue = number | string | Uint8Array | CborValue[] | Map<number | string, CborValue>;

/**
 * Encodes with the shortest head for every length and integer, as CTAP2 canonical CBOR requires;
 * maps keep insertion order, so callers insert keys in canonical order.
 */
export function encodeCbor(value: CborValue): Buffer {
  const chunks: Buffer[] = [];
  const write = (v: CborValue): void => {
    if (typeof v === 'number') {
      if (!Number.isSafeInteger(v)) throw new Error(`CBOR: only integers are supported, got ${v}`);
      chunks.push(v >= 0 ? head(0, v) : head(1, -1 - v));
    } else if (typeof v === 'string') {
      const bytes = Buffer.from(v, 'utf8');
      chunks.push(head(3, bytes.length), bytes);
    } else if (v instanceof Uint8Array) {
      chunks.push(head(2, v.length), Buffer.from(v));
    } else if (Array.isArray(v)) {
      chunks.push(head(4, v.length));
      v.forEach(write);
    } else {
      chunks.push(head(5, v.size));
      for (const [k, item] of v) {
        write(k);
        write(item);
      }
    }
  };
  write(value);
  return Buffer.concat(chunks);
}

function head(major: number, n: number): Buffer {
  const m = major << 5;
  if (n < 24) return Buffer.from([m | n]);
  if (n < 0x100) return Buffer.from([m | 24, n]);
  if (n < 0x10000) {
    const b = Buffer.alloc(3);
    b[0] = m | 25;
    b.writeUInt16BE(n, 1);
    return b;
  }
  if (n < 0x100000000) {
    const b = Buffer.alloc(5);
    b[0] = m | 26;
    b.writeUInt32BE(n, 1);
    return b;
  }
  const b = Buffer.alloc(9);
  b[0] = m | 27;
  b.writeBigUInt64BE(BigInt(n), 1);
  return b;
}
