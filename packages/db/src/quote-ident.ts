/** Quotes an SQL identifier (schema, database name) for interpolation into DDL. */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
