import type { FastifyInstance, FastifyReply } from 'fastify';
import { notFound } from '#src/lib/errors.ts';
import { errorSummary, trimmed, type FieldErrors } from '#src/lib/forms.ts';
import type { PublishedStory } from '#src/features/stories/service.ts';
import { isContributor } from '#src/platform/identity/roles.ts';
import type { PublicComment } from './service.ts';
import { commentFieldOrder, parseId, reportReasons } from './schema.ts';

type SlugParams = { Params: { slug: string } };
type IdParams = { Params: { id: string } };

// Error summary links go to the field to fix; two messages have no visible field of their own.
export function commentErrorList(errors: FieldErrors) {
  return errorSummary(errors, [...commentFieldOrder, 'stamp']).map((item) => {
    if (item.href === '#stamp') return { ...item, href: '#comment' };
    if (item.href === '#parentId') return { ...item, href: '#parentId-error' };
    return item;
  });
}

const reasonItems = (selected: unknown) => reportReasons.map((r) => ({ value: r.value, text: r.text, checked: selected === r.value }));

// The public side: add a comment (or a reply) without an account, and report a comment.
export default async function commentRoutes(app: FastifyInstance) {
  const { stories, comments } = app.services;

  // The comment form's minimum-fill-time stamp on this feature's own pages (the story page's
  // cache fills in its own per request).
  app.addHook('onRequest', async (_req, reply) => {
    reply.locals.formStamp = () => comments.issueFormStamp();
  });

  async function publishedStory(slug: string): Promise<PublishedStory> {
    const story = await stories.findPublishedBySlug(slug);
    if (!story) throw notFound('story');
    return story;
  }

  const storyPath = (story: PublishedStory) => `/stories/${encodeURIComponent(story.slug)}`;

  function renderForm(
    reply: FastifyReply,
    story: PublishedStory,
    data: {
      parent: PublicComment | null;
      values?: Record<string, unknown>;
      errors?: FieldErrors;
      errorList?: { text: string; href: string }[];
    },
    status = 200,
  ) {
    const pageTitle = data.parent ? `Reply to ${data.parent.authorName} – ${story.title}` : `Add a comment – ${story.title}`;
    return reply.render('comments/views/new.njk', { pageTitle, story, hideFormHeading: true, values: {}, errors: {}, ...data }, status);
  }

  // Someone who refreshes after a failed submission lands here: send them to the comments.
  app.get<SlugParams>('/stories/:slug/comments', async (req, reply) => {
    const story = await publishedStory(req.params.slug);
    return reply.redirect(`${storyPath(story)}#comments`);
  });

  // The comment form on its own page: where Reply links go without JavaScript.
  app.get<SlugParams & { Querystring: { parent?: string } }>('/stories/:slug/comments/new', async (req, reply) => {
    const story = await publishedStory(req.params.slug);
    let parent: PublicComment | null = null;
    if (req.query.parent) {
      parent = await comments.replyTarget(story.id, parseId(req.query.parent));
      if (!parent) throw notFound('comment');
    }
    return renderForm(reply, story, { parent });
  });

  app.post<SlugParams>('/stories/:slug/comments', async (req, reply) => {
    const story = await publishedStory(req.params.slug);
    const form = trimmed(req.body);
    const contributor = isContributor(req.currentUser) ? { id: req.currentUser.id, email: req.currentUser.email } : null;
    const result = await comments.submit(story, form, { ip: req.ip, contributor });
    switch (result.kind) {
      case 'pending':
        return reply.redirect(`${storyPath(story)}/comments/thanks`, 303);
      case 'published':
        return reply.redirect(`${storyPath(story)}#comment-${result.commentId}`, 303);
      case 'closed': {
        const errorList = [{ text: 'Comments are closed for this story', href: '#comments-closed' }];
        return renderForm(reply, story, { parent: null, errorList }, 400);
      }
      case 'invalid': {
        const parentId = result.errors.parentId ? null : parseId(form.parentId);
        const parent = parentId ? await comments.replyTarget(story.id, parentId) : null;
        return renderForm(reply, story, { parent, values: form, errors: result.errors, errorList: commentErrorList(result.errors) }, 400);
      }
      case 'refused':
        req.log.info({ why: result.why, storyId: story.id }, 'comment refused');
        return reply.render(
          'comments/views/not-accepted.njk',
          {
            pageTitle: 'We could not accept your comment',
            heading: 'We could not accept your comment',
            story,
            reason: 'refused',
            noun: 'comment',
          },
          400,
        );
      case 'rate-limited':
        req.log.info({ storyId: story.id }, 'comment rate limited');
        return reply.render(
          'comments/views/not-accepted.njk',
          {
            pageTitle: 'We could not accept your comment',
            heading: 'We could not accept your comment',
            story,
            reason: 'rate-limited',
            noun: 'comments',
            yourText: typeof form.comment === 'string' ? form.comment : '',
          },
          429,
        );
    }
  });

  app.get<SlugParams>('/stories/:slug/comments/thanks', async (req, reply) => {
    const story = await publishedStory(req.params.slug);
    return reply.render('comments/views/thanks.njk', { pageTitle: 'Thank you for your comment', story });
  });

  async function reportTarget(id: string) {
    const commentId = parseId(id);
    const target = commentId ? await comments.reportable(commentId) : null;
    if (!target) throw notFound('comment');
    return target;
  }

  app.get<IdParams>('/comments/:id/report', async (req, reply) => {
    const { comment, story } = await reportTarget(req.params.id);
    return reply.render('comments/views/report.njk', {
      pageTitle: 'Report a comment',
      comment,
      story,
      values: {},
      errors: {},
      reasonItems: reasonItems(undefined),
    });
  });

  app.post<IdParams>('/comments/:id/report', async (req, reply) => {
    const { comment, story } = await reportTarget(req.params.id);
    const form = trimmed(req.body);
    const result = await comments.report(comment.id, form, { ip: req.ip });
    if (result.kind === 'invalid') {
      return reply.render(
        'comments/views/report.njk',
        {
          pageTitle: 'Report a comment',
          comment,
          story,
          values: form,
          errors: result.errors,
          errorList: errorSummary(result.errors, ['reason', 'details']),
          reasonItems: reasonItems(form.reason),
        },
        400,
      );
    }
    if (result.kind === 'rate-limited') {
      req.log.info({ commentId: comment.id }, 'report rate limited');
      return reply.render(
        'comments/views/not-accepted.njk',
        {
          pageTitle: 'We could not accept your report',
          heading: 'We could not accept your report',
          story,
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
    const target = await comments.reportable(commentId);
    return reply.render('comments/views/report-thanks.njk', { pageTitle: 'Thank you for your report', story: target?.story ?? null });
  });
}
