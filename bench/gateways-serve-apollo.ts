// A bare @apollo/gateway in @apollo/server with default settings (bench/gateways.ts): the same
// supergraph (SUPERGRAPH_PATH), forwarding the client's x-baas-identity header to every subgraph.
import { readFileSync } from 'node:fs';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';

type Context = { identity?: string };
const gateway = new ApolloGateway({
  supergraphSdl: readFileSync(process.env.SUPERGRAPH_PATH!, 'utf8'),
  buildService: ({ url }) =>
    new RemoteGraphQLDataSource<Context>({
      url,
      willSendRequest({ request, context }) {
        if (context.identity) request.http!.headers.set('x-baas-identity', context.identity);
      },
    }),
});
const server = new ApolloServer<Context>({ gateway });
const { url } = await startStandaloneServer(server, {
  listen: { port: Number(process.env.PORT ?? 0), host: '127.0.0.1' },
  context: async ({ req }) => ({ identity: req.headers['x-baas-identity'] as string | undefined }),
});
console.log(JSON.stringify({ url }));
