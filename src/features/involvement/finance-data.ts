import { and, eq, inArray, isNotNull, isNull, lt, notInArray, sql } from 'drizzle-orm';
import type { Db, Tx } from '#src/db/client.ts';
import { todayInLondon } from '#src/lib/date-field.ts';
import type { DataSubject, FeatureContext } from '#src/platform/feature.ts';
import { claimExpenses, claims, keptForAccounts, payees } from './tables.ts';

// What happens to a person's money records when their account is deleted, and later.
// Claims the accounts need (approved, with finance, paid) stay, under the payee's reference only:
// no account, no name, no bank details, kept until `retentionYears` after payment (or after the
// deletion, for one not yet paid). Every other claim (drafts, submitted, returned, rejected) goes
// with its receipts. Records and payment declarations go with the account (foreign keys cascade).

async function receiptKeysOf(claimIds: number[], runner: Db | Tx): Promise<string[]> {
  if (!claimIds.length) return [];
  const rows = await runner
    .select({ key: claimExpenses.receiptKey })
    .from(claimExpenses)
    .where(and(inArray(claimExpenses.claimId, claimIds), isNotNull(claimExpenses.receiptKey)));
  return rows.map((r) => r.key!);
}

// Files go once the rows are gone for good (after the commit): a failure leaves an unreachable file,
// never a claim without its receipt.
function removeFiles(ctx: FeatureContext, keys: string[]) {
  return Promise.all(keys.map((k) => ctx.services.storage.delete(k))).catch((err: unknown) =>
    ctx.log.error({ err, files: keys.length }, 'receipt files could not be deleted'),
  );
}

export async function eraseFinancialData(ctx: FeatureContext, subject: DataSubject, tx: Tx) {
  const theirs = await tx.select({ id: claims.id, status: claims.status }).from(claims).where(eq(claims.userId, subject.id));
  const goneIds = theirs.filter((c) => !keptForAccounts.includes(c.status)).map((c) => c.id);
  const keptIds = theirs.filter((c) => keptForAccounts.includes(c.status)).map((c) => c.id);
  const files = await receiptKeysOf(goneIds, tx);
  if (goneIds.length) await tx.delete(claims).where(inArray(claims.id, goneIds));
  if (keptIds.length) {
    const { retentionYears } = await ctx.services.paymentSettings.get();
    const today = todayInLondon();
    await tx
      .update(claims)
      .set({
        userId: null,
        keepUntil: sql`(coalesce(${claims.paidOn}, ${today}::date) + make_interval(years => ${retentionYears}::int))::date`,
        updatedAt: new Date(),
      })
      .where(inArray(claims.id, keptIds));
  }
  const [payee] = await tx.select().from(payees).where(eq(payees.userId, subject.id));
  if (payee && keptIds.length) {
    await tx
      .update(payees)
      .set({ userId: null, name: payee.reference, bankDetailsEncrypted: null, bankDetailsUpdatedAt: null, anonymisedAt: new Date() })
      .where(eq(payees.id, payee.id));
  } else if (payee) {
    await tx.delete(payees).where(eq(payees.id, payee.id));
  }
  return files.length ? () => void removeFiles(ctx, files) : undefined;
}

// The retention rule: kept claims whose time is up go, with their receipts, and so do payees of
// deleted accounts left with no claims.
export async function eraseExpiredFinancialRecords(ctx: FeatureContext, now: Date): Promise<number> {
  const { db } = ctx;
  const today = todayInLondon(now);
  const expired = await db
    .select({ id: claims.id })
    .from(claims)
    .where(and(isNull(claims.userId), isNotNull(claims.keepUntil), lt(claims.keepUntil, today)));
  const ids = expired.map((c) => c.id);
  const files = await receiptKeysOf(ids, db);
  const payeesGone = await db.transaction(async (tx) => {
    if (ids.length) await tx.delete(claims).where(inArray(claims.id, ids));
    const stillHeld = tx.select({ id: claims.payeeId }).from(claims);
    const gone = await tx
      .delete(payees)
      .where(and(isNull(payees.userId), notInArray(payees.id, stillHeld)))
      .returning({ id: payees.id });
    return gone.length;
  });
  await removeFiles(ctx, files);
  return ids.length + payeesGone;
}

// What the person's download says of their payee record (the claims are the claims area's).
export async function payeeExportFor(db: Db, userId: string, bankSummary: { accountName: string; lastFour: string } | null) {
  const [p] = await db.select({ reference: payees.reference, name: payees.name }).from(payees).where(eq(payees.userId, userId));
  if (!p) return {};
  return {
    payee: {
      reference: p.reference,
      nameToPay: p.name,
      bankDetails: bankSummary ? { accountName: bankSummary.accountName, accountNumberEndsWith: bankSummary.lastFour } : null,
    },
  };
}
