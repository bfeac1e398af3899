import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { notFound } from '#src/lib/errors.ts';
import { errorSummary, trimmed, validateForm, type FieldErrors } from '#src/lib/forms.ts';
import { requireStaff } from '#src/platform/identity/plugin.ts';
import type { CurrentUser } from '#src/platform/identity/roles.ts';
import { BulkSchema, parseQueueQuery, queueHref, queueTabs, type ModerationAction, type QueueQuery, type QueueTab } from './schema.ts';
import { QUEUE_PAGE_SIZE } from './moderation.ts';
import type { CommentsService } from './service.ts';
import { paginationParams } from '#src/lib/pagination.ts';
import { parseId } from '#src/lib/ids.ts';
import { msg } from '#src/lib/messages.ts';
import { languages, type Translator } from '#src/lib/i18n.ts';

type IdParams = { Params: { id: string } };

// What the page says after an action (PRG). Only these fixed texts are shown: nothing from the
// query string is echoed back. Each is a key under comments.admin.outcome (plural for counts).
const outcomes: Record<string, { success: boolean; counted?: boolean }> = {
  approve: { success: true, counted: true },
  reject: { success: true, counted: true },
  spam: { success: true, counted: true },
  'spam-blocked': { success: true },
  dismissed: { success: true },
  'blocked-email': { success: true },
  'blocked-ip': { success: true },
  'already-blocked': { success: true },
  'no-ip': { success: false },
  unblocked: { success: true },
  replied: { success: true },
  'none-selected': { success: false },
  gone: { success: false },
  'block-gone': { success: false },
};

function outcomeFrom(tr: Translator, query: Record<string, string | undefined>) {
  const done = query.done;
  const outcome = done ? outcomes[done] : undefined;
  if (!done || !outcome) return null;
  const n = /^\d{1,6}$/.test(query.n ?? '') ? Number(query.n) : 1;
  const text = tr.t(`comments.admin.outcome.${done}`, outcome.counted ? { count: n } : undefined);
  return { text, success: outcome.success };
}

// Back to the list the form was on (its tab, search and page filter), saying what happened. Its
// first page: what was decided has left the list, so later pages have moved up.
const queueUrl = (list: QueueQuery, done: string, n?: number) =>
  queueHref({ status: list.status, q: list.q, on: list.on }, n === undefined ? { done } : { done, n: String(n) });

type PageChoice = Awaited<ReturnType<CommentsService['pagesWithComments']>>[number];

// The search box, the page filter, "select all" and the NHS pagination for one list.
function filterView(tr: Translator, list: QueueQuery, pages: PageChoice[], total: number) {
  const onValue = list.on ? `${list.on.type}-${list.on.id}` : '';
  const base = { status: list.status, q: list.q, on: list.on };
  return {
    filterQ: list.q,
    filterOn: onValue,
    filtered: !!(list.q || list.on),
    selectAll: list.select,
    selectAllHref: queueHref({ ...base, page: list.page }, { select: 'all' }),
    clearSelectionHref: queueHref({ ...base, page: list.page }),
    pageItems: [
      { value: '', text: tr.t('moderation.admin.filter.allPages') },
      ...pages.map((p) => {
        const value = `${p.ref.type}-${p.ref.id}`;
        const text = p.title ?? tr.t('moderation.admin.filter.unpublished', { context: p.noun, id: p.ref.id });
        return { value, text, selected: value === onValue };
      }),
    ],
    pagination: paginationParams(list.page, total, QUEUE_PAGE_SIZE, (n) => queueHref({ ...base, page: n })),
  };
}

// The moderation queue and blocked senders, for staff only.
export default async function commentAdminRoutes(app: FastifyInstance) {
  const { comments } = app.services;

  app.addHook('onRequest', requireStaff);
  // These pages show email and IP addresses: never keep them in a shared cache or the back button.
  app.addHook('onSend', async (_req, reply) => {
    reply.header('cache-control', 'no-store');
  });

  const staff = (req: FastifyRequest): CurrentUser => req.currentUser!;
  // The list a form was posted from, from its hidden fields.
  const tabOf = (req: FastifyRequest) => parseQueueQuery(req.body);

  app.get<{ Querystring: Record<string, string | undefined> }>('/admin/comments', async (req, reply) => {
    const list = parseQueueQuery(req.query);
    const { status: tab, page } = list;
    const [queue, pagesWithComments] = await Promise.all([
      comments.queue(tab, page, { q: list.q, on: list.on }),
      comments.pagesWithComments(),
    ]);
    // After a reply: a link to it on its page, whose kind and key the redirect carried (?story=slug).
    const replied = req.query.done === 'replied' && /^\d{1,9}$/.test(req.query.comment ?? '');
    const replyPage = replied
      ? comments.targets
          .all()
          .map((c) => ({ noun: c.noun, path: comments.targets.pathFor(c.type, req.query[c.type]) }))
          .find((p) => p.path !== null)
      : undefined;
    const replyLink = replyPage ? `${replyPage.path}#comment-${req.query.comment}` : null;
    const tabLabel = (t: QueueTab) => req.tr.t(`comments.admin.tabs.${t}`);
    return reply.render('comments/views/admin/queue.njk', {
      pageTitle: msg('comments.admin.queueTitle', { tab: tabLabel(tab) }),
      tab,
      tabLabel: tabLabel(tab),
      tabLabelLower: req.tr.t(`comments.admin.tabsLower.${tab}`),
      tabs: queueTabs.map((t) => ({ key: t, label: tabLabel(t), count: queue.counts[t], current: t === tab })),
      ...queue,
      ...filterView(req.tr, list, pagesWithComments, queue.total),
      outcome: outcomeFrom(req.tr, req.query),
      replyLink,
      replyNoun: replyPage?.noun,
    });
  });

  app.post('/admin/comments/bulk', async (req, reply) => {
    const tab = tabOf(req);
    const result = validateForm(BulkSchema, req.body);
    if (!result.ok || !result.value.ids.length) return reply.redirect(queueUrl(tab, 'none-selected'), 303);
    const n = await comments.moderate(result.value.ids, result.value.action, staff(req).id);
    return reply.redirect(queueUrl(tab, result.value.action, n), 303);
  });

  for (const action of ['approve', 'reject', 'spam'] as const satisfies ModerationAction[]) {
    app.post<IdParams>(`/admin/comments/:id/${action}`, async (req, reply) => {
      const tab = tabOf(req);
      const id = parseId(req.params.id);
      const block = action === 'spam' && (req.body as Record<string, unknown> | undefined)?.block === 'yes';
      const n = id ? await comments.moderate([id], action, staff(req).id, { block }) : 0;
      if (!n) return reply.redirect(queueUrl(tab, 'gone'), 303);
      return reply.redirect(queueUrl(tab, block ? 'spam-blocked' : action, 1), 303);
    });
  }

  app.post<IdParams>('/admin/comments/:id/dismiss-reports', async (req, reply) => {
    const id = parseId(req.params.id);
    const ok = id ? await comments.dismissReports(id, staff(req).id) : false;
    return reply.redirect(queueUrl(tabOf(req), ok ? 'dismissed' : 'gone'), 303);
  });

  for (const kind of ['email', 'ip'] as const) {
    app.post<IdParams>(`/admin/comments/:id/block-${kind}`, async (req, reply) => {
      const id = parseId(req.params.id);
      const result = id ? await comments.blockSender(id, kind, staff(req).id) : 'not-found';
      const done = result === 'blocked' ? `blocked-${kind}` : result === 'not-found' ? 'gone' : result;
      return reply.redirect(queueUrl(tabOf(req), done), 303);
    });
  }

  // --- staff replies ---
  async function renderReply(
    reply: FastifyReply,
    commentId: string,
    extra: { values?: Record<string, unknown>; errors?: FieldErrors } = {},
    status = 200,
  ) {
    const id = parseId(commentId);
    const context = id ? await comments.replyContext(id) : null;
    if (!context) throw notFound('comment');
    const errors = extra.errors ?? {};
    return reply.render(
      'comments/views/admin/reply.njk',
      {
        pageTitle: msg('comments.admin.reply.title', { name: context.comment.authorName }),
        ...context,
        languageItems: languages.map((l) => ({
          value: l.code,
          text: l.name,
          checked: (extra.values?.language ?? context.comment.language) === l.code,
          attributes: { lang: l.code },
        })),
        values: extra.values ?? {},
        errors,
        errorList: errorSummary(errors, ['reply', 'language']),
      },
      status,
    );
  }

  app.get<IdParams>('/admin/comments/:id/reply', async (req, reply) => renderReply(reply, req.params.id));

  app.post<IdParams>('/admin/comments/:id/reply', async (req, reply) => {
    const id = parseId(req.params.id);
    if (!id) throw notFound('comment');
    const form = trimmed(req.body);
    const user = staff(req);
    const result = await comments.staffReply(id, form, user, { ip: req.ip });
    if (result.kind === 'not-found') throw notFound('comment');
    if (result.kind === 'invalid') return renderReply(reply, req.params.id, { values: form, errors: result.errors }, 400);
    const page = `${result.target.type}=${encodeURIComponent(result.target.key)}`;
    return reply.redirect(`/admin/comments?status=approved&done=replied&comment=${result.commentId}&${page}`, 303);
  });

  // --- blocked senders ---
  async function renderBlocked(
    reply: FastifyReply,
    query: Record<string, string | undefined>,
    extra: { values?: Record<string, unknown>; errors?: FieldErrors } = {},
    status = 200,
  ) {
    const errors = extra.errors ?? {};
    return reply.render(
      'comments/views/admin/blocked.njk',
      {
        pageTitle: msg('comments.admin.blocked.title'),
        blocks: await comments.listBlocks(),
        outcome: outcomeFrom(reply.request.tr, query),
        values: extra.values ?? {},
        errors,
        errorList: errorSummary(errors, ['kind', 'value', 'reason']),
      },
      status,
    );
  }

  app.get<{ Querystring: Record<string, string | undefined> }>('/admin/comments/blocked', async (req, reply) =>
    renderBlocked(reply, req.query),
  );

  app.post('/admin/comments/blocked', async (req, reply) => {
    const form = trimmed(req.body);
    const result = await comments.addBlock(form, staff(req).id);
    if (result.kind === 'invalid') return renderBlocked(reply, {}, { values: form, errors: result.errors }, 400);
    const done = result.kind === 'blocked' ? (form.kind === 'ip' ? 'blocked-ip' : 'blocked-email') : 'already-blocked';
    return reply.redirect(`/admin/comments/blocked?done=${done}`, 303);
  });

  app.post<IdParams>('/admin/comments/blocked/:id/unblock', async (req, reply) => {
    const id = parseId(req.params.id);
    const ok = id ? await comments.unblock(id) : false;
    return reply.redirect(`/admin/comments/blocked?done=${ok ? 'unblocked' : 'block-gone'}`, 303);
  });
}
