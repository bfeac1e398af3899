import type { FastifyInstance, FastifyReply } from 'fastify';
import type { MultipartFile } from '@fastify/multipart';
import { notFound } from '#src/lib/errors.ts';
import { errorSummary, trimmed, type FieldErrors } from '#src/lib/forms.ts';
import { parseId } from '#src/lib/ids.ts';
import { msg } from '#src/lib/messages.ts';
import { requireRegisterAccess } from '#src/platform/identity/plugin.ts';
import { unreadableUpload, uploadRoutes } from '#src/platform/storage/uploads.ts';
import { MAX_DOCUMENT_BYTES, type UploadedDocument } from './documents-service.ts';
import { manageGroupPage } from './manage-page.ts';
import type { GroupRow } from './groups-repository.ts';
import { sendPrivateFile } from '#src/platform/storage/private-file.ts';

type IdParams = { Params: { id: string } };
type DocParams = { Params: { id: string; documentId: string } };

// Past the limit the reader stops and marks the file truncated, so the form can say "too large".
async function readDocument(part: MultipartFile): Promise<UploadedDocument> {
  return { filename: part.filename, data: await part.toBuffer(), truncated: part.file.truncated };
}

// Staff upload and delete a group's papers (the upload has its own multipart context).
export async function documentsAdminRoutes(app: FastifyInstance) {
  const { groupDocuments } = app.services;
  app.addHook('onRequest', requireRegisterAccess);
  const page = manageGroupPage(app);

  async function renderUpload(
    reply: FastifyReply,
    g: GroupRow,
    values: Record<string, unknown> = {},
    errors: FieldErrors = {},
    status = 200,
  ) {
    const { t, dateTime } = reply.request.tr;
    const meetings = await groupDocuments.meetingsOf(g.id);
    return reply.render(
      'groups/views/admin/upload.njk',
      {
        pageTitle: msg('groups.admin.upload.pageTitle', { name: g.name }),
        g,
        maxMegabytes: MAX_DOCUMENT_BYTES / 1024 / 1024,
        values,
        errors,
        errorList: errorSummary(errors, ['title', 'file', 'meetingId', 'largePrint']),
        meetingItems: meetings.length
          ? [
              { value: '', text: t('groups.admin.upload.meetingId.none') },
              ...meetings.map((m) => ({
                value: String(m.id),
                text: `${m.title} (${dateTime(m.startsAt)})`,
                selected: values.meetingId === String(m.id),
              })),
            ]
          : null,
      },
      status,
    );
  }

  app.post<DocParams>('/admin/groups/:id/documents/:documentId/delete', async (req, reply) => {
    const g = await page.find(req.params.id);
    const docId = parseId(req.params.documentId);
    const d = docId ? await groupDocuments.inGroup(g.id, docId) : null;
    if (!d) throw notFound('document');
    const result = await groupDocuments.remove(g, req.currentUser!, d);
    if (!result.ok) return page.render(reply, g, { errors: result.errors }, 409);
    return reply.redirect(`/admin/groups/${g.id}?saved=deleted`, 303);
  });

  await uploadRoutes(
    app,
    // A little over the limit is read, so "too large" is a message, not a 413.
    { maxBytes: MAX_DOCUMENT_BYTES + 1, maxFields: 6, maxFieldBytes: 10_000, truncateLargeFiles: true, readFile: readDocument },
    (uploads) => {
      uploads.get<IdParams>('/admin/groups/:id/documents', async (req, reply) => {
        const g = await page.find(req.params.id);
        if (g.archivedAt) return page.render(reply, g, { errors: { form: msg('groups.validation.archived') } }, 409);
        return renderUpload(reply, g);
      });
      uploads.post<IdParams>('/admin/groups/:id/documents', async (req, reply) => {
        const g = await page.find(req.params.id);
        if (unreadableUpload(req.body)) return renderUpload(reply, g, {}, { file: msg('groups.validation.file.unreadable') }, 400);
        const body = (req.body ?? {}) as Record<string, unknown>;
        const form: Record<string, unknown> = {
          ...trimmed({ title: body.title, largePrint: body.largePrint, meetingId: body.meetingId }),
          file: body.file,
        };
        const result = await groupDocuments.upload(g, req.currentUser!, form);
        if (!result.ok && g.archivedAt) return page.render(reply, g, { errors: result.errors }, 409);
        if (!result.ok)
          return renderUpload(reply, g, { title: form.title, largePrint: form.largePrint, meetingId: form.meetingId }, result.errors, 400);
        return reply.redirect(`/admin/groups/${g.id}?saved=uploaded`, 303);
      });
    },
  );
}

// A paper, to members of its group and the staff who run groups; to anyone else it does not exist.
export async function documentDownloadRoutes(app: FastifyInstance) {
  const { groups, groupDocuments } = app.services;
  app.get<{ Params: { slug: string; documentId: string } }>('/groups/:slug/documents/:documentId', async (req, reply) => {
    const g = await groups.bySlug(req.params.slug);
    if (!g || (await groups.viewOf(g, req.currentUser)) !== 'inside') throw notFound('document');
    const docId = parseId(req.params.documentId);
    const d = docId ? await groupDocuments.inGroup(g.id, docId) : null;
    const body = d ? await groupDocuments.read(d) : null;
    if (!d || !body) throw notFound('document');
    return sendPrivateFile(reply, { body, name: d.fileName, contentType: d.contentType });
  });
}
