// Shared by the benchmarks: the platform in a child process (bench/serve-platform.ts) and a tiny
// GraphQL-over-HTTP poster.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Identity } from '@baas/auth';

export type Served = {
  gatewayUrl: string;
  subgraphUrls: Record<string, string>;
  internalSecret: string;
  /** A customer's access token (one hour). */
  token: string;
  operatorToken: string;
  identity: Identity;
  ids: { tenant: string; customer: string; account: string };
};

/** Starts the platform in a child process; resolves once it printed where it listens. */
export async function servePlatform(): Promise<{ served: Served; child: ChildProcess }> {
  const child = spawn(process.execPath, ['--import', 'tsx', new URL('./serve-platform.ts', import.meta.url).pathname], { stdio: ['ignore', 'pipe', 'inherit'] });
  const served = await new Promise<Served>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`platform exited with ${code}`)));
    createInterface({ input: child.stdout! }).once('line', (line) => resolve(JSON.parse(line) as Served));
  });
  return { served, child };
}

export type Body = { data?: Record<string, any>; errors?: { message: string; extensions?: { code?: string } }[] };

export async function post(url: string, headers: Record<string, string>, query: string, variables: unknown = {}): Promise<Body> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query, variables }) });
  return (await res.json()) as Body;
}

/** The data, or a thrown error naming what failed (fixtures must not fail silently). */
export function must(body: Body, what: string): Record<string, any> {
  if (body.errors || !body.data) throw new Error(`${what}: ${JSON.stringify(body.errors)}`);
  return body.data;
}
