/**
 * A device identifier the client app sends (`x-device-id`: an install id or a device fingerprint
 * from the fintech's mobile or web SDK), forwarded by the gateway to subgraphs as is, for risk
 * signals (a new device before a large payment). It is the client's claim, never proof of who
 * calls: it authenticates nothing and is not signed. Anything but 8-128 URL-safe characters is
 * dropped, so it can never carry markup, spaces or a token-sized secret into logs or the graph.
 */
export const DEVICE_ID_HEADER = 'x-device-id';

const DEVICE_ID = /^[A-Za-z0-9._:=+/-]{8,128}$/;

/** The device id when well formed, else null. */
export function sanitizeDeviceId(value: string | string[] | undefined | null): string | null {
  const one = Array.isArray(value) ? value[0] : value;
  return typeof one === 'string' && DEVICE_ID.test(one) ? one : null;
}
