// Writes schema/supergraph.graphql from the subgraphs' SDL (npm run compose).
import { writeFileSync } from 'node:fs';
import { API_SCHEMA_PATH, composeSupergraph, SUPERGRAPH_PATH, withNewline } from '../schema/compose';

const { supergraphSdl, apiSdl, errors, hints } = composeSupergraph();
if (errors.length) {
  console.error(`Composition failed:\n${errors.map((e) => `  - ${e}`).join('\n')}`);
  process.exit(1);
}
for (const hint of hints) console.error(`hint: ${hint}`);
writeFileSync(SUPERGRAPH_PATH, withNewline(supergraphSdl));
writeFileSync(API_SCHEMA_PATH, withNewline(apiSdl));
console.log(`wrote ${SUPERGRAPH_PATH.pathname} and ${API_SCHEMA_PATH.pathname}`);
