import type pg from 'pg';

/**
 * A normalised description of one Postgres schema: relations, columns (type, nullability,
 * default), indexes and constraints with their definitions, enum types. Everything is sorted by
 * name, so column order (which a later ALTER TABLE ADD COLUMN cannot reproduce) does not count.
 * Prisma's `_prisma_migrations` history table is left out, and so are CHECK constraints: Prisma
 * cannot express them, so they live only in hand-written migration SQL (see prisma/README.md).
 */
export async function dumpSchema(client: pg.Client, schema: string) {
  const relations = await client.query(
    `SELECT c.relname AS name, c.relkind AS kind
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f') AND c.relname <> '_prisma_migrations'
      ORDER BY c.relname`,
    [schema],
  );
  const columns = await client.query(
    `SELECT c.relname AS table, a.attname AS column, format_type(a.atttypid, a.atttypmod) AS type,
            a.attnotnull AS not_null, pg_get_expr(d.adbin, d.adrelid) AS default,
            a.attidentity AS identity, a.attgenerated AS generated
       FROM pg_attribute a
       JOIN pg_class c ON c.oid = a.attrelid
       JOIN pg_namespace n ON n.oid = c.relnamespace
       LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
      WHERE n.nspname = $1 AND c.relkind IN ('r', 'p', 'v', 'm', 'f') AND a.attnum > 0 AND NOT a.attisdropped
        AND c.relname <> '_prisma_migrations'
      ORDER BY c.relname, a.attname`,
    [schema],
  );
  const indexes = await client.query(
    `SELECT tablename AS table, indexname AS name, indexdef AS definition
       FROM pg_indexes
      WHERE schemaname = $1 AND tablename <> '_prisma_migrations'
      ORDER BY tablename, indexname`,
    [schema],
  );
  const constraints = await client.query(
    `SELECT c.relname AS table, con.conname AS name, con.contype AS type, pg_get_constraintdef(con.oid) AS definition
       FROM pg_constraint con
       JOIN pg_class c ON c.oid = con.conrelid
       JOIN pg_namespace n ON n.oid = con.connamespace
      WHERE n.nspname = $1 AND c.relname <> '_prisma_migrations' AND con.contype <> 'c'
      ORDER BY c.relname, con.conname`,
    [schema],
  );
  const enums = await client.query(
    `SELECT t.typname AS name, array_agg(e.enumlabel ORDER BY e.enumsortorder) AS labels
       FROM pg_type t
       JOIN pg_namespace n ON n.oid = t.typnamespace
       JOIN pg_enum e ON e.enumtypid = t.oid
      WHERE n.nspname = $1
      GROUP BY t.typname
      ORDER BY t.typname`,
    [schema],
  );
  return {
    relations: relations.rows,
    columns: columns.rows,
    indexes: indexes.rows,
    constraints: constraints.rows,
    enums: enums.rows,
  };
}
