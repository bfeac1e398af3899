import type { Db, Tx } from '#src/db/client.ts';
import type { Config } from '#src/config.ts';
import type { Events } from '#src/platform/events.ts';
import type { CommentTarget } from '#src/platform/feature.ts';
import { validateForm, type FieldErrors } from '#src/lib/forms.ts';
import type { SettingsService } from '#src/platform/settings/service.ts';
import { createCommentsRepository, type PublicRow, type TargetRef } from './repository.ts';
import { keyOf, refOf, type Targets } from './targets.ts';
import { CommentFormSchema, ReportFormSchema } from './schema.ts';
import { checkStamp, defaultSpamPolicy, honeypotFilled, signStamp, type SpamPolicy } from './spam.ts';
import { createModeration } from './moderation.ts';
import type { MailService } from '#src/platform/mail/service.ts';
import { createCommentNotifications } from './notifications.ts';
import { msg } from '#src/lib/messages.ts';
import { defaultLang, type I18n, type Lang } from '#src/lib/i18n.ts';

export type PublicComment = {
  id: number;
  parentId: number | null;
  authorName: string;
  authorJobTitle: string | null;
  authorOrganisation: string | null;
  body: string;
  // The language it was written in: its text is marked so on a page in another language.
  language: string;
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
  events: Events;
  settings: SettingsService;
  targets: Targets;
  config: Config;
  mail: MailService;
  i18n: I18n;
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
  language: row.language,
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

// The cookie that carries the comment form's stamp on cached pages.
export const STAMP_COOKIE = 'coproduce.stamp';
const PARENT_GONE = msg('comments.errors.parentGone');

export function createCommentsService(db: Db, deps: CommentsDeps) {
  const { events, settings, targets, config } = deps;
  const policy: SpamPolicy = { ...defaultSpamPolicy, minFillMs: config.formMinFillMs, ...deps.policy };
  const now = deps.now ?? Date.now;
  const repo = createCommentsRepository(db);
  const changed = (target: TargetRef) => events.emit('comments.changed', target.id, target.type);
  const notify = createCommentNotifications({ mail: deps.mail, settings, config, i18n: deps.i18n });

  // An approved comment on the given page, to reply to or to quote.
  async function approvedOn(target: TargetRef, commentId: number | null): Promise<PublicComment | null> {
    if (!commentId) return null;
    const row = await repo.findPublicApproved(commentId);
    return row && row.targetType === target.type && row.targetId === target.id ? toPublic(row) : null;
  }

  return {
    policy,

    targets,

    // Approved comments on a page as a tree, oldest first at every level. Never includes emails.
    async threadFor(type: string, id: number): Promise<{ thread: PublicComment[]; count: number }> {
      return buildThread(await repo.approvedOn({ type, id }));
    },

    // A signed, timestamped value for the comment form's hidden "stamp" field (minimum fill time).
    issueFormStamp(issuedAt: number = now()): string {
      return signStamp(config.authSecret, issuedAt);
    },

    // The same stamp as a cookie, for a page cached for every anonymous reader (ADR 20): its body
    // cannot carry one per reader. SameSite=Lax keeps it off cross-site POSTs, so an anonymous
    // comment posted from another site arrives without a stamp and is refused.
    stampCookie(issuedAt: number = now()) {
      return {
        name: STAMP_COOKIE,
        value: signStamp(config.authSecret, issuedAt),
        options: {
          path: '/',
          httpOnly: true,
          sameSite: 'lax' as const,
          secure: config.isProduction,
          maxAge: Math.floor(policy.maxStampAgeMs / 1000),
        },
      };
    },

    replyTarget: approvedOn,

    // The whole public submission: spam signals, validation, sender limits, moderation policy.
    // A signed-in contributor's comment is linked to their account and uses its email address.
    async submit(
      target: CommentTarget,
      form: Record<string, unknown>,
      ctx: { ip: string | null; contributor?: { id: string; email: string } | null; lang?: Lang },
    ): Promise<SubmitResult> {
      if (!target.commentsOpen) return { kind: 'closed' };
      if (ctx.contributor) form = { ...form, email: ctx.contributor.email };
      if (honeypotFilled(form.website)) return { kind: 'refused', why: 'honeypot' };
      const stamp = checkStamp(form.stamp, config.authSecret, now(), policy);
      if (stamp === 'missing' || stamp === 'forged') return { kind: 'refused', why: `stamp ${stamp}` };

      const result = validateForm(CommentFormSchema, form);
      const errors: FieldErrors = result.ok ? {} : { ...result.errors };
      // Sent sooner than a person usually can, or long after the page was opened: nothing is
      // stored, and the form comes back with what they wrote (and a fresh stamp) to check and send.
      if (stamp === 'expired') errors.stamp = msg('comments.errors.stampExpired');
      if (stamp === 'too-fast') errors.stamp = msg('comments.errors.tooFast');
      if (result.ok && result.value.parentId && !(await approvedOn(target, result.value.parentId))) {
        errors.parentId = PARENT_GONE;
      }
      if (!result.ok || Object.keys(errors).length) return { kind: 'invalid', errors };
      const input = result.value;

      const at = now();
      const site = await settings.get();
      const approve = site.moderation === 'none' ? 'always' : site.moderation === 'first-time' ? 'known' : 'never';
      const values = {
        targetType: target.type,
        targetId: target.id,
        parentId: input.parentId,
        authorName: input.name,
        authorJobTitle: input.jobTitle,
        authorOrganisation: input.organisation,
        authorEmail: input.email,
        contributorUserId: ctx.contributor?.id ?? null,
        body: input.comment,
        // The page's language: the comment is marked so, and emails about it are written in it.
        language: ctx.lang ?? defaultLang,
        notifyReplies: input.notifyReplies,
        ipAddress: ctx.ip,
        createdAt: new Date(at),
      };
      const rules = {
        ipSince: new Date(at - policy.perIp.windowMs),
        emailSince: new Date(at - policy.perEmail.windowMs),
        maxFromIp: policy.perIp.max,
        maxFromEmail: policy.perEmail.max,
        approve,
      } as const;
      // The comment and the emails it causes are stored together, or not at all. A comment that
      // cannot cause one is stored by a single statement, its own transaction.
      const add = (runner: Db | Tx) => createCommentsRepository(runner).addUnlessLimited(values, rules);
      const mayEmail = notify.mayEmailAbout(values, { mayPublish: approve !== 'never', mayHold: approve !== 'always' }, site);
      const { standing, row } = mayEmail
        ? await db.transaction(async (tx) => {
            const added = await add(tx);
            if (added.row?.status === 'approved') await notify.published(tx, target, [added.row], { tellAuthors: false });
            else if (added.row) await notify.waiting(tx, target, added.row);
            return added;
          })
        : await add(db);
      if (standing.blocked) return { kind: 'refused', why: 'blocked sender' };
      if (!row) return { kind: 'rate-limited' };
      if (row.status === 'approved') {
        changed(target);
        return { kind: 'published', commentId: row.id };
      }
      return { kind: 'pending', commentId: row.id };
    },

    forgetIpAddressesBefore: (before: Date) => repo.forgetIpAddressesBefore(before),

    // How many comments wait for a decision, and how many have open reports (the staff home).
    queueCounts: () => repo.queueCounts(),

    // Comments a contributor wrote while signed in, for "Download my data", with the page each
    // is on (null when that page is no longer public).
    async byContributor(userId: string) {
      const rows = await repo.byContributor(userId);
      const pages = await targets.findMany(rows.map((r) => ({ type: r.targetType, id: r.targetId })));
      return rows.map((r) => ({
        id: r.id,
        target: { type: r.targetType, id: r.targetId },
        page: pages.get(keyOf({ type: r.targetType, id: r.targetId })) ?? null,
        body: r.body,
        status: r.status,
        createdAt: r.createdAt,
        authorName: r.authorName,
      }));
    },

    // An account is being deleted: its comments stay, as "Former contributor", with nothing that
    // identifies the person (name, job title, organisation, email, IP address). In the caller's
    // transaction; call commentsChanged with the pages it returns once it has committed.
    async forgetContributor(userId: string, tx: Db | Tx): Promise<TargetRef[]> {
      return createCommentsRepository(tx).anonymiseContributor(userId, FORMER_CONTRIBUTOR);
    },

    commentsChanged(pages: TargetRef[]) {
      for (const page of new Map(pages.map((p) => [keyOf(p), refOf(p)])).values()) changed(page);
    },

    // A page is being deleted by the feature that owns it: its comments and their reports go too.
    // Returns how many comments went.
    removeAllOn: (page: TargetRef, tx: Db | Tx) => createCommentsRepository(tx).removeAllOn(page),

    // Every comment on a page, whatever its status (a page about to be deleted says how many go).
    countOn: (page: TargetRef) => repo.countOn(page),

    // A comment anyone may report: approved, on a page that readers can see.
    async reportable(commentId: number): Promise<{ comment: PublicComment; target: CommentTarget } | null> {
      const row = await repo.findPublicApproved(commentId);
      if (!row) return null;
      const target = await targets.find({ type: row.targetType, id: row.targetId });
      return target ? { comment: toPublic(row), target } : null;
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

    ...createModeration(db, { targets, changed, now, notify }),
  };
}
export type CommentsService = ReturnType<typeof createCommentsService>;
