import { qualified } from './outbox-descriptor';

export type OutboxTableNames = {
  /** The Postgres schema (the domain). */
  schema: string;
  /** The outbox table; its cursor and head tables are `<table>_cursor` and `<table>_head`. */
  table: string;
  /** The NOTIFY channel the trigger signals on each insert (delivered at commit). */
  channel?: string;
};

/**
 * The SQL of a new outbox, for a migration (Prisma's folder format: paste it into migration.sql and
 * declare the three tables in schema.prisma; the function and trigger are written by hand, as
 * Prisma cannot say them). Columns: the contract `seq, event_id, subject, payload, created_at`,
 * plus `sent_at, attempts` (delivery tracking: drop them, and `tracking`, for an append-only outbox).
 */
export function outboxMigrationSql(names: OutboxTableNames): string {
  const t = qualified(`${names.schema}.${names.table}`);
  const cursor = qualified(`${names.schema}.${names.table}_cursor`);
  return `-- Outbox ${names.schema}.${names.table} (@baas/outbox)
CREATE TABLE ${t} (
    "seq" BIGINT NOT NULL DEFAULT 0,
    "event_id" UUID NOT NULL,
    "subject" TEXT NOT NULL,
    "payload" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sent_at" TIMESTAMPTZ(3),
    "attempts" INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT "${names.table}_pkey" PRIMARY KEY ("seq")
);
CREATE UNIQUE INDEX "${names.table}_event_id_key" ON ${t}("event_id");
CREATE INDEX "${names.table}_sent_at_seq_idx" ON ${t}("sent_at", "seq");

CREATE TABLE ${cursor} (
    "relay" TEXT NOT NULL,
    "last_seq" BIGINT NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "${names.table}_cursor_pkey" PRIMARY KEY ("relay")
);

${outboxSequencingSql(names)}`;
}

/**
 * The head table, function and trigger that number an outbox's rows: every insert takes the next
 * value of the one head row, whose row lock it holds until its transaction ends. So seq is gapless
 * (a rollback returns its numbers) and in commit order (the next writer waits for the head until
 * this one has committed), which is what lets the relay move a cursor over seq without ever
 * skipping a row that commits late. The price: writers of one outbox commit one at a time from
 * their insert on, so insert last in the transaction. Also for an existing table that gained a
 * `seq` column (start the head at its highest seq).
 */
export function outboxSequencingSql(names: OutboxTableNames & { startAt?: string }): string {
  const t = qualified(`${names.schema}.${names.table}`);
  const head = qualified(`${names.schema}.${names.table}_head`);
  const fn = qualified(`${names.schema}.${names.table}_sequence`);
  const notify = names.channel ? `\n  PERFORM pg_notify('${qualified(names.channel).slice(1, -1)}', '');` : '';
  return `CREATE TABLE ${head} (
    "id" BOOLEAN NOT NULL DEFAULT true,
    "last_seq" BIGINT NOT NULL DEFAULT 0,
    CONSTRAINT "${names.table}_head_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "${names.table}_head_one_row" CHECK ("id")
);
INSERT INTO ${head} ("id", "last_seq") VALUES (true, ${names.startAt ?? '0'});

CREATE FUNCTION ${fn}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE ${head} SET "last_seq" = "last_seq" + 1 WHERE "id" RETURNING "last_seq" INTO NEW."seq";
  IF NEW."seq" IS NULL THEN
    RAISE EXCEPTION '${names.schema}.${names.table}_head has no row';
  END IF;${notify}
  RETURN NEW;
END
$$;
CREATE TRIGGER "${names.table}_sequence" BEFORE INSERT ON ${t} FOR EACH ROW EXECUTE FUNCTION ${fn}();
`;
}
