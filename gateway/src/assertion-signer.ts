import { signIdentityAssertion, type Identity } from '@baas/auth';

/**
 * signIdentityAssertion, remembered per verified identity for the current second: the assertion is a
 * pure function of the identity, the secret and the second it is signed in (iat, exp), so an answer
 * from the same second is byte for byte what signing afresh would give. The identity object is the
 * one the token verifier remembers for a token, so a client's requests share it; keyed weakly, so a
 * forgotten token frees its entry. Saves an HMAC and a JSON/base64 encoding on most requests.
 */
export function createAssertionSigner(secret: string, now: () => number = Date.now): (identity: Identity) => Promise<string> {
  const signed = new WeakMap<Identity, { second: number; assertion: Promise<string> }>();
  return (identity) => {
    const second = Math.floor(now() / 1000);
    const hit = signed.get(identity);
    if (hit && hit.second === second) return hit.assertion;
    const assertion = signIdentityAssertion(identity, secret);
    signed.set(identity, { second, assertion });
    return assertion;
  };
}
