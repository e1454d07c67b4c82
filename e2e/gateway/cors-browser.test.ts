import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createGateway, gatewayConfigSchema, type RunningGateway } from '@baas/gateway';
import { createLogger } from '@baas/observability';

/** A Chromium binary on PATH (scripts/test.sh installs the Debian package), or CHROMIUM_PATH. */
function findChromium(): string | undefined {
  for (const name of [process.env.CHROMIUM_PATH, 'chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable']) {
    if (!name) continue;
    try {
      return execFileSync('sh', ['-c', `command -v "${name}"`], { encoding: 'utf8' }).trim() || undefined;
    } catch {
      // not this one
    }
  }
  return undefined;
}

const chromium = findChromium();
const skip = chromium ? false : 'no chromium binary on PATH (apt-get install -y chromium, or set CHROMIUM_PATH): the browser CORS test needs one';

/** A page whose script calls the gateway cross-origin (JSON POST: a preflight first) and writes the outcome into the DOM. */
const page = (gatewayUrl: string) => `<!doctype html><html><body><pre id="result">pending</pre><script>
fetch(${JSON.stringify(gatewayUrl)}, { method: 'POST', headers: { 'content-type': 'application/json', 'x-request-id': 'browser-cors-1' },
  body: JSON.stringify({ query: '{ __typename }' }) })
  .then((r) => r.json().then((b) => { document.getElementById('result').textContent = 'OK ' + r.status + ' ' + JSON.stringify(b) + ' ' + r.headers.get('x-request-id'); }))
  .catch((e) => { document.getElementById('result').textContent = 'FAILED ' + e.name; });
</script></body></html>`;

async function servePage(html: () => string): Promise<{ server: Server; origin: string }> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(html());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** Opens the page in headless Chromium and returns the DOM once the page's fetch settled (virtual time waits for the network). */
function openInChromium(url: string, profile: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      chromium!,
      ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run', `--user-data-dir=${profile}`, '--virtual-time-budget=10000', '--dump-dom', url],
      { timeout: 30_000, encoding: 'utf8' },
      (error, stdout) => (error ? reject(error) : resolve(stdout)),
    );
  });
}

const resultOf = (dom: string) => /<pre id="result">([^<]*)<\/pre>/.exec(dom)?.[1];

describe('gateway CORS in a real browser (headless Chromium, a page on another origin)', { skip }, () => {
  let gateway: RunningGateway;
  let allowedPage: Awaited<ReturnType<typeof servePage>>;
  let otherPage: Awaited<ReturnType<typeof servePage>>;
  let profile: string;

  before(async () => {
    let gatewayUrl = '';
    allowedPage = await servePage(() => page(gatewayUrl));
    otherPage = await servePage(() => page(gatewayUrl));
    profile = mkdtempSync(join(tmpdir(), 'cors-chromium-'));
    // `{ __typename }` needs no subgraph: the gateway alone, with the allowed page's origin (exactly).
    gateway = await createGateway(
      gatewayConfigSchema.parse({
        NODE_ENV: 'test',
        PORT: '0',
        INTERNAL_IDENTITY_SECRET: 'browser-cors-test-secret-0123456789abcdef',
        RATE_LIMIT_PREFIX: `test-cors-browser-${Date.now()}`,
        HEALTH_CHECK_INTERVAL_MS: '60000',
        GATEWAY_CORS_ORIGINS: allowedPage.origin,
      }),
      createLogger({ service: 'gateway', level: 'silent' }),
    );
    gatewayUrl = gateway.url;
  });

  after(async () => {
    await gateway?.stop();
    allowedPage?.server.close();
    otherPage?.server.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  it('a page on the allowed origin reads the answer (preflight passed, x-request-id exposed)', async () => {
    const result = resultOf(await openInChromium(`${allowedPage.origin}/`, join(profile, 'a')));
    assert.equal(result, 'OK 200 {"data":{"__typename":"Query"}} browser-cors-1');
  });

  it('a page on any other origin cannot call it (the preflight is refused: the fetch fails)', async () => {
    const result = resultOf(await openInChromium(`${otherPage.origin}/`, join(profile, 'b')));
    assert.equal(result, 'FAILED TypeError');
  });
});
