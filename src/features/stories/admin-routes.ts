import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { notFound } from '#src/lib/errors.ts';
import { errorSummary, trimmed, validateForm, type FieldErrors } from '#src/lib/forms.ts';
import { requireStaff } from '#src/platform/identity/plugin.ts';
import { pageCount, paginationParams, parsePage } from '#src/lib/pagination.ts';
import { StoryFormSchema, londonDate, storyFieldOrder, type StoryFormValues } from './schema.ts';
import type { StaffStory } from './service.ts';
import { parseId } from '#src/lib/ids.ts';
import { msg } from '#src/lib/messages.ts';
import { localisedStory } from './story-page.ts';
import { storyImageRoutes } from './admin-image-routes.ts';

const FORM_TEMPLATE = 'stories/views/admin/form.njk';
const PER_PAGE = 50;

type IdParams = { Params: { id: string } };

// The list's address with its search kept (page 1 has no ?page).
export function listHref(opts: { q: string; page: number }): string {
  const params = new URLSearchParams();
  if (opts.q) params.set('q', opts.q);
  if (opts.page > 1) params.set('page', String(opts.page));
  const query = params.toString();
  return query ? `/admin/stories?${query}` : '/admin/stories';
}

// The error summary links each message to its field; the date input's first box is "-day".
const summaryFor = (errors: FieldErrors) =>
  errorSummary(errors, storyFieldOrder).map((e) => (e.href === '#publishedAt' ? { ...e, href: '#publishedAt-day' } : e));

export default async function storyAdminRoutes(app: FastifyInstance) {
  const { stories } = app.services;
  app.addHook('onRequest', requireStaff);

  function renderForm(
    reply: FastifyReply,
    opts: {
      id?: number;
      values: StoryFormValues | Record<string, unknown>;
      errors?: FieldErrors;
      preview?: StaffStory;
      story?: StaffStory;
    },
    status = 200,
  ) {
    const isNew = opts.id === undefined;
    const heading = reply.request.tr.t(isNew ? 'stories.admin.form.newTitle' : 'stories.admin.form.editTitle');
    const welsh = opts.preview?.translations.cy?.title ? localisedStory(opts.preview, 'cy') : undefined;
    return reply.render(
      FORM_TEMPLATE,
      {
        pageTitle: opts.preview ? msg('stories.admin.form.previewTitle', { title: opts.preview.title }) : heading,
        heading,
        previewWelsh: welsh,
        formAction: isNew ? '/admin/stories/new' : `/admin/stories/${opts.id}/edit`,
        values: opts.values,
        errors: opts.errors ?? {},
        errorList: opts.errors ? summaryFor(opts.errors) : [],
        preview: opts.preview,
        story: opts.story,
      },
      status,
    );
  }

  async function handleSubmit(req: FastifyRequest, reply: FastifyReply, id?: number) {
    const body = trimmed(req.body);
    const existing = id === undefined ? null : await stories.findForEdit(id);
    if (id !== undefined && !existing) throw notFound('story');
    const story = existing?.story;
    const result = validateForm(StoryFormSchema, body);
    if (!result.ok) return renderForm(reply, { id, values: body, errors: result.errors, story }, 400);
    if (body.action === 'preview') {
      return renderForm(reply, { id, values: body, preview: await stories.preview(result.value, id), story });
    }
    const saved = id === undefined ? await stories.create(result.value) : await stories.update(id, result.value);
    if (!saved.ok) return renderForm(reply, { id, values: body, errors: saved.errors, story }, 409);
    return reply.redirect(`/admin/stories?saved=${saved.id}`, 303);
  }

  app.get<{ Querystring: { page?: unknown; saved?: string; q?: unknown; done?: string } }>('/admin/stories', async (req, reply) => {
    const page = parsePage(req.query.page);
    if (!page) throw notFound();
    const q = typeof req.query.q === 'string' ? req.query.q.trim().slice(0, 200) : '';
    const list = await stories.listForStaff({ page, perPage: PER_PAGE, q });
    const lastPage = pageCount(list.total, PER_PAGE);
    if (page > lastPage) throw notFound();
    const savedId = typeof req.query.saved === 'string' ? parseId(req.query.saved) : null;
    const saved = savedId ? await stories.findForEdit(savedId) : null;
    const href = (n: number) => listHref({ q, page: n });
    return reply.render('stories/views/admin/list.njk', {
      pageTitle: msg('stories.admin.list.title'),
      stories: list.items,
      total: list.total,
      q,
      saved: saved?.story,
      // Fixed outcomes only: nothing from the query string is echoed.
      done: req.query.done === 'deleted' || req.query.done === 'unpublished' ? req.query.done : null,
      pagination: paginationParams(page, list.total, PER_PAGE, href),
    });
  });

  app.get('/admin/stories/new', async (req, reply) => {
    const today = londonDate(new Date());
    const values: StoryFormValues = {
      authorName: req.currentUser?.name ?? '',
      authorJobTitle: req.currentUser?.jobTitle ?? '',
      'publishedAt-day': String(today.day),
      'publishedAt-month': String(today.month),
      'publishedAt-year': String(today.year),
      status: 'draft',
      comments: 'open',
    };
    return renderForm(reply, { values });
  });

  app.post('/admin/stories/new', async (req, reply) => handleSubmit(req, reply));

  app.get<IdParams>('/admin/stories/:id/edit', async (req, reply) => {
    const id = parseId(req.params.id);
    const found = id ? await stories.findForEdit(id) : null;
    if (!id || !found) throw notFound('story');
    return renderForm(reply, { id, values: found.values, story: found.story });
  });

  app.post<IdParams>('/admin/stories/:id/edit', async (req, reply) => {
    const id = parseId(req.params.id);
    if (!id) throw notFound('story');
    return handleSubmit(req, reply, id);
  });

  app.get<IdParams>('/admin/stories/:id/delete', async (req, reply) => {
    const id = parseId(req.params.id);
    const summary = id ? await stories.deletionSummary(id) : null;
    if (!summary) throw notFound('story');
    return reply.render('stories/views/admin/delete.njk', {
      pageTitle: msg('storyAdmin.admin.delete.title', { title: summary.title }),
      summary,
    });
  });

  app.post<IdParams>('/admin/stories/:id/delete', async (req, reply) => {
    const id = parseId(req.params.id);
    const deleted = id ? await stories.deleteStory(id, req.currentUser!.id) : null;
    if (!deleted) throw notFound('story');
    return reply.redirect('/admin/stories?done=deleted', 303);
  });

  app.post<IdParams>('/admin/stories/:id/unpublish', async (req, reply) => {
    const id = parseId(req.params.id);
    const found = id ? await stories.findForEdit(id) : null;
    if (!id || !found) throw notFound('story');
    await stories.unpublish(id, req.currentUser!.id);
    return reply.redirect('/admin/stories?done=unpublished', 303);
  });

  await storyImageRoutes(app);
}
