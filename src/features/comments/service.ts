import type { EventEmitter } from 'node:events';
import type { Db } from '#src/db/client.ts';
import type { Config } from '#src/config.ts';
import type { DomainEvents } from '#src/platform/events.ts';
import { validateForm, type FieldErrors } from '#src/lib/forms.ts';
import type { SettingsService } from '#src/platform/settings/service.ts';
import type { PublishedStory, StoriesService } from '#src/features/stories/service.ts';
import { createCommentsRepository, type PublicRow } from './repository.ts';
import { CommentFormSchema, ReportFormSchema } from './schema.ts';
import { checkStamp, defaultSpamPolicy, honeypotFilled, signStamp, type SpamPolicy } from './spam.ts';
import { createModeration } from './moderation.ts';
import type { MailService } from '#src/platform/mail/service.ts';
import { createCommentNotifications } from './notifications.ts';

export type PublicComment = {
  id: number;
  parentId: number | null;
  authorName: string;
  authorJobTitle: string | null;
  authorOrganisation: string | null;
  body: string;
  isStaff: boolean;
  createdAt: Date;
  replies: PublicComment[];
};

export type SubmitResult =
  | { kind: 'closed' }
  // A script (honeypot, missing or forged stamp, sent too fast) or a blocked sender: nothing stored.
  | { kind: 'refused'; why: string }
  | { kind: 'rate-limited' }
  | { kind: 'invalid'; errors: FieldErrors }
  | { kind: 'pending'; commentId: number }
  | { kind: 'published'; commentId: number };

export type ReportResult = { kind: 'invalid'; errors: FieldErrors } | { kind: 'rate-limited' } | { kind: 'reported' };

export type CommentsDeps = {
  events: EventEmitter<DomainEvents>;
  settings: SettingsService;
  stories: StoriesService;
  config: Config;
  mail: MailService;
  // For tests and benchmarks: tighter or looser spam limits, and a clock.
  policy?: Partial<SpamPolicy>;
  now?: () => number;
};

const toPublic = (row: PublicRow): PublicComment => ({
  id: row.id,
  parentId: row.parentId,
  authorName: row.authorName,
  authorJobTitle: row.authorJobTitle,
  authorOrganisation: row.authorOrganisation,
  body: row.body,
  isStaff: row.authorIsStaff,
  createdAt: row.createdAt,
  replies: [],
});

// Rows arrive oldest first, so appending keeps every level in order. A reply whose parent is not
// approved (rejected after the reply was approved) is hidden with its own replies: without its
// parent it would make no sense. The count is of what is shown.
export function buildThread(rows: PublicRow[]): { thread: PublicComment[]; count: number } {
  const byId = new Map(rows.map((r) => [r.id, toPublic(r)]));
  const thread: PublicComment[] = [];
  for (const node of byId.values()) {
    if (node.parentId === null) thread.push(node);
    else byId.get(node.parentId)?.replies.push(node);
  }
  let count = 0;
  const visit = (nodes: PublicComment[]) => {
    for (const n of nodes) {
      count++;
      visit(n.replies);
    }
  };
  visit(thread);
  return { thread, count };
}

export const FORMER_CONTRIBUTOR = 'Former contributor';
const PARENT_GONE = 'The comment you are replying to is no longer available';

export function createCommentsService(db: Db, deps: CommentsDeps) {
  const { events, settings, stories, config } = deps;
  const policy: SpamPolicy = { ...defaultSpamPolicy, ...deps.policy };
  const now = deps.now ?? Date.now;
  const repo = createCommentsRepository(db);
  const changed = (storyId: number) => events.emit('comments.changed', storyId);
  const notify = createCommentNotifications({ mail: deps.mail, settings, config });

  // An approved comment on the given story, to reply to or to quote.
  async function approvedOnStory(storyId: number, commentId: number | null): Promise<PublicComment | null> {
    if (!commentId) return null;
    const row = await repo.findPublicApproved(commentId);
    return row && row.storyId === storyId ? toPublic(row) : null;
  }

  return {
    policy,

    // Approved comments of a story as a tree, oldest first at every level. Never includes emails.
    async threadForStory(storyId: number): Promise<{ thread: PublicComment[]; count: number }> {
      return buildThread(await repo.approvedForStory(storyId));
    },

    // A signed, timestamped value for the comment form's hidden "stamp" field (minimum fill time).
    issueFormStamp(issuedAt: number = now()): string {
      return signStamp(config.authSecret, issuedAt);
    },

    replyTarget: approvedOnStory,

    // The whole public submission: spam signals, validation, sender limits, moderation policy.
    // A signed-in contributor's comment is linked to their account and uses its email address.
    async submit(
      story: PublishedStory,
      form: Record<string, unknown>,
      ctx: { ip: string | null; contributor?: { id: string; email: string } | null },
    ): Promise<SubmitResult> {
      if (!story.commentsOpen) return { kind: 'closed' };
      if (ctx.contributor) form = { ...form, email: ctx.contributor.email };
      if (honeypotFilled(form.website)) return { kind: 'refused', why: 'honeypot' };
      const stamp = checkStamp(form.stamp, config.authSecret, now(), policy);
      if (stamp !== 'ok' && stamp !== 'expired') return { kind: 'refused', why: `stamp ${stamp}` };

      const result = validateForm(CommentFormSchema, form);
      const errors: FieldErrors = result.ok ? {} : { ...result.errors };
      if (stamp === 'expired') errors.stamp = 'This page was open for a long time. Check your comment and send it again';
      if (result.ok && result.value.parentId && !(await approvedOnStory(story.id, result.value.parentId))) {
        errors.parentId = PARENT_GONE;
      }
      if (!result.ok || Object.keys(errors).length) return { kind: 'invalid', errors };
      const input = result.value;

      const at = now();
      const standing = await repo.senderStanding({
        email: input.email,
        ip: ctx.ip,
        ipSince: new Date(at - policy.perIp.windowMs),
        emailSince: new Date(at - policy.perEmail.windowMs),
      });
      if (standing.blocked) return { kind: 'refused', why: 'blocked sender' };
      if (standing.fromIp >= policy.perIp.max || standing.fromEmail >= policy.perEmail.max) return { kind: 'rate-limited' };

      const { moderation } = await settings.get();
      const approve = moderation === 'none' || (moderation === 'first-time' && standing.hasApprovedComment);
      // The comment and the emails it causes are stored together, or not at all.
      const row = await db.transaction(async (tx) => {
        const inserted = await createCommentsRepository(tx).insert({
          storyId: story.id,
          parentId: input.parentId,
          authorName: input.name,
          authorJobTitle: input.jobTitle,
          authorOrganisation: input.organisation,
          authorEmail: input.email,
          contributorUserId: ctx.contributor?.id ?? null,
          body: input.comment,
          notifyReplies: input.notifyReplies,
          ipAddress: ctx.ip,
          status: approve ? 'approved' : 'pending',
          createdAt: new Date(at),
        });
        if (approve) await notify.published(tx, story, [inserted], { tellAuthors: false });
        else await notify.waiting(tx, story, inserted);
        return inserted;
      });
      if (approve) {
        changed(story.id);
        return { kind: 'published', commentId: row.id };
      }
      return { kind: 'pending', commentId: row.id };
    },

    forgetIpAddressesBefore: (before: Date) => repo.forgetIpAddressesBefore(before),

    // How many comments wait for a decision, and how many have open reports (the staff home).
    queueCounts: () => repo.queueCounts(),

    // Comments a contributor wrote while signed in, for "Download my data".
    async byContributor(userId: string) {
      const rows = await repo.byContributor(userId);
      return rows.map((r) => ({
        id: r.id,
        storyId: r.storyId,
        body: r.body,
        status: r.status,
        createdAt: r.createdAt,
        authorName: r.authorName,
      }));
    },

    // An account is being deleted: its comments stay, as "Former contributor", with nothing that
    // identifies the person (name, job title, organisation, email, IP address). In the caller's
    // transaction; call commentsChanged with the story ids once it has committed.
    async forgetContributor(userId: string, tx: Db): Promise<number[]> {
      return createCommentsRepository(tx).anonymiseContributor(userId, FORMER_CONTRIBUTOR);
    },

    commentsChanged(storyIds: number[]) {
      for (const id of new Set(storyIds)) changed(id);
    },

    // A comment anyone may report: approved, on a story that is published.
    async reportable(commentId: number): Promise<{ comment: PublicComment; story: PublishedStory } | null> {
      const row = await repo.findPublicApproved(commentId);
      if (!row) return null;
      const story = await stories.findPublishedById(row.storyId);
      return story ? { comment: toPublic(row), story } : null;
    },

    async report(commentId: number, form: Record<string, unknown>, ctx: { ip: string | null }): Promise<ReportResult> {
      const result = validateForm(ReportFormSchema, form);
      if (!result.ok) return { kind: 'invalid', errors: result.errors };
      const at = now();
      if (ctx.ip) {
        const recent = await repo.recentReportsFromIp(ctx.ip, new Date(at - policy.reportsPerIp.windowMs));
        if (recent >= policy.reportsPerIp.max) return { kind: 'rate-limited' };
      }
      await repo.insertReport({
        commentId,
        reason: result.value.reason,
        details: result.value.details,
        ipAddress: ctx.ip,
        createdAt: new Date(at),
      });
      return { kind: 'reported' };
    },

    ...createModeration(db, { stories, changed, now, notify }),
  };
}
export type CommentsService = ReturnType<typeof createCommentsService>;
