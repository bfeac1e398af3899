import type { FastifyInstance, FastifyReply } from 'fastify';
import type { MultipartFile } from '@fastify/multipart';
import { notFound } from '#src/lib/errors.ts';
import { errorSummary, trimmed, type FieldErrors } from '#src/lib/forms.ts';
import { msg } from '#src/lib/messages.ts';
import { requireRegisterAccess } from '#src/platform/identity/plugin.ts';
import { unreadableUpload, uploadRoutes } from '#src/platform/storage/uploads.ts';
import { dateBoxes, utcToLondon } from '#src/features/groups/meetings-time.ts';
import { markdownFromSections, type UploadedFile } from './commission-document.ts';
import { reviewPage } from './commission-page.ts';
import { MAX_DOCUMENT_TEXT, MAX_PDF_BYTES, reviewFieldOrder } from './commission-schema.ts';
import type { ReviewRow, SectionRow } from './reviews-repository.ts';
import { documentSources, reviewKinds } from './tables.ts';
import { sendPrivateFile } from '#src/platform/storage/private-file.ts';

const A = 'reviewCommission.admin';
const V = 'reviews/views/commission';
type IdParams = { Params: { id: string } };

async function readFile(part: MultipartFile): Promise<UploadedFile> {
  return { filename: part.filename, data: await part.toBuffer(), truncated: part.file.truncated };
}

// The deadline's boxes for a stored instant, in London time.
export function deadlineValues(at: Date): Record<string, string> {
  const london = utcToLondon(at);
  return { ...dateBoxes('deadline', london.date), deadlineTime: london.time };
}

function formValues(review: ReviewRow, sections: SectionRow[], introduction: string): Record<string, unknown> {
  const markdown = markdownFromSections(sections, introduction);
  return {
    title: review.title,
    kind: review.kind,
    brief: review.briefMarkdown,
    source: review.source,
    documentMarkdown: review.source === 'markdown' ? markdown : '',
    pageText: review.source === 'web-page' ? markdown : '',
    sourceUrl: review.sourceUrl ?? '',
    activityKind: review.activityKind ?? '',
    estimatedHours: String(review.estimatedMinutes / 60),
    ...deadlineValues(review.deadline),
  };
}

// The list of reviews, and the review form (new, or to change): a multipart form, since it may
// carry the PDF. Staff who run involvement only (admins and involvement staff).
export default async function commissionRoutes(app: FastifyInstance) {
  const { reviewCommission } = app.services;
  app.addHook('onRequest', requireRegisterAccess);
  const page = reviewPage(app);

  async function renderForm(
    reply: FastifyReply,
    review: ReviewRow | null,
    values: Record<string, unknown>,
    errors: FieldErrors = {},
    status = 200,
  ) {
    const { t } = reply.request.tr;
    const { kinds } = await reviewCommission.activityKinds();
    const errorsShown = Object.fromEntries(Object.entries(errors).filter(([k]) => k !== 'form'));
    return reply.render(
      `${V}/form.njk`,
      {
        pageTitle: review ? msg(`${A}.form.editTitle`, { title: review.title }) : msg(`${A}.form.newTitle`),
        review,
        documentOpen: !review || review.state === 'draft',
        values,
        errors,
        errorList: errorSummary(errorsShown, reviewFieldOrder),
        formAction: review ? `/admin/reviews/${review.id}/edit` : '/admin/reviews/new',
        maxMegabytes: MAX_PDF_BYTES / 1024 / 1024,
        kindItems: reviewKinds.map((k) => ({ value: k, text: t(`reviewInvitations.kinds.${k}`), checked: values.kind === k })),
        sourceItems: documentSources.map((s) => ({
          value: s,
          text: t(`${A}.form.source.${s}`),
          hint: { text: t(`${A}.form.source.${s}Hint`) },
          checked: values.source === s,
        })),
        activityItems: [
          { value: '', text: t(`${A}.form.activityKind.unpaid`) },
          ...kinds.map((k) => ({
            value: k.kind,
            text: `${k.name} (${t(`${A}.units.${k.unit}`)})`,
            selected: values.activityKind === k.kind,
          })),
        ],
      },
      status,
    );
  }

  app.get('/admin/reviews', async (req, reply) => {
    const { t } = req.tr;
    const rows = await reviewCommission.list();
    return reply.render(`${V}/list.njk`, {
      pageTitle: msg(`${A}.list.title`),
      items: rows.map((r) => ({
        ...r,
        kindText: t(`reviewInvitations.kinds.${r.review.kind}`),
        stateText: t(`${A}.states.${r.review.state}`),
      })),
    });
  });

  app.get<IdParams & { Querystring: Record<string, unknown> }>('/admin/reviews/:id', async (req, reply) => {
    const found = await page.find(req.params.id);
    return page.render(reply, found, { query: req.query });
  });

  // The uploaded PDF, for staff (reviewers get theirs from the reviewing pages).
  app.get<IdParams>('/admin/reviews/:id/document', async (req, reply) => {
    const { review } = await page.find(req.params.id);
    const body = review.source === 'pdf' ? await reviewCommission.readPdf(review) : null;
    if (!body) throw notFound('document');
    const name = review.documentName ?? 'document.pdf';
    return sendPrivateFile(reply, { body, name, contentType: 'application/pdf' });
  });

  await uploadRoutes(
    app,
    // A little over the limit is read, so "too large" is a message, not a 413.
    { maxBytes: MAX_PDF_BYTES + 1, maxFields: 30, maxFieldBytes: MAX_DOCUMENT_TEXT * 4, truncateLargeFiles: true, readFile },
    (uploads) => {
      const fields = (body: unknown) => {
        const b = (body ?? {}) as Record<string, unknown>;
        const { file, ...rest } = b;
        return { form: trimmed(rest), file };
      };
      const unreadable = () => ({ file: msg(`${A}.validation.unreadable`) });

      uploads.get('/admin/reviews/new', async (req, reply) => {
        const { preferred } = await reviewCommission.activityKinds();
        return renderForm(reply, null, { source: 'markdown', activityKind: preferred, estimatedHours: '2' });
      });
      uploads.post('/admin/reviews/new', async (req, reply) => {
        if (unreadableUpload(req.body)) return renderForm(reply, null, {}, unreadable(), 400);
        const { form, file } = fields(req.body);
        const result = await reviewCommission.create(req.currentUser!, form, file);
        if (!result.ok) return renderForm(reply, null, form, result.errors, 400);
        return reply.redirect(`/admin/reviews/${result.value.id}?saved=created`, 303);
      });

      uploads.get<IdParams>('/admin/reviews/:id/edit', async (req, reply) => {
        const { review, sections } = await page.find(req.params.id);
        // Sections are named in English when they are made (commission-document.ts).
        const introduction = app.featureContext.i18n.translator('en').t('reviewInvitations.document.introduction');
        return renderForm(reply, review, formValues(review, sections, introduction));
      });
      uploads.post<IdParams>('/admin/reviews/:id/edit', async (req, reply) => {
        const { review } = await page.find(req.params.id);
        if (unreadableUpload(req.body)) return renderForm(reply, review, {}, unreadable(), 400);
        const { form, file } = fields(req.body);
        const result = await reviewCommission.update(req.currentUser!, review, form, file);
        if (!result.ok) return renderForm(reply, review, form, result.errors, result.errors.form ? 409 : 400);
        return reply.redirect(`/admin/reviews/${review.id}?saved=changed`, 303);
      });
    },
  );
}
