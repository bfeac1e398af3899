import type { Db, Tx } from '#src/db/client.ts';
import type { Config } from '#src/config.ts';
import type { I18n } from '#src/lib/i18n.ts';
import { localised } from '#src/lib/localised.ts';
import type { MailService } from '#src/platform/mail/service.ts';
import type { SettingsService, SiteSettings } from '#src/platform/settings/service.ts';
import type { CommentTarget } from '#src/platform/feature.ts';
import { createCommentsRepository, type CommentRow } from './repository.ts';

const excerpt = (text: string, max = 500) => (text.length > max ? `${text.slice(0, max - 1).trimEnd()}…` : text);

// Emails that follow a comment's life: published, replied to, waiting for staff. Each is enqueued
// in the transaction that made the change, with a key that makes a repeat send impossible.
// A commenter's emails are in the language of the page they commented on (comments.language),
// naming the page in that language when it has a version in it; staff alerts are in English.
export function createCommentNotifications(deps: { mail: MailService; settings: SettingsService; config: Config; i18n: I18n }) {
  const { mail, settings, config, i18n } = deps;
  const permalink = (target: CommentTarget, id: number) => `${config.baseUrl}${target.path}#comment-${id}`;
  const speaking = (lang: string, page: CommentTarget) => {
    const tr = i18n.translator(lang);
    return { tr, title: localised(page, ['title'], tr.lang).title };
  };

  return {
    // Whether a new comment could cause an email, known before it is stored: one that cannot is
    // stored without a transaction around it. A published reply tells its parent's author; a held
    // comment tells the moderation address, when there is one.
    mayEmailAbout(comment: { parentId: number | null }, could: { mayPublish: boolean; mayHold: boolean }, site: SiteSettings) {
      return (could.mayPublish && comment.parentId !== null) || (could.mayHold && site.moderationEmail !== '');
    },

    // `approved` are comments that have just become public on `page` (not ones that already were).
    async published(tx: Db | Tx, page: CommentTarget, approved: CommentRow[], opts: { tellAuthors: boolean }) {
      if (!approved.length) return;
      const org = await settings.get();
      if (opts.tellAuthors) {
        for (const c of approved) {
          if (c.authorIsStaff) continue;
          const { tr, title } = speaking(c.language, page);
          await mail.enqueue(
            {
              to: c.authorEmail,
              lang: tr.lang,
              subject: tr.t('comments.email.published.subject', { title }),
              heading: tr.t('comments.email.published.heading'),
              paragraphs: [tr.t('comments.email.published.dear', { name: c.authorName }), tr.t('comments.email.published.body', { title })],
              quote: excerpt(c.body),
              action: { text: tr.t('comments.email.published.action'), href: permalink(page, c.id) },
              footer: [tr.t('comments.email.published.footer', { org: org.name })],
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
        // The person told is the parent's author: their language, not the reply's.
        const { tr, title } = speaking(parent.language, page);
        const body = reply.authorIsStaff
          ? tr.t('comments.email.reply.bodyStaff', { name: reply.authorName, org: org.name, title })
          : tr.t('comments.email.reply.body', { name: reply.authorName, title });
        await mail.enqueue(
          {
            to: parent.authorEmail,
            lang: tr.lang,
            subject: tr.t('comments.email.reply.subject', { name: reply.authorName }),
            heading: tr.t('comments.email.reply.heading'),
            paragraphs: [tr.t('comments.email.reply.dear', { name: parent.authorName }), body],
            quote: excerpt(reply.body),
            action: { text: tr.t('comments.email.reply.action'), href: permalink(page, reply.id) },
            footer: [tr.t('comments.email.reply.footer', { org: org.name })],
          },
          { key: `comment-reply-${reply.id}-to-${parent.id}`, kind: 'comment-reply', tx },
        );
      }
    },

    // Tells the organisation's moderation address, when it has one, that a comment is waiting.
    async waiting(tx: Db | Tx, page: CommentTarget, comment: CommentRow) {
      const { moderationEmail, name } = await settings.get();
      if (!moderationEmail) return;
      const tr = i18n.translator('en');
      await mail.enqueue(
        {
          to: moderationEmail,
          lang: tr.lang,
          subject: tr.t('comments.admin.email.waiting.subject', { title: page.title }),
          heading: tr.t('comments.admin.email.waiting.heading'),
          paragraphs: [tr.t('comments.admin.email.waiting.body', { name: comment.authorName, title: page.title })],
          quote: excerpt(comment.body),
          action: { text: tr.t('comments.admin.email.waiting.action'), href: `${config.baseUrl}/admin/comments` },
          footer: [tr.t('comments.admin.email.waiting.footer', { org: name })],
        },
        { key: `comment-waiting-${comment.id}`, kind: 'comment-waiting', tx },
      );
    },
  };
}
export type CommentNotifications = ReturnType<typeof createCommentNotifications>;
