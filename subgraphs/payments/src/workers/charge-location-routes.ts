import type { IncomingMessage, ServerResponse } from 'node:http';
import { isUuid, sendError, sendJson, type Route } from '@baas/server';
import type { PixChargeStore } from '../store/pix-charge-store';
import { JWKS_PATH, signCharge, type ChargeSigner } from './charge-signer';

export type ChargeLocationDeps = {
  charges: Pick<PixChargeStore, 'findByLocationId'>;
  signer: ChargeSigner;
  /** PIX_LOCATION_BASE_URL: its path (default /pix/v2/cob) is where the locations are served. */
  locationBaseUrl: string;
  now?: () => Date;
};

function onlyGet(req: IncomingMessage, res: ServerResponse): boolean {
  const method = (req.method ?? 'GET').toUpperCase();
  if (method === 'GET' || method === 'HEAD') return true;
  sendError(res, 'METHOD_NOT_ALLOWED', `${method} is not allowed here: use GET.`, { headers: { allow: 'GET' } });
  return false;
}

/**
 * The HTTP routes of the dynamic QR codes' locations, for startSubgraph's `routes`:
 * - `GET <base path>/<locationId>` (base path of PIX_LOCATION_BASE_URL, a `/*` prefix route): the
 *   charge as it is now, a JWS (`application/jose`, not cached); 404 NOT_FOUND for an unknown or
 *   malformed id. No authentication, as in the PIX: the random UUID is the bearer capability.
 * - `GET /pix/v2/jwks`: the public keys that verify those JWS.
 * Nothing is logged (the payload holds the receiver's key).
 */
export function chargeLocationRoutes(deps: ChargeLocationDeps): Record<string, Route> {
  const base = new URL(deps.locationBaseUrl).pathname.replace(/\/+$/, '');
  const now = deps.now ?? (() => new Date());
  return {
    [`${base}/*`]: async (req, res) => {
      if (!onlyGet(req, res)) return;
      const id = new URL(req.url ?? '/', 'http://localhost').pathname.slice(base.length + 1);
      const row = isUuid(id) ? await deps.charges.findByLocationId(id.toLowerCase()) : null;
      if (!row) return sendError(res, 'NOT_FOUND', 'Not found.');
      const jws = await signCharge(deps.signer, row, now());
      res.writeHead(200, { 'content-type': 'application/jose', 'content-length': Buffer.byteLength(jws), 'cache-control': 'no-store' });
      res.end(req.method === 'HEAD' ? undefined : jws);
    },
    [JWKS_PATH]: (req, res) => {
      if (!onlyGet(req, res)) return;
      res.setHeader('cache-control', 'public, max-age=300');
      sendJson(res, 200, deps.signer.jwks());
    },
  };
}
