import { CompactSign, calculateJwkThumbprint, compactVerify, createLocalJWKSet, decodeProtectedHeader, exportJWK, generateKeyPair, importPKCS8, type JSONWebKeySet, type JWK } from 'jose';
import { locationChargeOf, locationPayload, type StoredCharge } from '../domain/pix-charges';

/**
 * Signs charge payloads as the BCB's API Pix location serves them: a JWS (compact serialization,
 * ES256 on P-256) whose protected header carries the key id (`kid`, the JWK thumbprint) and `jku`,
 * the URL of our public JWKS (`<origin of PIX_LOCATION_BASE_URL>/pix/v2/jwks`).
 */
export type ChargeSigner = {
  /** The compact JWS of `payload` (JSON). */
  sign(payload: Record<string, unknown>): Promise<string>;
  /** The public keys payers verify with. */
  jwks(): JSONWebKeySet;
  /** Where the JWKS is served (the header's `jku`). */
  readonly jwksUrl: string;
};

const ALG = 'ES256';
/** The JWKS path under the location base URL's origin. */
export const JWKS_PATH = '/pix/v2/jwks';

/** The JWKS URL for a location base URL: its origin + /pix/v2/jwks. */
export function jwksUrlOf(locationBaseUrl: string): string {
  return new URL(JWKS_PATH, new URL(locationBaseUrl).origin).toString();
}

/**
 * A signer with the PKCS#8 PEM EC P-256 key `privateKeyPem` (PIX_JWS_PRIVATE_KEY), or a fresh key made
 * for this process when absent (development: signatures then change at every restart).
 */
export async function createChargeSigner(opts: { privateKeyPem?: string | undefined; locationBaseUrl: string }): Promise<ChargeSigner> {
  const privateKey = opts.privateKeyPem
    ? await importPKCS8(opts.privateKeyPem, ALG, { extractable: true })
    : (await generateKeyPair(ALG, { extractable: true })).privateKey;
  const { d: _secret, ...publicJwk } = await exportJWK(privateKey);
  if (publicJwk.kty !== 'EC' || publicJwk.crv !== 'P-256') throw new Error('PIX_JWS_PRIVATE_KEY must be an EC P-256 key');
  const kid = await calculateJwkThumbprint(publicJwk);
  const jwk: JWK = { ...publicJwk, kid, alg: ALG, use: 'sig' };
  const jwksUrl = jwksUrlOf(opts.locationBaseUrl);
  return {
    jwksUrl,
    jwks: () => ({ keys: [{ ...jwk }] }),
    sign: (payload) =>
      new CompactSign(new TextEncoder().encode(JSON.stringify(payload)))
        .setProtectedHeader({ alg: ALG, kid, jku: jwksUrl, typ: 'JWT' })
        .sign(privateKey),
  };
}

/**
 * The payer's side: verifies a charge's JWS with the receiver's JWKS (ES256 only) and returns its
 * payload. Throws when the signature, the key or the JSON is not valid.
 */
export async function verifyChargeJws(jws: string, jwks: JSONWebKeySet): Promise<Record<string, unknown>> {
  const { payload } = await compactVerify(jws, createLocalJWKSet(jwks), { algorithms: [ALG] });
  const parsed: unknown = JSON.parse(new TextDecoder().decode(payload));
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('The charge payload is not a JSON object');
  return parsed as Record<string, unknown>;
}

/** The JWS of a stored charge as its location serves it at `at` (domain/pix-charges' locationPayload, signed). */
export function signCharge(signer: Pick<ChargeSigner, 'sign'>, row: StoredCharge, at: Date): Promise<string> {
  return signer.sign(locationPayload(locationChargeOf(row), at));
}

/**
 * The payer's side for another PSP's location: fetches the charge's JWS from `location` (a dynamic BR
 * Code's URL; https unless it names its scheme), then the JWKS its `jku` header names, which must be on
 * the location's own origin (else anyone could sign for it), and verifies it. Each request times out
 * after `timeoutMs` (default 2 s); redirects are refused. Only https unless `allowHttp` (development
 * and tests: a payer-supplied URL fetched from the server is a request-forgery risk, so plain http to
 * anywhere is never the default). Throws on any failure (unreachable, not 200, bad signature).
 */
export async function fetchVerifiedCharge(location: string, opts: { fetchImpl?: typeof fetch; timeoutMs?: number; allowHttp?: boolean } = {}): Promise<Record<string, unknown>> {
  const get = opts.fetchImpl ?? fetch;
  const timeoutMs = opts.timeoutMs ?? 2_000;
  const url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(location) ? location : `https://${location}`);
  if (url.protocol !== 'https:' && !(opts.allowHttp && url.protocol === 'http:')) throw new Error('A charge location is an https URL');
  const read = async (target: URL, accept: string): Promise<string> => {
    const res = await get(target, { headers: { accept }, redirect: 'error', signal: AbortSignal.timeout(timeoutMs) });
    if (res.status !== 200) throw new Error(`The location answered ${res.status}`);
    return res.text();
  };
  const jws = (await read(url, 'application/jose')).trim();
  const { jku } = decodeProtectedHeader(jws);
  if (typeof jku !== 'string') throw new Error('The charge JWS names no jku');
  const jwksUrl = new URL(jku, url);
  if (jwksUrl.origin !== url.origin) throw new Error('The charge JWS names a JWKS on another origin');
  const jwks: unknown = JSON.parse(await read(jwksUrl, 'application/json'));
  if (!jwks || typeof jwks !== 'object' || !Array.isArray((jwks as JSONWebKeySet).keys)) throw new Error('The JWKS is malformed');
  return verifyChargeJws(jws, jwks as JSONWebKeySet);
}
