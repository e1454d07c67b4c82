import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Route } from '@baas/server';

const require = createRequire(import.meta.url);
const dir = (pkg: string) => dirname(require.resolve(`${pkg}/package.json`));

/** GraphiQL served from local npm packages: nothing is loaded from a CDN. */
const ASSETS: Record<string, { file: string; type: string }> = {
  '/ide/react.js': { file: join(dir('react'), 'umd/react.production.min.js'), type: 'text/javascript' },
  '/ide/react-dom.js': { file: join(dir('react-dom'), 'umd/react-dom.production.min.js'), type: 'text/javascript' },
  '/ide/graphiql.js': { file: join(dir('graphiql'), 'graphiql.min.js'), type: 'text/javascript' },
  '/ide/graphiql.css': { file: join(dir('graphiql'), 'graphiql.min.css'), type: 'text/css' },
};

const DEFAULT_QUERY = `# BaaS supergraph. Without a token you are anonymous: the schema is browsable, data is not.
# Get a token (development):
#   npx tsx scripts/mint-token.ts --kind customer --subject <customerId> --tenant <tenantId>
# and add it under Headers: { "Authorization": "Bearer <token>" }

query Me {
  viewer { subject kind tenantId }
  me { displayName tenant { name } accounts { currency branch number checkDigit status } }
}
`;

const PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>BaaS supergraph · GraphiQL</title>
<link rel="stylesheet" href="/ide/graphiql.css"><style>html,body,#ide{height:100%;margin:0}</style></head>
<body><div id="ide"></div>
<script src="/ide/react.js"></script><script src="/ide/react-dom.js"></script><script src="/ide/graphiql.js"></script>
<script>
  const fetcher = GraphiQL.createFetcher({ url: '/graphql' });
  ReactDOM.createRoot(document.getElementById('ide')).render(
    React.createElement(GraphiQL, { fetcher, defaultEditorToolsVisibility: true, shouldPersistHeaders: false,
      defaultQuery: ${JSON.stringify(DEFAULT_QUERY)} }));
</script></body></html>`;

export function ideRoutes(): Record<string, Route> {
  const cache = new Map<string, Buffer>();
  const routes: Record<string, Route> = {
    '/ide': (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:" });
      res.end(PAGE);
    },
  };
  for (const [path, asset] of Object.entries(ASSETS)) {
    routes[path] = (_req, res) => {
      let body = cache.get(path);
      if (!body) cache.set(path, (body = readFileSync(asset.file)));
      res.writeHead(200, { 'content-type': `${asset.type}; charset=utf-8`, 'cache-control': 'public, max-age=3600' });
      res.end(body);
    };
  }
  return routes;
}
