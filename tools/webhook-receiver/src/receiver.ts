import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { Webhook, WebhookVerificationError } from 'standardwebhooks';

/**
 * A local webhook receiver for development and tests: every POST is verified with the
 * `standardwebhooks` library against the secrets it holds (any one may match, as during a
 * rotation), recorded, and answered 204; a bad or missing signature is recorded unverified and
 * answered 400. It can be told to fail the next N deliveries (500, or another status) or to hang
 * (accept and never answer). Bodies over 1 MiB are answered 413 and not recorded.
 */
export type ReceivedWebhook = {
  /** `webhook-id` (the event id). */
  id: string | null;
  /** The body's `type`, when the body is JSON with one. */
  type: string | null;
  /** `webhook-timestamp` in seconds. */
  timestamp: number | null;
  /** `webhook-signature` as sent (space-separated `v1,<base64>`, one per live secret). */
  signature: string | null;
  verified: boolean;
  /** Why verification failed, when it did. */
  error: string | null;
  /** The raw body as received. */
  body: string;
  /** The status this receiver answered (null while hanging). */
  answered: number | null;
  path: string;
  receivedAt: Date;
};

export type WebhookReceiverOptions = {
  port?: number;
  host?: string;
  /** `whsec_` secrets; a delivery verifies if any one matches. */
  secrets: readonly string[];
  /** Fail this many deliveries first (answered `failStatus`). */
  failFirst?: number;
  failStatus?: number;
  /** Accept deliveries and never answer. */
  hang?: boolean;
};

export type WebhookReceiver = {
  url: string;
  port: number;
  /** Everything received, oldest first. */
  readonly received: readonly ReceivedWebhook[];
  /** The verified deliveries only. */
  verified(): ReceivedWebhook[];
  /** Fail the next `n` deliveries with `status` (500 by default). */
  failNext(n: number, status?: number): void;
  /** Start or stop hanging; stopping does not answer requests already held. */
  setHang(hang: boolean): void;
  /** Replace the secrets (a tenant switching to the rotated one). */
  setSecrets(secrets: readonly string[]): void;
  /** Polls until `predicate` holds on what was received, or throws after `timeoutMs`. */
  waitFor(predicate: (received: readonly ReceivedWebhook[]) => boolean, opts?: { timeoutMs?: number; intervalMs?: number }): Promise<ReceivedWebhook[]>;
  /** Forgets what was received. */
  clear(): void;
  close(): Promise<void>;
};

const MAX_BODY_BYTES = 1024 * 1024;

function readType(body: string): string | null {
  try {
    const parsed: unknown = JSON.parse(body);
    const type = (parsed as { type?: unknown } | null)?.type;
    return typeof type === 'string' ? type : null;
  } catch {
    return null;
  }
}

function verify(secrets: readonly string[], body: Buffer, headers: Record<string, string>): string | null {
  if (secrets.length === 0) return 'no secret configured';
  let reason = 'no matching signature';
  for (const secret of secrets) {
    try {
      new Webhook(secret).verify(body, headers, { jsonParse: false });
      return null;
    } catch (err) {
      reason = err instanceof WebhookVerificationError ? err.message : String(err);
    }
  }
  return reason;
}

export async function startWebhookReceiver(opts: WebhookReceiverOptions): Promise<WebhookReceiver> {
  const received: ReceivedWebhook[] = [];
  const sockets = new Set<Socket>();
  let secrets = [...opts.secrets];
  let failLeft = opts.failFirst ?? 0;
  let failStatus = opts.failStatus ?? 500;
  let hang = opts.hang ?? false;

  const server = http.createServer((req, res) => {
    if (req.method !== 'POST') return void res.writeHead(405, { allow: 'POST' }).end();
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        res.writeHead(413, { connection: 'close' }).end();
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on('end', () => {
      if (size > MAX_BODY_BYTES) return;
      const raw = Buffer.concat(chunks);
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(req.headers)) if (typeof value === 'string') headers[name] = value;
      const error = verify(secrets, raw, headers);
      const stamp = Number.parseInt(headers['webhook-timestamp'] ?? '', 10);
      const entry: ReceivedWebhook = {
        id: headers['webhook-id'] ?? null,
        type: readType(raw.toString('utf8')),
        timestamp: Number.isNaN(stamp) ? null : stamp,
        signature: headers['webhook-signature'] ?? null,
        verified: error === null,
        error,
        body: raw.toString('utf8'),
        answered: null,
        path: req.url ?? '/',
        receivedAt: new Date(),
      };
      received.push(entry);
      if (hang) return;
      let status = 204;
      if (error !== null) status = 400;
      else if (failLeft > 0) {
        failLeft--;
        status = failStatus;
      }
      entry.answered = status;
      res.writeHead(status, { 'content-type': 'text/plain' }).end(error ?? '');
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const host = opts.host ?? '127.0.0.1';

  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}/webhooks`,
    port,
    received,
    verified: () => received.filter((r) => r.verified),
    failNext(n, status = 500) {
      failLeft = n;
      failStatus = status;
    },
    setHang(value) {
      hang = value;
    },
    setSecrets(next) {
      secrets = [...next];
    },
    async waitFor(predicate, { timeoutMs = 10_000, intervalMs = 20 } = {}) {
      const deadline = Date.now() + timeoutMs;
      while (!predicate(received)) {
        if (Date.now() > deadline) throw new Error(`webhook receiver: condition not met within ${timeoutMs} ms (${received.length} received)`);
        await new Promise((resolve) => setTimeout(resolve, intervalMs));
      }
      return [...received];
    },
    clear() {
      received.length = 0;
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
