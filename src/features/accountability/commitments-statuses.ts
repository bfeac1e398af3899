import { eq } from 'drizzle-orm';
import type { Db, Tx } from '#src/db/client.ts';
import { invalid, ok, validateForm, type Result } from '#src/lib/forms.ts';
import { msg } from '#src/lib/messages.ts';
import { slugify } from '#src/lib/text.ts';
import type { CommitmentsRepository } from './commitments-repository.ts';
import { StatusSchema } from './commitments-schema.ts';
import { commitmentStatuses } from './tables.ts';

// The statuses admins define. The six every organisation starts with are base data, not demo:
// inserted when the table is empty (the area's ready hook), then admins rename, reorder and add.
export const defaultStatuses: (typeof commitmentStatuses.$inferInsert)[] = [
  {
    key: 'not-started',
    name: 'Not started',
    category: 'not-started',
    defaultProgress: 0,
    position: 1,
    translations: { cy: { name: 'Heb ddechrau' } },
  },
  {
    key: 'in-progress',
    name: 'In progress',
    category: 'on-track',
    defaultProgress: null,
    position: 2,
    translations: { cy: { name: 'Ar y gweill' } },
  },
  {
    key: 'at-risk',
    name: 'At risk',
    category: 'at-risk',
    defaultProgress: null,
    position: 3,
    translations: { cy: { name: 'Mewn perygl' } },
  },
  {
    key: 'delayed',
    name: 'Delayed',
    category: 'at-risk',
    defaultProgress: null,
    position: 4,
    translations: { cy: { name: 'Wedi’i oedi' } },
  },
  { key: 'done', name: 'Done', category: 'done', defaultProgress: 100, position: 5, translations: { cy: { name: 'Wedi’i wneud' } } },
  {
    key: 'dropped',
    name: 'Dropped',
    category: 'dropped',
    defaultProgress: null,
    requiresReason: true,
    position: 6,
    translations: { cy: { name: 'Wedi’i ollwng' } },
  },
];

export async function insertDefaultStatuses(db: Db | Tx): Promise<void> {
  await db.insert(commitmentStatuses).values(defaultStatuses).onConflictDoNothing();
}

export function createStatusAdmin(db: Db, repo: CommitmentsRepository) {
  const values = (form: ReturnType<typeof StatusSchema.parse>) => ({
    name: form.name,
    category: form.category,
    defaultProgress: form.defaultProgress,
    requiresReason: form.requiresReason,
    position: form.position,
    translations: form.name_cy ? { cy: { name: form.name_cy } } : {},
  });

  return {
    list: () => repo.statuses(),
    find: (id: number) => repo.status(id),

    async create(body: unknown): Promise<Result<number>> {
      const v = validateForm(StatusSchema, body);
      if (!v.ok) return v;
      const base = slugify(v.value.name).slice(0, 40) || 'status';
      const taken = new Set((await repo.statuses()).map((s) => s.key));
      let key = base;
      for (let n = 2; taken.has(key); n++) key = `${base}-${n}`;
      const [row] = await db
        .insert(commitmentStatuses)
        .values({ key, ...values(v.value) })
        .returning({ id: commitmentStatuses.id });
      return ok(row!.id);
    },

    async update(id: number, body: unknown): Promise<Result> {
      const v = validateForm(StatusSchema, body);
      if (!v.ok) return v;
      const found = await repo.status(id);
      if (!found) return invalid({ form: msg('commitmentsStaff.admin.validation.noStatus') });
      await db.update(commitmentStatuses).set(values(v.value)).where(eq(commitmentStatuses.id, id));
      return ok();
    },

    // An archived status is offered for no new change; commitments already in it keep it.
    async setArchived(id: number, archived: boolean): Promise<void> {
      await db
        .update(commitmentStatuses)
        .set({ archivedAt: archived ? new Date() : null })
        .where(eq(commitmentStatuses.id, id));
    },
  };
}
