import type { Db } from '#src/db/client.ts';
import type { StorageService } from '#src/platform/storage/index.ts';
import { createClaimsRepository, type ClaimRow, type NewClaim } from './claims-repository.ts';
import { claimExpenses, claims } from './tables.ts';

// Claims straight into the tables for finance's tests and bench (the claim forms are another
// area's): a payee for the person, and a claim in the status asked for with its amounts.
export async function insertClaim(
  db: Db,
  person: { id: string; name: string },
  fields: Partial<NewClaim> & { status: ClaimRow['status'] },
): Promise<ClaimRow> {
  const payee = await createClaimsRepository(db).ensurePayee(person.id, person.name, db);
  const feePence = fields.feePence ?? 2500;
  const expensesPence = fields.expensesPence ?? 0;
  const approved = ['approved', 'exported', 'paid'].includes(fields.status);
  const [row] = await db
    .insert(claims)
    .values({
      payeeId: payee.id,
      userId: person.id,
      activityTitle: 'Panel meeting',
      activityKind: 'meeting',
      activityOn: '2026-05-01',
      feeQuantity: 1,
      approvedAt: approved ? new Date() : null,
      ...fields,
      feePence,
      expensesPence,
      totalPence: feePence + expensesPence,
    })
    .returning();
  return row!;
}

// An expense with a receipt file in private storage.
export async function insertReceipt(db: Db, storage: StorageService, claimId: number, amountPence: number) {
  const key = storage.newPrivateKey('pdf');
  await storage.put(key, Buffer.from('%PDF-1.4 receipt'), 'application/pdf');
  const [row] = await db
    .insert(claimExpenses)
    .values({
      claimId,
      kind: 'parking',
      description: 'Car park',
      amountPence,
      receiptKey: key,
      receiptName: 'car-park.pdf',
      receiptType: 'application/pdf',
      receiptBytes: 16,
    })
    .returning();
  return row!;
}
