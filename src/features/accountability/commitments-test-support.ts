import { eq } from 'drizzle-orm';
import type { Db } from '#src/db/client.ts';
import type { CurrentUser } from '#src/platform/identity/roles.ts';
import type { Services } from '#src/platform/services.ts';
import { commitmentHistory, commitments, commitmentStatuses } from './tables.ts';

// Commitments made through the service (so the rules run), for every test of this area.
let counter = 0;

export const statusId = async (db: Db, key: string) => {
  const [row] = await db.select({ id: commitmentStatuses.id }).from(commitmentStatuses).where(eq(commitmentStatuses.key, key));
  return row!.id;
};

export const rowOf = async (db: Db, id: number) => (await db.select().from(commitments).where(eq(commitments.id, id)))[0]!;
export const historyOf = (db: Db, id: number) => db.select().from(commitmentHistory).where(eq(commitmentHistory.commitmentId, id));

// The form's fields for a commitment, in progress at the given figure unless told.
export async function commitmentForm(db: Db, over: Record<string, string> = {}): Promise<Record<string, string>> {
  return {
    title: `Commitment ${++counter}`,
    promise: 'We will **do** this.',
    statusId: String(await statusId(db, 'in-progress')),
    progress: '0',
    commentsOpen: 'yes',
    ...over,
  };
}

export async function makeCommitment(services: Services, db: Db, staff: CurrentUser, over: Record<string, string> = {}) {
  const result = await services.commitments.create(staff, await commitmentForm(db, over));
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.value;
}
