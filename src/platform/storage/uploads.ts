import multipart, { type MultipartFile } from '@fastify/multipart';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '#src/lib/errors.ts';
import { SESSION_COOKIE_PREFIX } from '#src/platform/identity/better-auth.ts';

const unreadable = Symbol('unreadable upload');
const parsed = Symbol('upload parsed');
type Marked = FastifyRequest & { [parsed]?: true };

export type UploadOptions = {
  maxBytes: number;
  maxFields: number;
  // How many files one request may carry (1 unless given): a claim's receipts, one per expense.
  maxFiles?: number;
  // The largest text field (pasted CSV, say); maxBytes unless given.
  maxFieldBytes?: number;
  // What the route sees for the file field (body.file): read from the part, e.g. as text.
  readFile: (part: MultipartFile) => Promise<unknown>;
  // Keep reading past maxBytes (marking the file as truncated) so the form can say the file is
  // too large, instead of answering 413.
  truncateLargeFiles?: boolean;
};

// Registers routes that take one uploaded file (multipart) in their own context, so no other
// route accepts uploads. Anyone without a session cookie is turned away before the body is read,
// and the routes' own guards (onRequest hooks) check the session and role before it too, so a
// stranger never gets to send a large file, even with an invented cookie.
export async function uploadRoutes(app: FastifyInstance, opts: UploadOptions, routes: (uploads: FastifyInstance) => void | Promise<void>) {
  await app.register(async (uploads) => {
    uploads.addHook('onRequest', async (req) => {
      if (!req.headers.cookie?.includes(`${SESSION_COOKIE_PREFIX}.session_token=`)) throw new AppError('UNAUTHENTICATED');
    });
    await uploads.register(multipart, {
      attachFieldsToBody: 'keyValues',
      throwFileSizeLimit: !opts.truncateLargeFiles,
      limits: {
        fileSize: opts.maxBytes,
        fieldSize: opts.maxFieldBytes ?? opts.maxBytes,
        files: opts.maxFiles ?? 1,
        fields: opts.maxFields,
      },
      async onFile(part) {
        (part as unknown as { value: unknown }).value = await opts.readFile(part);
      },
    });
    // Runs only once the multipart body was read whole (the plugin's own hook comes first).
    uploads.addHook('preValidation', async (req) => {
      (req as Marked)[parsed] = true;
    });
    // A body the multipart reader gave up on (issue 17, finding 3: it answered 500) goes to the
    // route as "unreadable", so the form is shown again with a message beside the file field and
    // nothing stored. Refusals (not signed in, CSRF) and too-large files keep their pages.
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
