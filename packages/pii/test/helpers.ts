import { createPiiVault, generatePiiKey } from '../src/index';

// Fixed keys per test run: generated, so no key material is committed even for tests.
export const K1 = generatePiiKey();
export const K2 = generatePiiKey();
export const INDEX_KEY = generatePiiKey();

export function vaultWith(options: { activeKeyId: 'k1' | 'k2'; withK2?: boolean }) {
  const keys: Record<string, string> = { k1: K1 };
  if (options.withK2 ?? true) keys.k2 = K2;
  return createPiiVault({ keys, activeKeyId: options.activeKeyId, blindIndexKey: INDEX_KEY });
}

/** `text` with bit `bit` (0-15) of the UTF-16 unit at `index` flipped. */
export function flipBit(text: string, index: number, bit: number): string {
  const code = text.charCodeAt(index) ^ (1 << bit);
  return text.slice(0, index) + String.fromCharCode(code) + text.slice(index + 1);
}
