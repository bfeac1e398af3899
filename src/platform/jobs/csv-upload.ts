import { msg } from '#src/lib/messages.ts';
import type { FastifyInstance } from 'fastify';
import { unreadableUpload, uploadRoutes } from '#src/platform/storage/uploads.ts';

export const MAX_UPLOAD_BYTES = 20 * 1024 * 1024;
// What the upload form says when the body was not a readable upload (no boundary, the wrong one,
// cut off inside the file): the person can only choose the file again.
export const UNREADABLE_UPLOAD = msg('jobs.admin.upload.unreadable');

// Registers routes that take a CSV file (multipart) in their own context (see uploadRoutes).
export async function csvUploadRoutes(app: FastifyInstance, routes: (uploads: FastifyInstance) => void | Promise<void>) {
  await uploadRoutes(
    app,
    {
      maxBytes: MAX_UPLOAD_BYTES,
      maxFields: 10,
      async readFile(part) {
        const buf = await part.toBuffer();
        return { filename: part.filename, text: buf.toString('utf8') };
      },
    },
    routes,
  );
}

export { unreadableUpload };

// The uploaded file (or, where a form offers it, CSV pasted into a box), as text.
export function uploadedCsv(body: unknown, pastedField?: string): { filename: string; text: string } | null {
  const b = (body ?? {}) as Record<string, unknown>;
  const file = b.file as { filename?: string; text?: string } | undefined;
  if (file && file.filename && file.text) return { filename: file.filename.slice(0, 200), text: file.text };
  const pasted = pastedField && typeof b[pastedField] === 'string' ? b[pastedField].trim() : '';
  return pasted ? { filename: 'pasted text', text: pasted } : null;
}
