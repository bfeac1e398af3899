import type { Db, Tx } from '#src/db/client.ts';
import type { Config } from '#src/config.ts';
import type { MailService } from '#src/platform/mail/service.ts';
import type { SettingsService } from '#src/platform/settings/service.ts';
import type { CommentTarget } from '#src/platform/feature.ts';
import { createCommentsRepository, type CommentRow } from './repository.ts';

const excerpt = (text: string, max = 500) => (text.length > max ? `${text.slice(0, max - 1).trimEnd()}…` : text);

// Emails that follow a comment's life: published, replied to, waiting for staff. Each is enqueued
// in the transaction that made the change, with a key that makes a repeat send impossible.
export function createCommentNotifications(deps: { mail: MailService; settings: SettingsService; config: Config }) {
  const { mail, settings, config } = deps;
  const permalink = (target: CommentTarget, id: number) => `${config.baseUrl}${target.path}#comment-${id}`;

  return {
    // `approved` are comments that have just become public on `page` (not ones that already were).
    async published(tx: Db | Tx, page: CommentTarget, approved: CommentRow[], opts: { tellAuthors: boolean }) {
      if (!approved.length) return;
      const org = await settings.get();
      if (opts.tellAuthors) {
        for (const c of approved) {
          if (c.authorIsStaff) continue;
          await mail.enqueue(
            {
              to: c.authorEmail,
              subject: `Your comment on “${page.title}” is published`,
              heading: 'Your comment is published',
              paragraphs: [
                `Dear ${c.authorName},`,
                `Thank you for your comment on “${page.title}”. It is now on our website for everyone to read.`,
              ],
              quote: excerpt(c.body),
              action: { text: 'Read your comment', href: permalink(page, c.id) },
              footer: [`You are getting this email because you commented on the ${org.name} website.`],
            },
            { key: `comment-published-${c.id}`, kind: 'comment-published', tx },
          );
        }
      }
      const replies = approved.filter((c) => c.parentId !== null);
      if (!replies.length) return;
      const parents = new Map((await createCommentsRepository(tx).findByIds(replies.map((r) => r.parentId!))).map((p) => [p.id, p]));
      for (const reply of replies) {
        const parent = parents.get(reply.parentId!);
        if (!parent || !parent.notifyReplies || parent.status !== 'approved' || parent.authorIsStaff) continue;
        if (parent.authorEmail.toLowerCase() === reply.authorEmail.toLowerCase()) continue;
        await mail.enqueue(
          {
            to: parent.authorEmail,
            subject: `${reply.authorName} replied to your comment`,
            heading: 'Someone replied to your comment',
            paragraphs: [
              `Dear ${parent.authorName},`,
              `${reply.authorName}${reply.authorIsStaff ? ` (${org.name} staff)` : ''} replied to your comment on “${page.title}”:`,
            ],
            quote: excerpt(reply.body),
            action: { text: 'Read the reply', href: permalink(page, reply.id) },
            footer: [`You asked to be told about replies when you commented on the ${org.name} website.`],
          },
          { key: `comment-reply-${reply.id}-to-${parent.id}`, kind: 'comment-reply', tx },
        );
      }
    },

    // Tells the organisation's moderation address, when it has one, that a comment is waiting.
    async waiting(tx: Db | Tx, page: CommentTarget, comment: CommentRow) {
      const { moderationEmail, name } = await settings.get();
      if (!moderationEmail) return;
      await mail.enqueue(
        {
          to: moderationEmail,
          subject: `A comment is waiting for approval: “${page.title}”`,
          heading: 'A comment is waiting for approval',
          paragraphs: [`${comment.authorName} commented on “${page.title}”:`],
          quote: excerpt(comment.body),
          action: { text: 'Open the moderation queue', href: `${config.baseUrl}/admin/comments` },
          footer: [`You are getting this email because ${name} asked for moderation alerts to go to this address.`],
        },
        { key: `comment-waiting-${comment.id}`, kind: 'comment-waiting', tx },
      );
    },
  };
}
export type CommentNotifications = ReturnType<typeof createCommentNotifications>;
