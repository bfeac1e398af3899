import { desc, eq } from 'drizzle-orm';
import type { Db } from '#src/db/client.ts';
import { claims, involvementRecords } from './tables.ts';

// Records as staff list them: each with the claim made for it, if any.
export function createStaffRecordsRepository(db: Db) {
  const withClaim = () =>
    db
      .select({ record: involvementRecords, claimId: claims.id, claimStatus: claims.status })
      .from(involvementRecords)
      .leftJoin(claims, eq(claims.recordId, involvementRecords.id));
  return {
    recent: (limit: number) => withClaim().orderBy(desc(involvementRecords.occurredOn), desc(involvementRecords.id)).limit(limit),
    byId: (id: number) =>
      withClaim()
        .where(eq(involvementRecords.id, id))
        .then((r) => r[0] ?? null),
  };
}
