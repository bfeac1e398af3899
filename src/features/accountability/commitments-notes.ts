import { and, eq } from 'drizzle-orm';
import { invalid, ok, validateForm, type FieldErrors, type Result } from '#src/lib/forms.ts';
import { renderMarkdown } from '#src/lib/markdown.ts';
import { msg } from '#src/lib/messages.ts';
import type { FeatureContext } from '#src/platform/feature.ts';
import type { CurrentUser } from '#src/platform/identity/roles.ts';
import { notifyFollowers } from './commitments-notify.ts';
import { createCommitmentsRepository } from './commitments-repository.ts';
import { MilestoneSchema, readDateBoxes, UpdateSchema } from './commitments-schema.ts';
import { commitmentMilestones, commitmentUpdates } from './tables.ts';

const V = 'commitmentsStaff.admin.validation';

// A commitment's milestones (planned, then done) and the dated updates staff write. Publishing an
// update tells the commitment's followers once, in the same transaction.
export function createCommitmentNotes(ctx: FeatureContext) {
  const { db } = ctx;
  const repo = createCommitmentsRepository(db);

  return {
    async addMilestone(id: number, body: Record<string, unknown>): Promise<Result<number>> {
      const v = validateForm(MilestoneSchema, body);
      const planned = readDateBoxes(body, 'plannedOn');
      const errors: FieldErrors = v.ok ? {} : { ...v.errors };
      if (!planned.ok) errors.plannedOn = msg(`${V}.date`);
      else if (!planned.date) errors.plannedOn = msg(`${V}.plannedOn`);
      if (!v.ok || !planned.ok || !planned.date || Object.keys(errors).length) return invalid(errors);
      if (!(await repo.find(id))) return invalid({ form: msg(`${V}.noCommitment`) });
      const [row] = await db
        .insert(commitmentMilestones)
        .values({
          commitmentId: id,
          title: v.value.title,
          plannedOn: planned.date,
          translations: v.value.title_cy ? { cy: { title: v.value.title_cy } } : {},
        })
        .returning({ id: commitmentMilestones.id });
      return ok(row!.id);
    },

    // Done on the day given (today when none is), or planned again.
    async markMilestone(id: number, milestoneId: number, doneOn: string | null): Promise<boolean> {
      const rows = await db
        .update(commitmentMilestones)
        .set({ doneOn })
        .where(and(eq(commitmentMilestones.id, milestoneId), eq(commitmentMilestones.commitmentId, id)))
        .returning({ id: commitmentMilestones.id });
      return rows.length > 0;
    },

    async removeMilestone(id: number, milestoneId: number): Promise<boolean> {
      const rows = await db
        .delete(commitmentMilestones)
        .where(and(eq(commitmentMilestones.id, milestoneId), eq(commitmentMilestones.commitmentId, id)))
        .returning({ id: commitmentMilestones.id });
      return rows.length > 0;
    },

    async publishUpdate(staff: CurrentUser, id: number, body: unknown): Promise<Result<number>> {
      const v = validateForm(UpdateSchema, body);
      if (!v.ok) return v;
      return db.transaction(async (tx) => {
        const commitment = await repo.lock(id, tx);
        if (!commitment) return invalid({ form: msg(`${V}.noCommitment`) });
        const { title, body: markdown, title_cy, body_cy } = v.value;
        const cy = Object.fromEntries(
          Object.entries({ title: title_cy, bodyMarkdown: body_cy, bodyHtml: body_cy ? renderMarkdown(body_cy) : null }).filter(
            ([, x]) => x,
          ),
        ) as Record<string, string>;
        const translations = Object.keys(cy).length ? { cy } : {};
        const [row] = await tx
          .insert(commitmentUpdates)
          .values({ commitmentId: id, title, bodyMarkdown: markdown, bodyHtml: renderMarkdown(markdown), translations, authorId: staff.id })
          .returning({ id: commitmentUpdates.id });
        // Followers hear of a published commitment only; a draft's updates wait on the page.
        if (commitment.publishedAt) await notifyFollowers(ctx, tx, commitment, { kind: 'update', id: row!.id, title, translations });
        return ok(row!.id);
      });
    },
  };
}
