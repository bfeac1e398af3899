import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { buildTestApp } from '#tests/helpers/app.ts';

// Issue 17, finding 5: an invented session cookie got a 19 MB upload read in full (then a 403 for
// the CSRF token, or a 500). Who may post is decided on the headers, before any body is read: each
// request below announces a 19 MB body and sends none of it, so only an answer given on the
// headers alone can arrive.
const { app } = await buildTestApp();
const address = await app.listen({ port: 0, host: '127.0.0.1' });
const { port } = new URL(address);

function announceLargeBody(path: string, contentType: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), '127.0.0.1');
    let head = '';
    const timer = setTimeout(() => {
      socket.destroy();
      resolve('(no answer: the server waited for the body)');
    }, 3_000);
    socket.on('error', reject);
    socket.on('data', (chunk) => {
      head += chunk.toString('latin1');
      if (head.includes('\r\n\r\n')) {
        clearTimeout(timer);
        socket.destroy();
        resolve(head.slice(0, head.indexOf('\r\n\r\n')));
      }
    });
    socket.write(
      `POST ${path} HTTP/1.1\r\nHost: localhost\r\nCookie: coproduce.session_token=not-a-session\r\n` +
        `Content-Type: ${contentType}\r\nContent-Length: ${19 * 1024 * 1024}\r\n\r\n`,
    );
  });
}

describe('authorising before the body is read', () => {
  it('turns away an invented session cookie on every signed-in route that takes a body, on its headers alone', async () => {
    const guarded = app.routeTable.filter((r) => r.method === 'POST' && /^\/(admin|profile|dev)(\/|$)/.test(r.url));
    expect(guarded.length).toBeGreaterThan(20);
    expect(guarded.map((r) => r.url)).toContain('/admin/people/import');
    const problems: string[] = [];
    await Promise.all(
      guarded.map(async (route) => {
        const path = route.url.replace(/:(\w+)/g, '1');
        const multipart = path.endsWith('/import') ? 'multipart/form-data; boundary=x' : 'application/x-www-form-urlencoded';
        const head = await announceLargeBody(path, multipart);
        const status = head.split(' ')[1];
        const toSignIn = /\r\nlocation: \/sign-in/i.test(head);
        if (!((status === '302' && toSignIn) || status === '401')) problems.push(`${path}: ${head.split('\r\n')[0]}`);
        else if (!/\r\nconnection: close/i.test(head)) problems.push(`${path}: keeps the connection open to read the body`);
      }),
    );
    expect(problems).toEqual([]);
  });
});
