import { eq } from 'drizzle-orm';
import type { Tx } from '#src/db/client.ts';
import { invalid, ok, validateForm, type FieldErrors, type Result } from '#src/lib/forms.ts';
import { renderMarkdown } from '#src/lib/markdown.ts';
import { msg } from '#src/lib/messages.ts';
import type { FeatureContext } from '#src/platform/feature.ts';
import type { CurrentUser } from '#src/platform/identity/roles.ts';
import { freeCommitmentSlug } from './commitments-lookup.ts';
import { notifyFollowers } from './commitments-notify.ts';
import { createCommitmentsRepository, type CommitmentRow, type StatusRow } from './commitments-repository.ts';
import { hasChildren, rollUpFrom, wouldMakeLoop } from './commitments-rollup.ts';
import { readCommitmentForm, StatusChangeSchema, type CommitmentForm, type StatusChange } from './commitments-schema.ts';
import { commitmentHistory, commitments } from './tables.ts';

const V = 'commitmentsStaff.admin.validation';

// What staff do to a commitment: create, edit, move in the tree, change status and progress,
// publish. Each is one transaction with the roll-up it causes and its history rows.
export function createCommitmentWrites(ctx: FeatureContext) {
  const { db } = ctx;
  const repo = createCommitmentsRepository(db);

  const translationsOf = (body: Record<string, unknown>) => {
    const text = (k: string) => (typeof body[k] === 'string' ? body[k].trim() : '');
    const [title, promise, why] = [text('title_cy'), text('promise_cy'), text('why_cy')];
    if (!title && !promise && !why) return {};
    return {
      cy: Object.fromEntries(
        Object.entries({
          title,
          promiseMarkdown: promise,
          promiseHtml: promise ? renderMarkdown(promise) : '',
          whyMarkdown: why,
          whyHtml: why ? renderMarkdown(why) : '',
        }).filter(([, v]) => v),
      ),
    };
  };

  const columns = (form: CommitmentForm, body: Record<string, unknown>) => ({
    title: form.title,
    promiseMarkdown: form.promise,
    promiseHtml: renderMarkdown(form.promise),
    whyMarkdown: form.why ?? '',
    whyHtml: form.why ? renderMarkdown(form.why) : '',
    responsibleRole: form.responsibleRole,
    responsibleUserId: form.responsibleUserId,
    sourceTitle: form.sourceTitle,
    sourceUrl: form.sourceUrl,
    startsOn: form.startsOn,
    dueOn: form.dueOn,
    tags: form.tags,
    parentId: form.parentId,
    rollup: form.rollup,
    weight: form.weight,
    commentsOpen: form.commentsOpen,
    translations: translationsOf(body),
  });

  // The checks that need the database: the parent exists and is no descendant, the named
  // person is on the staff, the status exists and has its reason.
  async function familyErrors(tx: Tx, id: number | null, form: CommitmentForm): Promise<FieldErrors> {
    const errors: FieldErrors = {};
    if (form.parentId !== null) {
      if (!(await repo.find(form.parentId, tx))) errors.parentId = msg(`${V}.parentId`);
      else if (id !== null && (await wouldMakeLoop(tx, id, form.parentId))) errors.parentId = msg(`${V}.parentLoop`);
    }
    if (form.responsibleUserId && !(await ctx.services.identity.staff.find(form.responsibleUserId, tx)))
      errors.responsibleUserId = msg(`${V}.responsibleUserId`);
    return errors;
  }

  // The progress a change of status leaves: what staff typed, else the status's default, else as it was.
  const progressFor = (status: StatusRow, typed: number | null, was: number) => typed ?? status.defaultProgress ?? was;

  // An archived status is offered for no new change, but a commitment already in it may stay.
  async function statusFor(
    tx: Tx,
    statusId: number | null,
    reason: string | null,
    errors: FieldErrors,
    reasonField: string,
    current?: number,
  ) {
    const status = statusId === null ? null : await repo.status(statusId, tx);
    if (!status || (status.archivedAt && status.id !== current)) errors.statusId = msg(`${V}.statusId`);
    else if (status.requiresReason && !reason) errors[reasonField] = msg(`${V}.reasonRequired`);
    return status;
  }

  return {
    async create(staff: CurrentUser, body: Record<string, unknown>): Promise<Result<{ id: number; slug: string }>> {
      const form = readCommitmentForm(body);
      if (!form.ok) return form;
      const v = form.value;
      return db.transaction(async (tx) => {
        const errors = await familyErrors(tx, null, v);
        const status = await statusFor(tx, v.statusId, v.statusReason, errors, 'statusReason');
        if (!status || Object.keys(errors).length) return invalid(errors);
        const progress = progressFor(status, v.progress, 0);
        const slug = await freeCommitmentSlug(tx, v.title);
        const [row] = await tx
          .insert(commitments)
          .values({ ...columns(v, body), slug, statusId: status.id, progress, statusReason: v.statusReason, createdBy: staff.id })
          .returning({ id: commitments.id, slug: commitments.slug });
        await tx.insert(commitmentHistory).values({
          commitmentId: row!.id,
          cause: 'created',
          toStatusId: status.id,
          toProgress: progress,
          reason: v.statusReason,
          changedBy: staff.id,
        });
        await rollUpFrom(tx, v.parentId);
        return ok(row!);
      });
    },

    // The commitment's words, people, dates, tags and place in the tree; its status and progress
    // change through changeStatus (so each change has its reason and history).
    async update(id: number, body: Record<string, unknown>): Promise<Result> {
      return db.transaction(async (tx) => {
        const was = await repo.lock(id, tx);
        if (!was) return invalid({ form: msg(`${V}.noCommitment`) });
        const form = readCommitmentForm({ ...body, statusId: String(was.statusId), progress: '' });
        if (!form.ok) return form;
        const errors = await familyErrors(tx, id, form.value);
        if (Object.keys(errors).length) return invalid(errors);
        await tx
          .update(commitments)
          .set({ ...columns(form.value, body), updatedAt: new Date() })
          .where(eq(commitments.id, id));
        // A move leaves the old parent one child fewer and gives the new one a child more.
        if (was.parentId !== form.value.parentId) await rollUpFrom(tx, was.parentId);
        await rollUpFrom(tx, id);
        await rollUpFrom(tx, form.value.parentId);
        return ok();
      });
    },

    async changeStatus(staff: CurrentUser, id: number, body: unknown): Promise<Result<{ historyId: number }>> {
      const v = validateForm(StatusChangeSchema, body);
      return db.transaction(async (tx) => {
        const was = await repo.lock(id, tx);
        if (!was) return invalid({ form: msg(`${V}.noCommitment`) });
        const errors: FieldErrors = v.ok ? {} : { ...v.errors };
        const change: Partial<StatusChange> = v.ok ? v.value : {};
        const status = await statusFor(tx, change.statusId ?? null, change.reason ?? null, errors, 'reason', was.statusId);
        const parent = await hasChildren(tx, id);
        if (parent && change.progress !== null && change.progress !== undefined && change.progress !== was.progress)
          errors.progress = msg(`${V}.progressRollsUp`);
        if (!v.ok || !status || Object.keys(errors).length) return invalid(errors);
        const progress = parent ? was.progress : progressFor(status, v.value.progress, was.progress);
        const at = new Date();
        await tx
          .update(commitments)
          .set({ statusId: status.id, progress, statusReason: v.value.reason, updatedAt: at })
          .where(eq(commitments.id, id));
        const [history] = await tx
          .insert(commitmentHistory)
          .values({
            commitmentId: id,
            cause: 'staff',
            fromStatusId: was.statusId,
            toStatusId: status.id,
            fromProgress: was.progress,
            toProgress: progress,
            reason: v.value.reason,
            changedBy: staff.id,
            at,
          })
          .returning({ id: commitmentHistory.id });
        await rollUpFrom(tx, id);
        await rollUpFrom(tx, was.parentId);
        await ctx.services.audit.record(
          { actorUserId: staff.id, action: 'commitment.status-changed', details: { commitmentId: id, statusId: status.id, progress } },
          tx,
        );
        if (v.value.notify && was.publishedAt) await notifyFollowers(ctx, tx, was, { kind: 'status', id: history!.id, status, progress });
        return ok({ historyId: history!.id });
      });
    },

    async setPublished(staff: CurrentUser, id: number, publish: boolean): Promise<CommitmentRow | null> {
      return db.transaction(async (tx) => {
        const was = await repo.lock(id, tx);
        if (!was) return null;
        if (Boolean(was.publishedAt) === publish) return was;
        await tx
          .update(commitments)
          .set({ publishedAt: publish ? new Date() : null })
          .where(eq(commitments.id, id));
        await ctx.services.audit.record(
          {
            actorUserId: staff.id,
            action: publish ? 'commitment.published' : 'commitment.unpublished',
            details: { commitmentId: id, title: was.title },
          },
          tx,
        );
        return was;
      });
    },
  };
}
