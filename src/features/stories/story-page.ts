import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { PublicComment } from '#src/features/comments/service.ts';
import { isStaff } from '#src/platform/identity/roles.ts';
import { formatDate } from '#src/lib/text.ts';
import { storyTarget, type PublishedStory, type StaffStory } from './service.ts';

export const STORY_TEMPLATE = 'stories/views/story.njk';

type Thread = { thread: PublicComment[]; count: number };

// Everything the story template needs. The comments section (comments/views/_section.njk) is
// included by it and reads `target` (the story as a comment target), `thread` and `commentCount`,
// plus whatever `extra` adds (for example the comment form's values and errors).
export function storyPageData(baseUrl: string, story: PublishedStory | StaffStory, thread: Thread, extra: Record<string, unknown> = {}) {
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
export function staffNoticeFor(story: StaffStory): string | null {
  if (story.isLive) return null;
  if (story.status === 'draft') return 'This story is a draft. Publish it to show it to readers.';
  return `This story is scheduled. Readers will see it from ${formatDate(story.publishedAt)}.`;
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
  const staffNotice = staff && 'isLive' in story ? staffNoticeFor(story) : null;
  reply.header('cache-control', 'private, no-cache');
  return reply.render(STORY_TEMPLATE, storyPageData(app.config.baseUrl, story, thread, { staffNotice, canEdit: staff, ...extra }), status);
}
