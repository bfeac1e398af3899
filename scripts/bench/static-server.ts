import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';

// The baseline: the story page's exact bytes, read once into memory and served by bare node:http
// with the same response headers the app sent (node adds date, connection and keep-alive itself,
// as it does for the app).
// Usage: node static-server.ts <html-file> <headers-json-file> <port>
const [file, headersFile, portArg] = process.argv.slice(2);
if (!file || !headersFile || !portArg) {
  console.error('usage: static-server.ts <html-file> <headers-json-file> <port>');
  process.exit(2);
}
const body = readFileSync(file);
const headers = JSON.parse(readFileSync(headersFile, 'utf8')) as Record<string, string | string[]>;
headers['content-length'] = String(body.length);

const server = createServer((req, res) => {
  res.writeHead(200, headers);
  res.end(req.method === 'HEAD' ? undefined : body);
});
server.keepAliveTimeout = 72_000;
server.listen(Number(portArg), '127.0.0.1', () => console.log(`static baseline listening on ${portArg}`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
