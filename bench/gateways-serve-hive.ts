// Hive Gateway (@graphql-hive/gateway) with its defaults (bench/gateways.ts): the same supergraph
// (SUPERGRAPH_PATH), forwarding the client's x-baas-identity header to every subgraph.
import { createServer } from 'node:http';
import { createGatewayRuntime } from '@graphql-hive/gateway';

const gateway = createGatewayRuntime({
  supergraph: process.env.SUPERGRAPH_PATH!,
  logging: 'error',
  propagateHeaders: { fromClientToSubgraphs: ({ request }) => ({ 'x-baas-identity': request.headers.get('x-baas-identity') }) },
});
const server = createServer(gateway);
server.keepAliveTimeout = 60_000;
await new Promise<void>((resolve) => server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', resolve));
console.log(JSON.stringify({ url: `http://127.0.0.1:${(server.address() as { port: number }).port}/graphql` }));
