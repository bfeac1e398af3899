import type { FastifyInstance, FastifyReply } from 'fastify';
import { notFound } from '#src/lib/errors.ts';
import { errorSummary, trimmed, type FieldErrors } from '#src/lib/forms.ts';
import type { CommentTarget } from '#src/platform/feature.ts';
import { isContributor } from '#src/platform/identity/roles.ts';
import { STAMP_COOKIE, type PublicComment } from './service.ts';
import { commentFieldOrder, reportReasons } from './schema.ts';
import { parseId } from '#src/lib/ids.ts';
import { msg } from '#src/lib/messages.ts';
import { localised } from '#src/lib/localised.ts';
import type { Lang, Translator } from '#src/lib/i18n.ts';

type PageParams = { Params: Record<string, string> };
type IdParams = { Params: { id: string } };

// Error summary links go to the field to fix; two messages have no visible field of their own.
export function commentErrorList(errors: FieldErrors) {
  return errorSummary(errors, [...commentFieldOrder, 'stamp']).map((item) => {
    if (item.href === '#stamp') return { ...item, href: '#comment' };
    if (item.href === '#parentId') return { ...item, href: '#parentId-error' };
    return item;
  });
}

const reasonItems = (tr: Translator, selected: unknown) =>
  reportReasons.map((r) => ({ value: r.value, text: tr.t(r.key), checked: selected === r.value }));

// The page a comment is on, named in the page's language when it has a version in it (a story's
// Welsh title, say): the target may carry `translations` (#src/lib/localised.ts).
const inLanguage = (target: CommentTarget, lang: Lang) => localised(target, ['title'], lang);

// The public side: add a comment (or a reply) without an account, and report a comment. The
// comment routes of each commentable kind of page are mounted under that page's own address.
export default async function commentRoutes(app: FastifyInstance) {
  const { comments } = app.services;
  const ctx = app.featureContext;

  // The comment form's minimum-fill-time stamp on this feature's own pages (a cached page fills
  // in its own per request).
  app.addHook('onRequest', async (_req, reply) => {
    reply.locals.formStamp = () => comments.issueFormStamp();
  });

  const renderForm = (
    reply: FastifyReply,
    target: CommentTarget,
    data: {
      parent: PublicComment | null;
      values?: Record<string, unknown>;
      errors?: FieldErrors;
      errorList?: { text: string; href: string }[];
    },
    status = 200,
  ) => {
    const page = inLanguage(target, reply.request.lang);
    const pageTitle = data.parent
      ? msg('comments.new.titleReply', { name: data.parent.authorName, title: page.title })
      : msg('comments.new.titleNew', { title: page.title });
    return reply.render(
      'comments/views/new.njk',
      { pageTitle, target: page, hideFormHeading: true, values: {}, errors: {}, ...data },
      status,
    );
  };

  for (const commentable of comments.targets.all()) {
    const base = commentable.path;
    const pageOf = async (params: Record<string, string>): Promise<CommentTarget> => {
      const target = await commentable.findByParams(ctx, params);
      if (!target) throw notFound(commentable.noun);
      return target;
    };

    // Someone who refreshes after a failed submission lands here: send them to the comments.
    app.get<PageParams>(`${base}/comments`, async (req, reply) => {
      const target = await pageOf(req.params);
      return reply.redirect(`${target.path}#comments`);
    });

    // The comment form on its own page: where Reply links go without JavaScript.
    app.get<PageParams & { Querystring: { parent?: string } }>(`${base}/comments/new`, async (req, reply) => {
      const target = await pageOf(req.params);
      let parent: PublicComment | null = null;
      if (req.query.parent) {
        parent = await comments.replyTarget(target, parseId(req.query.parent));
        if (!parent) throw notFound('comment');
      }
      return renderForm(reply, target, { parent });
    });

    // Signed-in people post with the page's CSRF token; an anonymous post is checked by where it
    // came from and its stamp, which a cached page sends as a cookie (ADR 20).
    app.post<PageParams>(`${base}/comments`, { config: { csrf: 'signed-in' } }, async (req, reply) => {
      const target = await pageOf(req.params);
      const form = trimmed(req.body);
      if (!form.stamp && req.cookies[STAMP_COOKIE]) form.stamp = req.cookies[STAMP_COOKIE];
      const contributor = isContributor(req.currentUser) ? { id: req.currentUser.id, email: req.currentUser.email } : null;
      const result = await comments.submit(target, form, { ip: req.ip, contributor, lang: req.lang });
      switch (result.kind) {
        case 'pending':
          return reply.redirect(`${target.path}/comments/thanks`, 303);
        case 'published':
          return reply.redirect(`${target.path}#comment-${result.commentId}`, 303);
        case 'closed': {
          const errorList = [{ text: msg('comments.errors.closed', { context: target.noun }), href: '#comments-closed' }];
          return renderForm(reply, target, { parent: null, errorList }, 400);
        }
        case 'invalid': {
          const parentId = result.errors.parentId ? null : parseId(form.parentId);
          const parent = parentId ? await comments.replyTarget(target, parentId) : null;
          return renderForm(
            reply,
            target,
            { parent, values: form, errors: result.errors, errorList: commentErrorList(result.errors) },
            400,
          );
        }
        case 'refused':
          req.log.info({ why: result.why, target: `${target.type}:${target.id}` }, 'comment refused');
          return reply.render(
            'comments/views/not-accepted.njk',
            {
              pageTitle: msg('comments.notAccepted.comment'),
              heading: req.tr.t('comments.notAccepted.comment'),
              target: inLanguage(target, req.lang),
              reason: 'refused',
              noun: 'comment',
            },
            400,
          );
        case 'rate-limited':
          req.log.info({ target: `${target.type}:${target.id}` }, 'comment rate limited');
          return reply.render(
            'comments/views/not-accepted.njk',
            {
              pageTitle: msg('comments.notAccepted.comment'),
              heading: req.tr.t('comments.notAccepted.comment'),
              target: inLanguage(target, req.lang),
              reason: 'rate-limited',
              noun: 'comments',
              yourText: typeof form.comment === 'string' ? form.comment : '',
            },
            429,
          );
      }
    });

    app.get<PageParams>(`${base}/comments/thanks`, async (req, reply) => {
      const target = await pageOf(req.params);
      return reply.render('comments/views/thanks.njk', { pageTitle: msg('comments.thanks.title'), target: inLanguage(target, req.lang) });
    });
  }

  async function reportTarget(id: string) {
    const commentId = parseId(id);
    const target = commentId ? await comments.reportable(commentId) : null;
    if (!target) throw notFound('comment');
    return target;
  }

  app.get<IdParams>('/comments/:id/report', async (req, reply) => {
    const { comment, target } = await reportTarget(req.params.id);
    return reply.render('comments/views/report.njk', {
      pageTitle: msg('comments.report.title'),
      comment,
      target: inLanguage(target, req.lang),
      values: {},
      errors: {},
      reasonItems: reasonItems(req.tr, undefined),
    });
  });

  app.post<IdParams>('/comments/:id/report', async (req, reply) => {
    const { comment, target } = await reportTarget(req.params.id);
    const form = trimmed(req.body);
    const result = await comments.report(comment.id, form, { ip: req.ip });
    if (result.kind === 'invalid') {
      return reply.render(
        'comments/views/report.njk',
        {
          pageTitle: msg('comments.report.title'),
          comment,
          target: inLanguage(target, req.lang),
          values: form,
          errors: result.errors,
          errorList: errorSummary(result.errors, ['reason', 'details']),
          reasonItems: reasonItems(req.tr, form.reason),
        },
        400,
      );
    }
    if (result.kind === 'rate-limited') {
      req.log.info({ commentId: comment.id }, 'report rate limited');
      return reply.render(
        'comments/views/not-accepted.njk',
        {
          pageTitle: msg('comments.notAccepted.report'),
          heading: req.tr.t('comments.notAccepted.report'),
          target: inLanguage(target, req.lang),
          reason: 'rate-limited',
          noun: 'reports',
        },
        429,
      );
    }
    return reply.redirect(`/comments/${comment.id}/report/thanks`, 303);
  });

  app.get<IdParams>('/comments/:id/report/thanks', async (req, reply) => {
    const commentId = parseId(req.params.id);
    if (!commentId) throw notFound('comment');
    // The comment may already have been taken down; the thanks still stand.
    const reported = await comments.reportable(commentId);
    return reply.render('comments/views/report-thanks.njk', {
      pageTitle: msg('comments.reportThanks.title'),
      target: reported ? inLanguage(reported.target, req.lang) : null,
    });
  });
}
