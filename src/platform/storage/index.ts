import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Config } from '#src/config.ts';
import { notFound } from '#src/lib/errors.ts';
import type { Feature } from '#src/platform/feature.ts';
import { isPrivateKey, KEY_PATTERN, localStorage, s3Storage, type Storage } from './drivers.ts';
import { contentTypeOfExt, type ImageKind } from './image-type.ts';

export type StorageService = Storage & {
  // A new, unguessable key for a file of this kind.
  newKey(ext: ImageKind['ext']): string;
  // A key /media refuses to serve: for files only some people may read (a group's papers).
  newPrivateKey(ext: string): string;
  // The address the site serves the file from (same origin, so the CSP stays img-src 'self').
  urlOf(key: string): string;
};

declare module '#src/platform/services.ts' {
  interface Services {
    storage: StorageService;
  }
}

export function createStorage(config: Pick<Config, 'dataDir' | 'storage'>): StorageService {
  const driver = config.storage.driver === 's3' ? s3Storage(config.storage.s3) : localStorage(join(config.dataDir, 'media'));
  return {
    ...driver,
    newKey: (ext) => `${randomBytes(16).toString('hex')}.${ext}`,
    newPrivateKey: (ext) => `private-${randomBytes(16).toString('hex')}.${ext}`,
    urlOf: (key) => `/media/${key}`,
  };
}

// Files are only ever written under fresh random keys, so a file at a key never changes: browsers
// and proxies may keep it for a year.
const ONE_YEAR = 365 * 24 * 60 * 60;

async function mediaRoutes(app: FastifyInstance) {
  app.get<{ Params: { file: string } }>('/media/:file', async (req, reply) => {
    const { file } = req.params;
    if (!KEY_PATTERN.test(file) || isPrivateKey(file)) throw notFound();
    const body = await app.services.storage.get(file);
    if (!body) throw notFound();
    const ext = file.slice(file.lastIndexOf('.') + 1) as ImageKind['ext'];
    if (!(ext in contentTypeOfExt)) throw notFound();
    return reply
      .header('cache-control', `public, max-age=${ONE_YEAR}, immutable`)
      .header('x-content-type-options', 'nosniff')
      .header('content-security-policy', "default-src 'none'")
      .type(contentTypeOfExt[ext])
      .send(body);
  });
}

// Uploaded files (story images first; document reviews later), kept on disk or in an
// S3-compatible bucket and always served by the site itself.
export const storageModule: Feature = {
  name: 'storage',
  services: ({ config }) => ({ storage: createStorage(config) }),
  routes: mediaRoutes,
};
