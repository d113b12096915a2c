// A tiny HTTP service for the example config: answers every request with 404 and logs it.
import { createServer } from 'node:http';

const port = Number(process.env.PORT ?? 18080);
const server = createServer((req, res) => {
  console.log(`${new Date().toISOString()} ${req.method} ${req.url} -> 404`);
  res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
});
server.listen(port, '127.0.0.1', () => console.log(`listening on http://127.0.0.1:${port}`));
process.on('SIGTERM', () => {
  console.log('SIGTERM: closing');
  server.close(() => process.exit(0));
});
