import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { PublicComment } from '#src/features/comments/service.ts';
import { isStaff } from '#src/platform/identity/roles.ts';
import { localised } from '#src/lib/localised.ts';
import type { Lang, Translator } from '#src/lib/i18n.ts';
import { storyTarget, type PublishedStory, type StaffStory } from './service.ts';

export const STORY_TEMPLATE = 'stories/views/story.njk';

type Thread = { thread: PublicComment[]; count: number };

// The story's title, summary and body in the page's language, or the English marked as such.
export const localisedStory = <S extends PublishedStory>(story: S, lang: Lang) => localised(story, ['title', 'summary', 'bodyHtml'], lang);

// Everything the story template needs, in the page's language. The comments section
// (comments/views/_section.njk) is included by it and reads `target` (the story as a comment
// target), `thread` and `commentCount`, plus whatever `extra` adds (for example the comment form's
// values and errors).
export function storyPageData(
  baseUrl: string,
  lang: Lang,
  original: PublishedStory | StaffStory,
  thread: Thread,
  extra: Record<string, unknown> = {},
) {
  const story = localisedStory(original, lang);
  return {
    pageTitle: story.title,
    metaDescription: story.summary,
    canonicalUrl: `${baseUrl}/stories/${story.slug}`,
    story,
    target: storyTarget(story),
    thread: thread.thread,
    commentCount: thread.count,
    ...extra,
  };
}

// What staff are told when they look at a story readers cannot see yet.
export function staffNoticeFor(story: StaffStory, tr: Translator): string | null {
  if (story.isLive) return null;
  if (story.status === 'draft') return tr.t('stories.admin.notice.draft');
  return tr.t('stories.admin.notice.scheduled', { date: tr.date(story.publishedAt) });
}

// Renders the story page without the anonymous cache: for signed-in people, and for routes
// (like adding a comment) that show the page again with something particular to this request.
export async function renderStoryPage(
  app: FastifyInstance,
  req: FastifyRequest,
  reply: FastifyReply,
  story: PublishedStory | StaffStory,
  extra: Record<string, unknown> = {},
  status = 200,
) {
  const { comments } = app.services;
  reply.locals.formStamp = () => comments.issueFormStamp();
  const thread = await comments.threadFor('story', story.id);
  const staff = isStaff(req.currentUser);
  const staffNotice = staff && 'isLive' in story ? staffNoticeFor(story, req.tr) : null;
  reply.header('cache-control', 'private, no-cache');
  return reply.render(
    STORY_TEMPLATE,
    storyPageData(app.config.baseUrl, req.lang, story, thread, { staffNotice, canEdit: staff, ...extra }),
    status,
  );
}
