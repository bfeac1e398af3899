import multipart from '@fastify/multipart';
import { msg } from '#src/lib/messages.ts';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '#src/lib/errors.ts';
import { SESSION_COOKIE_PREFIX } from '#src/platform/identity/better-auth.ts';

export const MAX_UPLOAD_BYTES = 20 * 1024 * 1024;
// What the upload form says when the body was not a readable upload (no boundary, the wrong one,
// cut off inside the file): the person can only choose the file again.
export const UNREADABLE_UPLOAD = msg('jobs.admin.upload.unreadable');

const unreadable = Symbol('unreadable upload');
const parsed = Symbol('upload parsed');
type Marked = FastifyRequest & { [parsed]?: true };

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
    // Runs only once the multipart body was read whole (the plugin's own hook comes first).
    uploads.addHook('preValidation', async (req) => {
      (req as Marked)[parsed] = true;
    });
    // A body the multipart reader gave up on (issue 17, finding 3: it answered 500) goes to the
    // route as "unreadable", so the form is shown again with UNREADABLE_UPLOAD beside the file
    // field and nothing stored. Refusals (not signed in, CSRF) and too-large files keep their pages.
    uploads.setErrorHandler(async (error: FastifyError, req, reply: FastifyReply) => {
      const tooLarge = error.statusCode === 413;
      if (error instanceof AppError || tooLarge || (req as Marked)[parsed] || req.method !== 'POST') throw error;
      req.log.info({ code: error.code, message: error.message }, 'upload could not be read');
      req.body = { [unreadable]: true };
      return req.routeOptions.handler.call(uploads, req, reply);
    });
    await routes(uploads);
  });
}

// True when the request's body could not be read as an upload at all.
export const unreadableUpload = (body: unknown) => !!body && typeof body === 'object' && unreadable in body;

// The uploaded file (or, where a form offers it, CSV pasted into a box), as text.
export function uploadedCsv(body: unknown, pastedField?: string): { filename: string; text: string } | null {
  const b = (body ?? {}) as Record<string, unknown>;
  const file = b.file as { filename?: string; text?: string } | undefined;
  if (file && file.filename && file.text) return { filename: file.filename.slice(0, 200), text: file.text };
  const pasted = pastedField && typeof b[pastedField] === 'string' ? b[pastedField].trim() : '';
  return pasted ? { filename: 'pasted text', text: pasted } : null;
}
