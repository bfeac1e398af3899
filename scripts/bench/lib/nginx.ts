import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { freePort, onCleanup, waitFor200 } from './children.ts';

// The physical baseline: nginx serving the story page's exact bytes from a file, with the same
// response headers the app sent, and with gzip_static serving a precompressed copy to readers
// that accept gzip (nginx-light has no brotli module). One worker process, as the app is one
// process. Debian: `apt-get install nginx-light`. Run as root (CI), its worker stays root so it can
// read the bench's private temporary folder.

export const NGINX_PATHS = ['/usr/sbin/nginx', '/usr/local/sbin/nginx', '/usr/local/nginx/sbin/nginx'];
export const findNginx = () => process.env.BENCH_NGINX ?? NGINX_PATHS.find((p) => existsSync(p));

// Headers nginx writes itself, or that depend on the body it serves.
const OWN_HEADERS = new Set([
  'date',
  'connection',
  'keep-alive',
  'content-length',
  'transfer-encoding',
  'content-type',
  'etag',
  'vary',
  'content-encoding',
  'last-modified',
  'accept-ranges',
]);

const quote = (value: string) => `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

export async function startNginx(o: { dir: string; path: string; body: Buffer; headers: Record<string, string | string[]> }) {
  const binary = findNginx();
  if (!binary) return null;
  const www = join(o.dir, 'www');
  const file = join(www, o.path);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, o.body);
  writeFileSync(`${file}.gz`, gzipSync(o.body, { level: 9 }));
  const extra = Object.entries(o.headers)
    .filter(([name]) => !OWN_HEADERS.has(name.toLowerCase()))
    .flatMap(([name, value]) => [value].flat().map((v) => `      add_header ${name} ${quote(v)} always;`))
    .join('\n');
  const port = await freePort();
  const conf = join(o.dir, 'nginx.conf');
  const temp = (name: string) => `${name}_temp_path ${join(o.dir, name)};`;
  writeFileSync(
    conf,
    `worker_processes 1;
${process.getuid?.() === 0 ? 'user root;' : ''}
daemon off;
pid ${join(o.dir, 'nginx.pid')};
error_log ${join(o.dir, 'error.log')} warn;
events { worker_connections 4096; }
http {
  access_log off;
  ${['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map(temp).join('\n  ')}
  sendfile on;
  tcp_nopush on;
  keepalive_timeout 75s;
  keepalive_requests 1000000;
  server_tokens off;
  server {
    listen 127.0.0.1:${port};
    root ${www};
    location / {
      default_type "text/html; charset=utf-8";
      gzip_static on;
      gzip_vary on;
      etag on;
${extra}
    }
  }
}
`,
  );
  const proc = spawn(binary, ['-c', conf, '-p', o.dir], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  proc.stderr?.on('data', (c: Buffer) => (stderr = (stderr + c.toString()).slice(-4000)));
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}${o.path}`;
  const child = {
    proc,
    pid: proc.pid!,
    spawnedAt: performance.now(),
    output: () => stderr,
    exited: exited.then(() => proc.exitCode),
    async stop() {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      proc.kill('SIGTERM');
      const timer = setTimeout(() => proc.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
  const forget = onCleanup(() => child.stop());
  const stop = async () => {
    await child.stop();
    forget();
  };
  try {
    await waitFor200(url, child, 10_000);
  } catch (err) {
    await stop();
    throw new Error(`nginx did not start: ${(err as Error).message}\n${stderr}`);
  }
  return { url, stop };
}
