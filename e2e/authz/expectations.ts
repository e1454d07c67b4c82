import assert from 'node:assert/strict';
import type { GraphQLResponse } from '@baas/sdk';

/** A non-null scalar found in a response, with where it was. */
export type Leaf = { path: string; value: unknown };

/**
 * Every non-null scalar under `value` (objects and lists walked; `__typename` skipped). Empty lists and
 * nulls carry no data. `ignore(path, value)` drops leaves that are not data (an id the caller sent).
 */
export function leaves(value: unknown, ignore: (path: string, value: unknown) => boolean = () => false, path = ''): Leaf[] {
  if (value === null || value === undefined) return [];
  if (Array.isArray(value)) return value.flatMap((item, i) => leaves(item, ignore, `${path}[${i}]`));
  if (typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>).flatMap(([key, inner]) =>
      key === '__typename' ? [] : leaves(inner, ignore, path ? `${path}.${key}` : key),
    );
  }
  return ignore(path, value) ? [] : [{ path, value }];
}

/** The first leaves of a leak, for a failure message that stays readable. */
export function brief(found: readonly Leaf[], max = 6): string {
  const shown = found.slice(0, max).map((l) => `${l.path}=${JSON.stringify(l.value)}`);
  return found.length > max ? `${shown.join(', ')} (+${found.length - max} more)` : shown.join(', ');
}

export const codesOf = (res: Pick<GraphQLResponse<unknown>, 'errors'>): string[] => (res.errors ?? []).map((e) => String(e.extensions?.code));

const show = (res: unknown) => String(JSON.stringify(res, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))).slice(0, 1500);

/**
 * The response refused the caller and gave nothing away: at least one error, every error's code in
 * `codes`, and no data at all (every value null or an empty list).
 */
export function assertDenied(res: GraphQLResponse<unknown>, codes: readonly string[], what: string): void {
  const got = codesOf(res);
  assert.ok(got.length > 0, `${what}: expected ${codes.join('|')}, got no error: ${show(res)}`);
  for (const code of got) assert.ok(codes.includes(code), `${what}: expected ${codes.join('|')}, got ${code}: ${show(res.errors)}`);
  const found = leaves(res.data);
  assert.ok(found.length === 0, `LEAK ${what}: data came back with the denial: ${brief(found)}`);
}

/** The response answered without errors (a positive control: the fixture exists and the query is right). */
export function assertAnswered<T>(res: GraphQLResponse<T>, what: string): T {
  assert.equal(res.errors, undefined, `${what}: ${show(res.errors)}`);
  assert.ok(res.data, `${what}: no data`);
  return res.data;
}
