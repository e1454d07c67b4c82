import { readFileSync } from 'node:fs';

/** Every subgraph of the supergraph, with its SDL file and its default local port. */
export const SUBGRAPHS = [
  { name: 'identity', port: 4101 },
  { name: 'accounts', port: 4102 },
  { name: 'ledger', port: 4103 },
  { name: 'payments', port: 4104 },
  { name: 'cards', port: 4105 },
  { name: 'kyc', port: 4106 },
  { name: 'risk', port: 4107 },
] as const;

export type SubgraphName = (typeof SUBGRAPHS)[number]['name'];

export function subgraphSdl(name: SubgraphName): string {
  return readFileSync(new URL(`../subgraphs/${name}/src/schema.graphql`, import.meta.url), 'utf8');
}
