// Writes schema/supergraph.graphql and schema/api.graphql from the subgraphs' SDL, and codegen.yml from
// the subgraph registry (npm run compose).
import { writeFileSync } from 'node:fs';
import { CODEGEN_PATH, codegenYaml } from '../schema/codegen-config';
import { API_SCHEMA_PATH, composeSupergraph, SUPERGRAPH_PATH, withNewline } from '../schema/compose';

const { supergraphSdl, apiSdl, errors, hints } = composeSupergraph();
if (errors.length) {
  console.error(`Composition failed:\n${errors.map((e) => `  - ${e}`).join('\n')}`);
  process.exit(1);
}
for (const hint of hints) console.error(`hint: ${hint}`);
writeFileSync(SUPERGRAPH_PATH, withNewline(supergraphSdl));
writeFileSync(API_SCHEMA_PATH, withNewline(apiSdl));
writeFileSync(CODEGEN_PATH, codegenYaml());
console.log(`wrote ${SUPERGRAPH_PATH.pathname}, ${API_SCHEMA_PATH.pathname} and ${CODEGEN_PATH.pathname}`);
