import { asc, eq } from 'drizzle-orm';
import type { Db, Tx } from '#src/db/client.ts';
import { opportunities, opportunityQuestions } from './tables.ts';

// The two reads every area of this feature needs (publishing, applying, selecting, questions):
// one opportunity by its id, and its questions in the order applicants see them.
export async function opportunityById(runner: Db | Tx, id: number) {
  const [row] = await runner.select().from(opportunities).where(eq(opportunities.id, id));
  return row ?? null;
}

export const questionsOf = (runner: Db | Tx, opportunityId: number) =>
  runner
    .select()
    .from(opportunityQuestions)
    .where(eq(opportunityQuestions.opportunityId, opportunityId))
    .orderBy(asc(opportunityQuestions.position), asc(opportunityQuestions.id));
