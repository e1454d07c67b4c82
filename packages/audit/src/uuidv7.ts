import { randomBytes } from 'node:crypto';

// RFC 9562 UUIDv7 with a 12-bit counter in rand_a ("method 1"): ids minted by one process sort in
// the order they were minted, even within a millisecond or when the clock steps back.
let lastMs = 0;
let counter = 0;

/** A time-ordered UUID (version 7), lower-case; string order is creation order within a process. */
export function uuidv7(now: number = Date.now()): string {
  const bytes = randomBytes(16);
  if (now > lastMs) {
    lastMs = now;
    // Seeded with 11 random bits so there is headroom for at least 2048 more ids in this millisecond.
    counter = ((bytes[6]! & 0x07) << 8) | bytes[7]!;
  } else if (++counter > 0xfff) {
    // Counter exhausted: borrow the next millisecond rather than lose the ordering.
    lastMs += 1;
    counter = 0;
  }
  bytes.writeUIntBE(lastMs, 0, 6);
  bytes[6] = 0x70 | (counter >> 8);
  bytes[7] = counter & 0xff;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
