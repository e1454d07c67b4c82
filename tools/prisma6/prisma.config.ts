// For running the 6.19 CLI by hand from this folder, e.g.
//   PRISMA_SCHEMA_ENGINE_BINARY=/tmp/stub PRISMA_QUERY_ENGINE_LIBRARY=/tmp/stub \
//     npx prisma migrate diff --from-migrations ../../prisma/identity/migrations --to-schema-datamodel <converted schema> --script
// (both variables name any existing file, so the CLI stops trying to download engines).
// The scripts in src/ generate an equivalent config per run instead of using this one.
import { createPrisma6Config } from './src/create-prisma6-config';

export default createPrisma6Config({
  connectionString: 'postgresql://baas:baas@127.0.0.1:5432/baas',
  shadowDatabaseName: 'prisma6_shadow_manual',
});
