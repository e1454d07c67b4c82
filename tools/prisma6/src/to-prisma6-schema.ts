const GENERATOR_BLOCK = /^[ \t]*generator[ \t]+\w+[ \t]*\{[^}]*\}[ \t]*\n?/gm;
const DATASOURCE_BLOCK = /^([ \t]*datasource[ \t]+\w+[ \t]*\{)([^}]*)\}/gm;

/** The datasource url Prisma 6 insists on; the JS schema engine never dials it. */
export const PLACEHOLDER_DATASOURCE_URL = 'postgresql://prisma6.invalid/placeholder';

/**
 * Rewrites a Prisma 7 schema into one Prisma 6.19 accepts, keeping every model untouched:
 * the `prisma-client` generator (and its Prisma-7-only options) becomes a bare
 * `prisma-client-js` one, and the datasource gets the `url` Prisma 6 requires
 * (Prisma 7 moved it to prisma.config.ts).
 */
export function toPrisma6Schema(source: string): string {
  const withoutGenerators = source.replace(GENERATOR_BLOCK, '');
  let datasources = 0;
  const converted = withoutGenerators.replace(DATASOURCE_BLOCK, (_block, head: string, body: string) => {
    datasources += 1;
    const kept = body
      .split('\n')
      .filter((line) => !/^\s*(url|directUrl|shadowDatabaseUrl)\s*=/.test(line))
      .join('\n')
      .replace(/\s+$/, '');
    return `${head}${kept}\n  url = ${JSON.stringify(PLACEHOLDER_DATASOURCE_URL)}\n}`;
  });
  if (datasources !== 1) throw new Error(`expected exactly one datasource block, found ${datasources}`);
  return `generator client {\n  provider = "prisma-client-js"\n}\n\n${converted.replace(/^\s+/, '')}`;
}
