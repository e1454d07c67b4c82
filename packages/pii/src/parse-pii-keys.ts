import { assertKeyId, decodeKey } from './decode-key';
import { PiiError, isPiiError } from './errors';

/**
 * Parses a config value `"k1:<base64>,k2:<base64>"` into `{ k1: '<base64>', k2: '<base64>' }`,
 * checking each id and that each key is 32 bytes. Zod-free so @baas/config can wrap it in a
 * transform; errors are PiiError INVALID_KEY_SPEC and name the entry, never the key.
 */
export function parsePiiKeys(spec: string): Record<string, string> {
  if (typeof spec !== 'string' || spec.trim() === '') {
    throw new PiiError('INVALID_KEY_SPEC', 'PII key spec is empty; expected "id:<base64>[,id:<base64>...]"');
  }
  const keys = new Map<string, string>();
  spec.split(',').forEach((rawEntry, index) => {
    const entry = rawEntry.trim();
    const colon = entry.indexOf(':');
    if (colon < 0) {
      throw new PiiError('INVALID_KEY_SPEC', `PII key entry #${index + 1} has no ":"; expected "id:<base64>"`);
    }
    const keyId = entry.slice(0, colon).trim();
    const base64 = entry.slice(colon + 1).trim();
    try {
      assertKeyId({ keyId });
      decodeKey({ base64, label: `PII key "${keyId}"` });
    } catch (error) {
      if (!isPiiError(error)) throw error;
      throw new PiiError('INVALID_KEY_SPEC', `PII key entry #${index + 1}: ${error.message}`, { cause: error });
    }
    if (keys.has(keyId)) {
      throw new PiiError('INVALID_KEY_SPEC', `PII key id "${keyId}" appears more than once`);
    }
    keys.set(keyId, base64);
  });
  // fromEntries defines own properties, so an id such as "__proto__" cannot touch the prototype.
  return Object.fromEntries(keys);
}
