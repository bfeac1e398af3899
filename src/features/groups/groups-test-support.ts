import type { Db } from '#src/db/client.ts';
import { groupMembers, groups } from './tables.ts';

let counter = 0;

// A group straight into the table (private unless told); override any field.
export async function createGroup(db: Db, over: Partial<typeof groups.$inferInsert> = {}) {
  counter++;
  const suffix = `${counter}-${Math.random().toString(36).slice(2, 7)}`;
  const [row] = await db
    .insert(groups)
    .values({
      slug: `test-group-${suffix}`,
      kind: 'lived-experience',
      name: `Maternity voices ${suffix}`,
      purposeMarkdown: 'We talk about **maternity care**.',
      purposeHtml: '<p>We talk about <strong>maternity care</strong>.</p>',
      ...over,
    })
    .returning();
  return row!;
}

export async function addMember(db: Db, groupId: number, userId: string, over: Partial<typeof groupMembers.$inferInsert> = {}) {
  await db.insert(groupMembers).values({ groupId, userId, ...over });
}
