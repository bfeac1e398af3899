import type { Db } from '#src/db/client.ts';
import { validateForm, type FieldErrors } from '#src/lib/forms.ts';
import type { CommentTarget } from '#src/platform/feature.ts';
import { createCommentsRepository, type BlockRow, type CommentRow, type TargetRef } from './repository.ts';
import { keyOf, type Targets } from './targets.ts';
import { prefixTsquery, searchWords } from '#src/lib/search-words.ts';
import type { CommentNotifications } from './notifications.ts';
import { actionToStatus, BlockFormSchema, reasonText, StaffReplySchema, type ModerationAction, type QueueTab } from './schema.ts';

export const QUEUE_PAGE_SIZE = 25;

export type QueueItem = {
  id: number;
  status: CommentRow['status'];
  // The page it is on, or null when readers cannot see that page.
  target: { title: string; path: string } | null;
  targetNoun: string;
  authorName: string;
  authorJobTitle: string | null;
  authorOrganisation: string | null;
  authorEmail: string;
  ipAddress: string | null;
  isStaff: boolean;
  body: string;
  language: string;
  createdAt: Date;
  moderatedAt: Date | null;
  parent: { id: number; authorName: string; body: string; status: CommentRow['status'] } | null;
  reports: { reason: string; details: string | null; createdAt: Date }[];
  emailBlocked: boolean;
  ipBlocked: boolean;
};

export type StaffAuthor = { id: string; name: string; email: string; jobTitle: string | null };

export type StaffReplyResult =
  { kind: 'not-found' } | { kind: 'invalid'; errors: FieldErrors } | { kind: 'published'; commentId: number; target: CommentTarget };

export type BlockResult = 'blocked' | 'already-blocked' | 'not-found' | 'no-ip';

// What staff do in the moderation queue. Every change to which comments are public announces
// 'comments.changed' so cached pages are rebuilt.
export function createModeration(
  db: Db,
  deps: { targets: Targets; changed: (target: TargetRef) => void; now: () => number; notify: CommentNotifications },
) {
  const { targets, changed, now, notify } = deps;
  const repo = createCommentsRepository(db);
  const refOfRow = (r: CommentRow): TargetRef => ({ type: r.targetType, id: r.targetId });

  // The comment a member of staff is replying to, with its page, or null when it cannot take a
  // reply (rejected, spam, or its page is not public).
  async function replyContext(commentId: number): Promise<{ comment: CommentRow; target: CommentTarget } | null> {
    const comment = await repo.findById(commentId);
    if (!comment || (comment.status !== 'approved' && comment.status !== 'pending')) return null;
    const target = await targets.find(refOfRow(comment));
    return target ? { comment, target } : null;
  }

  return {
    // One page of a list, narrowed to one page's comments (`on`) and/or words (`q`: in the
    // comment or the commenter's name).
    async queue(tab: QueueTab, page: number, filter: { q?: string; on?: TargetRef } = {}) {
      const tsquery = filter.q ? prefixTsquery(searchWords(filter.q)) : null;
      // Something was typed, but nothing that can match (only symbols): no comments, not all.
      const unusable = !!filter.q && !tsquery;
      const [counts, { rows, total }] = await Promise.all([
        repo.queueCounts(),
        unusable ? { rows: [], total: 0 } : repo.queuePage(tab, QUEUE_PAGE_SIZE, (page - 1) * QUEUE_PAGE_SIZE, { on: filter.on, tsquery }),
      ]);
      const ids = rows.map((r) => r.id);
      const parentIds = rows.flatMap((r) => (r.parentId ? [r.parentId] : []));
      const [parents, reports, pages, blocked] = await Promise.all([
        repo.findByIds(parentIds),
        repo.openReportsFor(ids),
        targets.findMany(rows.map(refOfRow)),
        repo.blockedAmong(
          [...new Set(rows.map((r) => r.authorEmail))],
          [...new Set(rows.flatMap((r) => (r.ipAddress ? [r.ipAddress] : [])))],
        ),
      ]);
      const parentById = new Map(parents.map((p) => [p.id, p]));
      const items: QueueItem[] = rows.map((r) => {
        const target = pages.get(keyOf(refOfRow(r)));
        const parent = r.parentId ? parentById.get(r.parentId) : undefined;
        return {
          id: r.id,
          status: r.status,
          target: target ? { title: target.title, path: target.path } : null,
          targetNoun: targets.all().find((c) => c.type === r.targetType)?.noun ?? 'page',
          authorName: r.authorName,
          authorJobTitle: r.authorJobTitle,
          authorOrganisation: r.authorOrganisation,
          authorEmail: r.authorEmail,
          ipAddress: r.ipAddress,
          isStaff: r.authorIsStaff,
          body: r.body,
          language: r.language,
          createdAt: r.createdAt,
          moderatedAt: r.moderatedAt,
          parent: parent ? { id: parent.id, authorName: parent.authorName, body: parent.body, status: parent.status } : null,
          reports: reports
            .filter((rep) => rep.commentId === r.id)
            .map((rep) => ({ reason: reasonText(rep.reason), details: rep.details, createdAt: rep.createdAt })),
          emailBlocked: blocked.emails.has(r.authorEmail),
          ipBlocked: !!r.ipAddress && blocked.ips.has(r.ipAddress),
        };
      });
      return { items, counts, total, page, pages: Math.max(1, Math.ceil(total / QUEUE_PAGE_SIZE)) };
    },

    // The pages that have comments, with their titles, for the lists' filter. A page readers
    // cannot see (a draft story) is named by its kind and number.
    async pagesWithComments(): Promise<{ ref: TargetRef; title: string | null; noun: string }[]> {
      const refs = await repo.pagesWithComments();
      const found = await targets.findMany(refs);
      const nounOf = (type: string) => targets.all().find((c) => c.type === type)?.noun ?? 'page';
      return refs
        .map((ref) => ({ ref, title: found.get(keyOf(ref))?.title ?? null, noun: nounOf(ref.type) }))
        .sort((a, b) => (a.title ?? '\uffff').localeCompare(b.title ?? '\uffff'));
    },

    // Approve, reject or mark as spam. Any open reports are settled by the decision. Returns how
    // many comments were found.
    async moderate(ids: number[], action: ModerationAction, staffId: string, opts: { block?: boolean } = {}): Promise<number> {
      const rows = await repo.findByIds(ids);
      if (!rows.length) return 0;
      const status = actionToStatus[action];
      const at = new Date(now());
      const found = rows.map((r) => r.id);
      // Only comments becoming public now cause emails; their pages must still be public.
      const newlyApproved = status === 'approved' ? rows.filter((r) => r.status !== 'approved') : [];
      const pageOf = await targets.findMany(newlyApproved.map(refOfRow));
      await db.transaction(async (tx) => {
        const txRepo = createCommentsRepository(tx);
        await txRepo.setStatus(found, status, staffId, at);
        await txRepo.resolveReports(found, staffId, at);
        if (opts.block) {
          for (const r of rows) {
            if (r.authorIsStaff) continue;
            await txRepo.insertBlock({ kind: 'email', value: r.authorEmail, reason: 'Marked as spam', createdBy: staffId, createdAt: at });
            if (r.ipAddress)
              await txRepo.insertBlock({ kind: 'ip', value: r.ipAddress, reason: 'Marked as spam', createdBy: staffId, createdAt: at });
          }
        }
        for (const [key, page] of pageOf) {
          if (!page) continue;
          const approvedHere = newlyApproved.filter((r) => keyOf(refOfRow(r)) === key).map((r) => ({ ...r, status: 'approved' as const }));
          await notify.published(tx, page, approvedHere, { tellAuthors: true });
        }
      });
      const touched = new Map(
        rows.filter((r) => (r.status === 'approved') !== (status === 'approved')).map((r) => [keyOf(refOfRow(r)), refOfRow(r)]),
      );
      for (const page of touched.values()) changed(page);
      return rows.length;
    },

    // Staff looked at the reports and the comment can stay.
    async dismissReports(commentId: number, staffId: string): Promise<boolean> {
      const row = await repo.findById(commentId);
      if (!row) return false;
      await repo.resolveReports([commentId], staffId, new Date(now()));
      return true;
    },

    replyContext,

    // A staff reply is published at once, signed with the staff member's name and job title.
    // Replying to a pending comment approves it: the reply would make no sense without it.
    async staffReply(
      parentId: number,
      form: Record<string, unknown>,
      staff: StaffAuthor,
      ctx: { ip: string | null },
    ): Promise<StaffReplyResult> {
      const context = await replyContext(parentId);
      if (!context) return { kind: 'not-found' };
      const result = validateForm(StaffReplySchema, form);
      if (!result.ok) return { kind: 'invalid', errors: result.errors };
      const at = new Date(now());
      const { comment, target } = context;
      const reply = await db.transaction(async (tx) => {
        const txRepo = createCommentsRepository(tx);
        if (comment.status === 'pending') {
          await txRepo.setStatus([comment.id], 'approved', staff.id, at);
          await notify.published(tx, target, [{ ...comment, status: 'approved' }], { tellAuthors: true });
        }
        const inserted = await txRepo.insert({
          targetType: comment.targetType,
          targetId: comment.targetId,
          parentId: comment.id,
          authorName: staff.name,
          authorJobTitle: staff.jobTitle,
          authorOrganisation: null,
          authorEmail: staff.email,
          authorIsStaff: true,
          staffUserId: staff.id,
          body: result.value.reply,
          language: result.value.language ?? comment.language,
          status: 'approved',
          ipAddress: ctx.ip,
          createdAt: at,
          moderatedAt: at,
          moderatedBy: staff.id,
        });
        await notify.published(tx, target, [inserted], { tellAuthors: false });
        return inserted;
      });
      changed(target);
      return { kind: 'published', commentId: reply.id, target };
    },

    async blockSender(commentId: number, kind: 'email' | 'ip', staffId: string): Promise<BlockResult> {
      const row = await repo.findById(commentId);
      if (!row) return 'not-found';
      const value = kind === 'email' ? row.authorEmail : row.ipAddress;
      if (!value) return 'no-ip';
      const added = await repo.insertBlock({
        kind,
        value,
        reason: `Sent comment ${row.id}`,
        createdBy: staffId,
        createdAt: new Date(now()),
      });
      return added ? 'blocked' : 'already-blocked';
    },

    async addBlock(
      form: Record<string, unknown>,
      staffId: string | null,
    ): Promise<{ kind: 'invalid'; errors: FieldErrors } | { kind: BlockResult }> {
      const result = validateForm(BlockFormSchema, form);
      if (!result.ok) return { kind: 'invalid', errors: result.errors };
      const { kind, reason } = result.value;
      const value = kind === 'email' ? result.value.value.toLowerCase() : result.value.value;
      const added = await repo.insertBlock({ kind, value, reason, createdBy: staffId, createdAt: new Date(now()) });
      return { kind: added ? 'blocked' : 'already-blocked' };
    },

    unblock(blockId: number): Promise<boolean> {
      return repo.deleteBlock(blockId);
    },

    listBlocks(): Promise<BlockRow[]> {
      return repo.listBlocks();
    },
  };
}
