import multipart from '@fastify/multipart';
import type { FastifyInstance } from 'fastify';
import { AppError } from '#src/lib/errors.ts';
import { SESSION_COOKIE_PREFIX } from '#src/platform/identity/better-auth.ts';

export const MAX_UPLOAD_BYTES = 20 * 1024 * 1024;

// Registers routes that take a CSV file (multipart) in their own context, so no other route
// accepts uploads. Anyone without a session cookie is turned away before the body is read, and the
// routes' own guards (onRequest hooks) check the session and role before it too, so a stranger
// never gets to send a large file, even with an invented cookie.
export async function csvUploadRoutes(app: FastifyInstance, routes: (uploads: FastifyInstance) => void | Promise<void>) {
  await app.register(async (uploads) => {
    uploads.addHook('onRequest', async (req) => {
      if (!req.headers.cookie?.includes(`${SESSION_COOKIE_PREFIX}.session_token=`)) throw new AppError('UNAUTHENTICATED');
    });
    await uploads.register(multipart, {
      attachFieldsToBody: 'keyValues',
      limits: { fileSize: MAX_UPLOAD_BYTES, fieldSize: MAX_UPLOAD_BYTES, files: 1, fields: 10 },
      async onFile(part) {
        const buf = await part.toBuffer();
        (part as unknown as { value: unknown }).value = { filename: part.filename, text: buf.toString('utf8') };
      },
    });
    await routes(uploads);
  });
}

// The uploaded file (or, where a form offers it, CSV pasted into a box), as text.
export function uploadedCsv(body: unknown, pastedField?: string): { filename: string; text: string } | null {
  const b = (body ?? {}) as Record<string, unknown>;
  const file = b.file as { filename?: string; text?: string } | undefined;
  if (file && file.filename && file.text) return { filename: file.filename.slice(0, 200), text: file.text };
  const pasted = pastedField && typeof b[pastedField] === 'string' ? b[pastedField].trim() : '';
  return pasted ? { filename: 'pasted text', text: pasted } : null;
}
