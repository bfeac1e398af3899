import { describe, expect, it } from 'vitest';
import { eq, inArray } from 'drizzle-orm';
import { buildTestApp } from '#tests/helpers/app.ts';
import { startSmtpSink, waitFor } from '#tests/helpers/smtp.ts';
import { joinedContributor } from '#tests/helpers/contributors.ts';
import { todayInLondon } from '#src/lib/date-field.ts';
import { insertClaim, insertReceipt } from './finance-test-support.ts';
import { claimExpenses, claims, involvementRecords, payees, paymentDeclarations } from './tables.ts';

const yearsLater = (iso: string, years: number) => `${Number(iso.slice(0, 4)) + years}${iso.slice(4)}`;

// "Delete my account" with money involved: what the accounts need stays under the payee's
// reference (no account, no name, no bank details) until the keeping period ends; everything
// else goes at once, receipts' files included. Then the retention rule erases what was kept.
describe('deleting an account that has claims', async () => {
  const sink = await startSmtpSink();
  const { app, db, services } = await buildTestApp({ smtpUrl: sink.url });
  const ctx = app.featureContext;
  const rule = ctx.extensions.retention.find((r) => r.kind === 'financial-records')!;
  const stays = await joinedContributor(app, sink, 'Sian Stays');
  const stayingClaim = await insertClaim(db, stays, { status: 'draft' });

  it('keeps paid and approved claims under the reference, deletes the rest with their receipts, then erases them in time', async () => {
    const me = await joinedContributor(app, sink, 'Gwyn Gone');
    const [record] = await db
      .insert(involvementRecords)
      .values({ userId: me.id, source: 'manual', title: 'Spoke at our conference', occurredOn: '2026-05-01' })
      .returning();
    await db.insert(paymentDeclarations).values({ userId: me.id, taxYear: '2026-27', answers: { advice: 'read' } });
    const paid = await insertClaim(db, me, { status: 'paid', paidOn: '2026-06-01', expensesPence: 820, recordId: record!.id });
    const paidReceipt = await insertReceipt(db, services.storage, paid.id, 820);
    const approved = await insertClaim(db, me, { status: 'approved', activityTitle: 'Workshop' });
    const draft = await insertClaim(db, me, { status: 'draft', activityTitle: 'Reading group', expensesPence: 300 });
    const draftReceipt = await insertReceipt(db, services.storage, draft.id, 300);
    const rejected = await insertClaim(db, me, { status: 'rejected', activityTitle: 'Rejected' });
    await db.update(payees).set({ bankDetailsEncrypted: 'v1.x.y.z' }).where(eq(payees.userId, me.id));
    const [payee] = await db.select().from(payees).where(eq(payees.userId, me.id));

    const res = await me.browser.submit('/profile/delete', '/profile/delete', { confirm: 'yes' });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/account-deleted');

    const left = await db
      .select()
      .from(claims)
      .where(inArray(claims.id, [paid.id, approved.id, draft.id, rejected.id]));
    expect(left.map((c) => c.id).sort()).toEqual([paid.id, approved.id].sort());
    expect(left.find((c) => c.id === paid.id)).toMatchObject({ userId: null, recordId: null, keepUntil: '2032-06-01', status: 'paid' });
    expect(left.find((c) => c.id === approved.id)).toMatchObject({ userId: null, keepUntil: yearsLater(todayInLondon(), 6) });
    const [kept] = await db.select().from(payees).where(eq(payees.id, payee!.id));
    expect(kept).toMatchObject({ userId: null, name: payee!.reference, bankDetailsEncrypted: null });
    expect(kept!.anonymisedAt).toBeInstanceOf(Date);
    expect(JSON.stringify(await db.select().from(payees))).not.toContain('Gwyn');
    expect(await db.select().from(claimExpenses).where(eq(claimExpenses.id, draftReceipt.id))).toHaveLength(0);
    await waitFor(async () => ((await services.storage.get(draftReceipt.receiptKey!)) === null ? true : null));
    expect(await services.storage.get(paidReceipt.receiptKey!)).not.toBeNull();
    expect(await db.select().from(involvementRecords).where(eq(involvementRecords.userId, me.id))).toHaveLength(0);
    expect(await db.select().from(paymentDeclarations).where(eq(paymentDeclarations.userId, me.id))).toHaveLength(0);
    // Someone else's claims are untouched.
    expect(await db.select().from(claims).where(eq(claims.id, stayingClaim.id))).toHaveLength(1);

    // The day after the paid claim's keeping period: it goes with its receipt; the other stays.
    expect(await rule.run(ctx, new Date('2032-06-02T12:00:00Z'))).toBe(1);
    expect(
      (
        await db
          .select()
          .from(claims)
          .where(inArray(claims.id, [paid.id, approved.id]))
      ).map((c) => c.id),
    ).toEqual([approved.id]);
    expect(await services.storage.get(paidReceipt.receiptKey!)).toBeNull();
    expect(await db.select().from(payees).where(eq(payees.id, payee!.id))).toHaveLength(1);

    // Once the last kept claim has gone, the payee goes too.
    expect(await rule.run(ctx, new Date(`${yearsLater(todayInLondon(), 6)}T12:00:00Z`))).toBe(0);
    expect(await rule.run(ctx, new Date(Date.parse(`${yearsLater(todayInLondon(), 6)}T12:00:00Z`) + 86_400_000))).toBe(2);
    expect(await db.select().from(claims).where(eq(claims.id, approved.id))).toHaveLength(0);
    expect(await db.select().from(payees).where(eq(payees.id, payee!.id))).toHaveLength(0);
    expect(await db.select().from(claims).where(eq(claims.id, stayingClaim.id))).toHaveLength(1);
  });

  it('deletes the payee of someone with nothing the accounts need', async () => {
    const me = await joinedContributor(app, sink, 'Nia Nothing');
    await insertClaim(db, me, { status: 'submitted' });
    expect((await me.browser.submit('/profile/delete', '/profile/delete', { confirm: 'yes' })).statusCode).toBe(303);
    expect(await db.select().from(claims).where(eq(claims.userId, me.id))).toHaveLength(0);
    expect(JSON.stringify(await db.select().from(payees))).not.toContain('Nia Nothing');
  });
});
