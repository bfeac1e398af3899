import type { FastifyReply } from 'fastify';

// A file only some people may read (a group's paper, a receipt, a document under review), sent
// after the caller's access check: always a download under its own name, never shown inline, never
// sniffed into another type, never kept by a browser or proxy cache.
export function sendPrivateFile(reply: FastifyReply, file: { body: Buffer; name: string; contentType: string }) {
  const ascii = file.name.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return reply
    .header('cache-control', 'private, no-store')
    .header('x-content-type-options', 'nosniff')
    .header('content-security-policy', "default-src 'none'")
    .header('content-disposition', `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(file.name)}`)
    .type(file.contentType)
    .send(file.body);
}
