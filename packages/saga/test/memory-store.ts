// A fenced in-memory SagaStore for the engine's pure tests (the PostgreSQL contract is tested in postgres.test.ts).
import { isFinalStatus, type SagaChange, type SagaRecord, type SagaStore } from '../src/index';

export type Rec = SagaRecord & { log: string[] };
type Row = { -readonly [K in keyof Rec]: Rec[K] } & { leaseUntil: number | null };

export function memoryStore(now = () => Date.now()): SagaStore<Rec> & { rows: Map<string, Row>; insert(id: string, kind: string): void; writes: number } {
  const rows = new Map<string, Row>();
  const view = ({ leaseUntil: _l, ...r }: Row): Rec => ({ ...r, log: [...r.log] });
  const store = {
    rows,
    writes: 0,
    insert(id: string, kind: string) {
      rows.set(id, { id, kind, status: 'RUNNING', step: null, failureCode: null, fence: 0, log: [], leaseUntil: null });
    },
    async find(id: string) {
      const r = rows.get(id);
      return r ? view(r) : null;
    },
    async claim(id: string, leaseMs: number) {
      const r = rows.get(id);
      if (!r || isFinalStatus(r.status) || (r.leaseUntil !== null && r.leaseUntil > now())) return null;
      r.fence++;
      r.leaseUntil = now() + leaseMs;
      return view(r);
    },
    async save(saga: Rec, change: SagaChange, leaseMs: number) {
      const r = rows.get(saga.id);
      if (!r || r.fence !== saga.fence) return null;
      store.writes++;
      Object.assign(r, change);
      r.leaseUntil = isFinalStatus(r.status) ? null : now() + leaseMs;
      return view(r);
    },
    async renew(saga: Rec, leaseMs: number) {
      const r = rows.get(saga.id);
      if (!r || r.fence !== saga.fence || isFinalStatus(r.status)) return null;
      r.leaseUntil = now() + leaseMs;
      return view(r);
    },
    async release(saga: Rec, retryAt: Date | null) {
      const r = rows.get(saga.id);
      if (r && r.fence === saga.fence) r.leaseUntil = retryAt ? retryAt.getTime() : null;
    },
    async due(limit: number) {
      return [...rows.values()].filter((r) => !isFinalStatus(r.status) && (r.leaseUntil === null || r.leaseUntil <= now())).slice(0, limit).map((r) => r.id);
    },
  };
  return store;
}

export const silent = { info() {}, warn() {}, error() {} };
