// npm pack / npm publish use package.json as it is on disk, and npm (unlike pnpm) does not apply
// publishConfig's exports. In the workspace, @baas/sdk's exports point at src/index.ts (the repo's
// TypeScript and tsx run the source); the packed package must point at the built dist/ instead.
// `prepack` runs `apply`: package.json is saved beside itself and publishConfig's manifest fields
// (exports, main, types) replace the workspace's; `postpack` runs `restore`, putting the saved file back.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';

const MANIFEST = new URL('../package.json', import.meta.url);
const SAVED = new URL('../package.json.prepack', import.meta.url);
const FIELDS = ['exports', 'main', 'types'];

const command = process.argv[2];
if (command === 'apply') {
  if (existsSync(SAVED)) throw new Error('package.json.prepack exists: a previous pack did not finish; run `node scripts/pack-manifest.mjs restore` first');
  const text = readFileSync(MANIFEST, 'utf8');
  const manifest = JSON.parse(text);
  const { publishConfig = {} } = manifest;
  writeFileSync(SAVED, text);
  for (const field of FIELDS) if (field in publishConfig) manifest[field] = publishConfig[field];
  manifest.publishConfig = Object.fromEntries(Object.entries(publishConfig).filter(([key]) => !FIELDS.includes(key)));
  if (Object.keys(manifest.publishConfig).length === 0) delete manifest.publishConfig;
  // What only the workspace uses: dev dependencies and the pack scripts themselves.
  delete manifest.devDependencies;
  delete manifest.scripts;
  writeFileSync(MANIFEST, `${JSON.stringify(manifest, null, 2)}\n`);
} else if (command === 'restore') {
  if (existsSync(SAVED)) renameSync(SAVED, MANIFEST);
} else {
  throw new Error('usage: node scripts/pack-manifest.mjs apply|restore');
}
