// A counting HTTP proxy in a process of its own, one port per subgraph, in front of the subgraphs for
// every gateway alike: it counts the POSTs (GraphQL calls) each subgraph receives. Started by
// bench/gateways.ts: SUBGRAPHS='{"accounts":"http://127.0.0.1:p/graphql",...}'; prints
// {"accounts":"http://127.0.0.1:q/graphql",...} once listening; answers an IPC 'count' with the counts.
import { Agent, createServer, request } from 'node:http';

const targets = JSON.parse(process.env.SUBGRAPHS!) as Record<string, string>;
const agent = new Agent({ keepAlive: true, maxSockets: 64 });
const counts: Record<string, number> = {};
const urls: Record<string, string> = {};
for (const [name, target] of Object.entries(targets)) {
  const to = new URL(target);
  counts[name] = 0;
  const server = createServer((req, res) => {
    if (req.method === 'POST') counts[name]! += 1;
    const out = request({ host: to.hostname, port: to.port, path: req.url, method: req.method, headers: req.headers, agent }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    out.on('error', () => {
      res.writeHead(502);
      res.end();
    });
    req.pipe(out);
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  urls[name] = `http://127.0.0.1:${(server.address() as { port: number }).port}${to.pathname}`;
}
process.on('message', (m) => {
  if (m === 'count') process.send!({ ...counts });
});
process.on('disconnect', () => process.exit(0));
console.log(JSON.stringify(urls));
