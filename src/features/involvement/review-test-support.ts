import type { Db } from '#src/db/client.ts';
import { createClaimsRepository, type ClaimRow, type NewClaim, type NewExpense } from './claims-repository.ts';
import { claimExpenses, claims, rates } from './tables.ts';

// A key of this area's catalogues left in a page instead of its words.
export const rawKey = /\b(?:rates|claimReview|involvementStaff)\.[a-z][\w-]*\.[\w.-]+/;

// A claim straight into the tables (the contributor's claim form is another area's), as the
// person's first claim makes it: their payee reference, the claim, its expenses and its history.
export async function insertClaim(
  db: Db,
  person: { id: string; name: string },
  over: Partial<NewClaim> = {},
  expenses: Omit<NewExpense, 'claimId'>[] = [],
): Promise<ClaimRow> {
  const repo = createClaimsRepository(db);
  const payee = await repo.ensurePayee(person.id, person.name, db);
  const expensesPence = expenses.reduce((sum, e) => sum + e.amountPence, 0);
  const feePence = over.feePence ?? 5000;
  const [claim] = await db
    .insert(claims)
    .values({
      payeeId: payee.id,
      userId: person.id,
      activityTitle: 'Research panel',
      activityOn: '2026-03-04',
      status: 'submitted',
      submittedAt: new Date(Date.now() - 3 * 86_400_000),
      feePence,
      expensesPence,
      totalPence: feePence + expensesPence,
      ...over,
    })
    .returning();
  if (expenses.length) await db.insert(claimExpenses).values(expenses.map((e) => ({ ...e, claimId: claim!.id })));
  if (claim!.status !== 'draft') await repo.addEvent(claim!.id, 'submitted', person.id, null, db);
  return claim!;
}

// A rate card row, straight into the table.
export async function insertRate(db: Db, over: Partial<typeof rates.$inferInsert> = {}) {
  const [row] = await db
    .insert(rates)
    .values({ kind: 'meeting', name: 'Meeting (per hour)', unit: 'hour', amountPence: 2500, effectiveFrom: '2025-04-06', ...over })
    .returning();
  return row!;
}
