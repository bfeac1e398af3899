import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '#src/config.ts';
import { localStorage, s3Storage } from './drivers.ts';
import { sniffImage } from './image-type.ts';
import { signRequest } from './sigv4.ts';
import { tinyImages } from '#tests/helpers/images.ts';
import { buildTestApp } from '#tests/helpers/app.ts';

describe('what an upload really is', () => {
  it('knows JPEG, PNG, WebP and GIF by their first bytes, whatever they are called', () => {
    expect(sniffImage(tinyImages.png)?.contentType).toBe('image/png');
    expect(sniffImage(tinyImages.gif)?.contentType).toBe('image/gif');
    expect(sniffImage(tinyImages.jpg)?.contentType).toBe('image/jpeg');
    expect(sniffImage(tinyImages.webp)?.contentType).toBe('image/webp');
  });

  it('refuses anything else: text, HTML, SVG, an empty file', () => {
    for (const text of ['hello', '<html><script>alert(1)</script>', '<svg xmlns="http://www.w3.org/2000/svg"/>', '']) {
      expect(sniffImage(Buffer.from(text))).toBeNull();
    }
    // A RIFF file that is not WebP (a WAV sound).
    expect(sniffImage(Buffer.from('RIFF\x24\x00\x00\x00WAVEfmt ', 'latin1'))).toBeNull();
  });
});

describe('AWS Signature Version 4', () => {
  it('signs as AWS documents it (GET object example)', () => {
    const headers = signRequest(
      { method: 'GET', url: new URL('https://examplebucket.s3.amazonaws.com/test.txt'), headers: { range: 'bytes=0-9' } },
      { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', region: 'us-east-1' },
      new Date('2013-05-24T00:00:00Z'),
    );
    expect(headers.authorization).toBe(
      'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, ' +
        'SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, ' +
        'Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41',
    );
  });
});

describe('the local driver', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'coproduce-media-'));
  const storage = localStorage(dir);

  it('writes, reads and deletes files on the disk', async () => {
    await storage.put('abcdef0123456789.png', tinyImages.png, 'image/png');
    expect(await readFile(join(dir, 'abcdef0123456789.png'))).toEqual(tinyImages.png);
    expect(await storage.get('abcdef0123456789.png')).toEqual(tinyImages.png);
    await storage.delete('abcdef0123456789.png');
    expect(await storage.get('abcdef0123456789.png')).toBeNull();
    expect(await readdir(dir)).toEqual([]);
    // Deleting what is not there is not an error.
    await storage.delete('abcdef0123456789.png');
  });

  it('refuses keys that could leave its folder', async () => {
    for (const key of ['../secret.png', '/etc/passwd', 'a/b.png', 'ABCDEFGH.png', 'abcdefgh.svg', 'abcdefgh.png\0']) {
      await expect(storage.get(key)).rejects.toThrow(/Refused storage key/);
    }
  });
});

describe('private files', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'coproduce-private-'));
  const { app } = await buildTestApp({ dataDir });
  const { storage } = app.services;

  it('are stored like any other, but /media never serves them (only the feature that knows who may read them)', async () => {
    const open = storage.newKey('png');
    const closed = storage.newPrivateKey('png');
    expect(closed).toMatch(/^private-[a-f0-9]{32}\.png$/);
    await storage.put(open, tinyImages.png, 'image/png');
    await storage.put(closed, tinyImages.png, 'image/png');
    expect(await storage.get(closed)).toEqual(tinyImages.png);
    expect((await app.inject(`/media/${open}`)).statusCode).toBe(200);
    expect((await app.inject(`/media/${closed}`)).statusCode).toBe(404);
    // A document kind that only private files have is not served either, even under a public key.
    await storage.put('abcdef0123456789.pdf', Buffer.from('%PDF-1.4'), 'application/pdf');
    expect((await app.inject('/media/abcdef0123456789.pdf')).statusCode).toBe(404);
  });
});

// A small S3-compatible server on loopback: it keeps objects in memory and checks every request's
// signature the way S3 does (recomputing it from the request it received).
async function startFakeS3(keys: { accessKeyId: string; secretAccessKey: string; region: string }) {
  const objects = new Map<string, { body: Buffer; type: string }>();
  const seen: { method: string; path: string; authorization: string }[] = [];
  const bodyOf = async (req: IncomingMessage) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    return Buffer.concat(chunks);
  };
  const server = createServer((req, res) => void answer(req, res));
  async function answer(req: IncomingMessage, res: ServerResponse) {
    const body = await bodyOf(req);
    const authorization = String(req.headers.authorization ?? '');
    seen.push({ method: req.method!, path: req.url!, authorization });
    const signed = /SignedHeaders=([^,]+)/.exec(authorization)?.[1]?.split(';') ?? [];
    const amzDate = String(req.headers['x-amz-date'] ?? '');
    const at = new Date(amzDate.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z'));
    const given = Object.fromEntries(
      signed.filter((h) => !['host', 'x-amz-date', 'x-amz-content-sha256'].includes(h)).map((h) => [h, String(req.headers[h])]),
    );
    const url = new URL(req.url!, `http://${req.headers.host}`);
    const expected = signRequest({ method: req.method!, url, headers: given, body }, keys, at).authorization;
    if (!authorization || authorization !== expected) {
      res.writeHead(403).end('SignatureDoesNotMatch');
      return;
    }
    const key = url.pathname;
    if (req.method === 'PUT') {
      objects.set(key, { body, type: String(req.headers['content-type']) });
      res.writeHead(200).end();
    } else if (req.method === 'GET') {
      const found = objects.get(key);
      if (!found) res.writeHead(404).end('NoSuchKey');
      else res.writeHead(200, { 'content-type': found.type }).end(found.body);
    } else if (req.method === 'DELETE') {
      objects.delete(key);
      res.writeHead(204).end();
    } else res.writeHead(405).end();
  }
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { endpoint: `http://127.0.0.1:${port}`, objects, seen };
}

describe('the S3 driver', async () => {
  const keys = { accessKeyId: 'test-access-key', secretAccessKey: 'test-secret-key', region: 'eu-west-2' };
  const s3 = await startFakeS3(keys);
  const storage = s3Storage({ endpoint: s3.endpoint, bucket: 'coproduce-media', ...keys });

  it('puts, gets and deletes objects with signed requests', async () => {
    await storage.put('0123456789abcdef.gif', tinyImages.gif, 'image/gif');
    expect(s3.objects.get('/coproduce-media/0123456789abcdef.gif')).toEqual({ body: tinyImages.gif, type: 'image/gif' });
    expect(await storage.get('0123456789abcdef.gif')).toEqual(tinyImages.gif);
    await storage.delete('0123456789abcdef.gif');
    expect(await storage.get('0123456789abcdef.gif')).toBeNull();
    expect(s3.seen.map((r) => r.method)).toEqual(['PUT', 'GET', 'DELETE', 'GET']);
    for (const r of s3.seen)
      expect(r.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=test-access-key\/\d{8}\/eu-west-2\/s3\/aws4_request, /);
  });

  it('fails loudly when the bucket refuses (a wrong secret)', async () => {
    const wrong = s3Storage({ endpoint: s3.endpoint, bucket: 'coproduce-media', ...keys, secretAccessKey: 'not-the-secret' });
    await expect(wrong.put('0123456789abcdef.png', tinyImages.png, 'image/png')).rejects.toThrow(/S3 PUT answered 403/);
  });

  it('is chosen by the environment, which must name everything it needs', () => {
    const env = { STORAGE_DRIVER: 's3', S3_ENDPOINT: s3.endpoint, S3_BUCKET: 'b', S3_ACCESS_KEY_ID: 'k', S3_SECRET_ACCESS_KEY: 's' };
    expect(loadConfig(env).storage).toEqual({
      driver: 's3',
      s3: { endpoint: s3.endpoint, bucket: 'b', region: 'us-east-1', accessKeyId: 'k', secretAccessKey: 's' },
    });
    expect(() => loadConfig({ STORAGE_DRIVER: 's3', S3_BUCKET: 'b' })).toThrow(/S3_ENDPOINT/);
    expect(loadConfig({}).storage).toEqual({ driver: 'local' });
  });
});
