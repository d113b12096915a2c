// The example service of the container: answers every request with "ok".
import { createServer } from 'node:http';

const port = Number(process.env.PORT ?? 8080);
createServer((request, response) => {
  response.end('ok\n');
}).listen(port, () => {
  console.log(`listening on ${port}`);
});
