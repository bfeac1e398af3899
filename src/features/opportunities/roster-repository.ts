import { and, asc, count, eq, gt, inArray, ne, type SQL } from 'drizzle-orm';
import type { Db } from '#src/db/client.ts';
import { user } from '#src/platform/identity/tables.ts';
import { applicationAnswers, applications, type selectionStates } from './tables.ts';
import { meanScore, scoredBy } from './scores-sql.ts';

export type ExportFilter = { selection?: (typeof selectionStates)[number] };

// Who takes part (the selected applicants), and the applications export read a batch at a time.
// Equality monitoring answers live elsewhere and are never read here.
export function createRosterRepository(db: Db) {
  const sent = (opportunityId: number, f: ExportFilter): SQL | undefined =>
    and(
      eq(applications.opportunityId, opportunityId),
      ne(applications.state, 'draft'),
      f.selection ? eq(applications.selection, f.selection) : undefined,
    );

  return {
    // Selected and still in (accepting a waiting-list offer makes someone selected), in the order
    // they applied.
    participants: (opportunityId: number) =>
      db
        .select({ application: applications, name: user.name, email: user.email })
        .from(applications)
        .innerJoin(user, eq(user.id, applications.userId))
        .where(
          and(eq(applications.opportunityId, opportunityId), eq(applications.state, 'submitted'), eq(applications.selection, 'selected')),
        )
        .orderBy(asc(applications.submittedAt), asc(applications.id)),

    async exportCount(opportunityId: number, f: ExportFilter) {
      const [row] = await db.select({ n: count() }).from(applications).where(sent(opportunityId, f));
      return row?.n ?? 0;
    },

    // The next `limit` applications after `afterId`, by id, with the mean of the reviewers' scores.
    // `reviewerId` is whoever exports: with blind scoring they see the mean only where they scored.
    exportBatch: (opportunityId: number, f: ExportFilter, reviewerId: string, afterId: number, limit: number) =>
      db
        .select({
          application: applications,
          name: user.name,
          email: user.email,
          meanScore: meanScore(),
          scored: scoredBy(reviewerId),
        })
        .from(applications)
        .innerJoin(user, eq(user.id, applications.userId))
        .where(and(sent(opportunityId, f), gt(applications.id, afterId)))
        .orderBy(asc(applications.id))
        .limit(limit),

    async answersOf(applicationIds: number[]) {
      if (!applicationIds.length) return [];
      return db.select().from(applicationAnswers).where(inArray(applicationAnswers.applicationId, applicationIds));
    },
  };
}
export type RosterRepository = ReturnType<typeof createRosterRepository>;
