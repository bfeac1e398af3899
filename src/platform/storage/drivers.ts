import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { S3Config } from '#src/config.ts';
import { encodeKeyPath, signRequest } from './sigv4.ts';

// Where uploaded files live. Keys are chosen by the code (random, with an extension), never by a
// person, and are checked again here so no key can leave its folder or bucket.
export type Storage = {
  put(key: string, body: Buffer, contentType: string): Promise<void>;
  get(key: string): Promise<Buffer | null>;
  delete(key: string): Promise<void>;
};

// Public files (story images) are random hex with an image extension; private files (a group's
// papers) start with `private-` and are never served from /media, only by the feature that knows
// who may read them.
export const KEY_PATTERN = /^(private-)?[a-z0-9]{8,64}\.(jpg|png|webp|gif|pdf|docx|doc|odt)$/;
export const isPrivateKey = (key: string) => key.startsWith('private-');

function checkKey(key: string) {
  if (!KEY_PATTERN.test(key)) throw new Error(`Refused storage key ${JSON.stringify(key.slice(0, 80))}`);
}

const isMissing = (err: unknown) => (err as { code?: string } | null)?.code === 'ENOENT';

// Files on the server's disk, under DATA_DIR/media.
export function localStorage(dir: string): Storage {
  const root = resolve(dir);
  const pathOf = (key: string) => {
    checkKey(key);
    return join(root, key);
  };
  return {
    async put(key, body) {
      await mkdir(root, { recursive: true });
      await writeFile(pathOf(key), body);
    },
    async get(key) {
      try {
        return await readFile(pathOf(key));
      } catch (err) {
        if (isMissing(err)) return null;
        throw err;
      }
    },
    async delete(key) {
      await rm(pathOf(key), { force: true });
    },
  };
}

// An S3-compatible bucket (AWS, MinIO, Garage, Cloudflare R2 …), path-style addressing
// (<endpoint>/<bucket>/<key>), which every one of them accepts.
export function s3Storage(config: S3Config, fetchImpl: typeof fetch = fetch): Storage {
  const urlOf = (key: string) => {
    checkKey(key);
    return new URL(`${config.endpoint}/${encodeKeyPath(config.bucket)}/${encodeKeyPath(key)}`);
  };
  async function send(method: 'PUT' | 'GET' | 'DELETE', key: string, body?: Buffer, contentType?: string) {
    const url = urlOf(key);
    const headers = signRequest({ method, url, body, headers: contentType ? { 'content-type': contentType } : {} }, config);
    delete headers.host;
    return fetchImpl(url, { method, headers, body: body ? new Uint8Array(body) : undefined });
  }
  const fail = async (what: string, res: Response) => {
    await res.body?.cancel();
    return new Error(`S3 ${what} answered ${res.status}`);
  };
  return {
    async put(key, body, contentType) {
      const res = await send('PUT', key, body, contentType);
      if (!res.ok) throw await fail('PUT', res);
      await res.body?.cancel();
    },
    async get(key) {
      const res = await send('GET', key);
      if (res.status === 404) {
        await res.body?.cancel();
        return null;
      }
      if (!res.ok) throw await fail('GET', res);
      return Buffer.from(await res.arrayBuffer());
    },
    async delete(key) {
      const res = await send('DELETE', key);
      // S3 answers 204 whether or not the object existed; some servers answer 404 for a missing one.
      if (!res.ok && res.status !== 404) throw await fail('DELETE', res);
      await res.body?.cancel();
    },
  };
}
