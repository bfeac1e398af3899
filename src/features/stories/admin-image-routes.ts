import type { FastifyInstance, FastifyReply } from 'fastify';
import type { MultipartFile } from '@fastify/multipart';
import { notFound } from '#src/lib/errors.ts';
import { errorSummary, trimmed, type FieldErrors } from '#src/lib/forms.ts';
import { parseId } from '#src/lib/ids.ts';
import { msg } from '#src/lib/messages.ts';
import { unreadableUpload, uploadRoutes } from '#src/platform/storage/uploads.ts';
import { imageMarkdown } from './management.ts';
import { imageFieldOrder, MAX_IMAGE_BYTES, type UploadedImage } from './schema.ts';

type IdParams = { Params: { id: string } };

// The file as the form's schema reads it. Past the limit the reader stops and marks it truncated,
// so the form can say "too large" rather than the server answering 413.
async function readImage(part: MultipartFile): Promise<UploadedImage> {
  const data = await part.toBuffer();
  return { filename: part.filename, data, truncated: part.file.truncated };
}

// Adding images to a story (staff; the guard is the parent plugin's onRequest hook).
export async function storyImageRoutes(app: FastifyInstance) {
  const { stories, storage } = app.services;

  async function renderImages(reply: FastifyReply, id: string, extra: { values?: Record<string, unknown>; errors?: FieldErrors } = {}) {
    const storyId = parseId(id);
    const found = storyId ? await stories.findForEdit(storyId) : null;
    if (!storyId || !found) throw notFound('story');
    const images = await stories.imagesOf(storyId);
    const errors = extra.errors ?? {};
    const added = (reply.request.query as Record<string, unknown>).added === '1';
    return reply.render(
      'stories/views/admin/images.njk',
      {
        pageTitle: msg('storyImages.admin.title', { title: found.story.title }),
        story: found.story,
        images: images.map((img) => ({
          ...img,
          url: storage.urlOf(img.key),
          markdown: imageMarkdown(storage.urlOf(img.key), img.altText, img.caption),
        })),
        added,
        maxMegabytes: MAX_IMAGE_BYTES / 1024 / 1024,
        values: extra.values ?? {},
        errors,
        errorList: errorSummary(errors, imageFieldOrder),
      },
      Object.keys(errors).length ? 400 : 200,
    );
  }

  await uploadRoutes(
    app,
    { maxBytes: MAX_IMAGE_BYTES, maxFields: 5, maxFieldBytes: 10_000, truncateLargeFiles: true, readFile: readImage },
    (uploads) => {
      uploads.get<IdParams>('/admin/stories/:id/images', async (req, reply) => renderImages(reply, req.params.id));

      uploads.post<IdParams>('/admin/stories/:id/images', async (req, reply) => {
        if (unreadableUpload(req.body))
          return renderImages(reply, req.params.id, { errors: { file: msg('storyImages.admin.errors.file.unreadable') } });
        const id = parseId(req.params.id);
        if (!id) throw notFound('story');
        const body = (req.body ?? {}) as Record<string, unknown>;
        const form = { ...trimmed({ altText: body.altText, caption: body.caption }), file: body.file };
        const result = await stories.addImage(id, form);
        if (!result.ok && 'notFound' in result) throw notFound('story');
        if (!result.ok) return renderImages(reply, req.params.id, { values: form, errors: result.errors });
        return reply.redirect(`/admin/stories/${id}/images?added=1`, 303);
      });
    },
  );
}
