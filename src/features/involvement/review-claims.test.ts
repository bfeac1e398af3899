import { describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { buildTestApp, signedInBrowser, type TestApp } from '#tests/helpers/app.ts';
import { insertContributor } from '#tests/helpers/people.ts';
import { auditEvents } from '#src/platform/audit/tables.ts';
import { mailMessages } from '#src/platform/mail/tables.ts';
import { createClaimSteps } from './claim-steps.ts';
import { createClaimsRepository } from './claims-repository.ts';
import { insertClaim, insertRate, rawKey } from './review-test-support.ts';
import { claimEvents, claims } from './tables.ts';

const page = (id: number) => `/admin/claims/${id}`;

// Staff decide about submitted claims: the staff lead (or, with none, admins and involvement staff;
// admins any) approves, returns with a comment or rejects with a reason, and the person is emailed
// at each step. Nobody decides about their own claim or one they entered for someone else.
describe('approving claims', async () => {
  const { app, db }: TestApp = await buildTestApp();
  const { browser: lead, staff: leadAccount } = await signedInBrowser(app, 'staff');
  const { browser: otherStaff } = await signedInBrowser(app, 'staff');
  const { browser: involvement, staff: involvementAccount } = await signedInBrowser(app, 'involvement');
  const { browser: admin, staff: adminAccount } = await signedInBrowser(app, 'admin');
  const { browser: finance } = await signedInBrowser(app, 'finance');
  const rate = await insertRate(db, { kind: 'meeting', unit: 'hour', amountPence: 2500 });
  const mileage = await insertRate(db, { kind: 'mileage', name: 'Mileage', unit: 'mile', amountPence: 45 });
  const ana = await insertContributor(db, 'Ana Claimant');
  const claimOf = async (id: number) => (await db.select().from(claims).where(eq(claims.id, id)))[0]!;
  const mailTo = (kind: string) =>
    db
      .select()
      .from(mailMessages)
      .where(and(eq(mailMessages.toAddress, ana.email), eq(mailMessages.kind, kind)));
  const decide = (browser: typeof lead, id: number, action: string, fields: Record<string, string> = {}) =>
    browser.submit(page(id), `${page(id)}/${action}`, fields);
  const withExpenses = (over: Parameters<typeof insertClaim>[2] = {}) =>
    insertClaim(db, ana, { leadUserId: leadAccount.id, feeRateId: rate.id, feeQuantity: 120, ...over }, [
      { kind: 'mileage', description: 'Home to the hospital', miles: 20, rateId: mileage.id, amountPence: 900 },
      { kind: 'parking', description: 'Car park', amountPence: 450, receiptKey: 'private/receipt-1', receiptName: 'parking.jpg' },
    ]);

  it('shows the lead what is waiting, and the claim with its rate, expenses and history, audited', async () => {
    const claim = await withExpenses();
    const home = await lead.get('/admin');
    expect(home.body).toContain('1 claim waiting for you to approve');
    const list = await lead.get('/admin/claims');
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain(`href="/admin/claims/${claim.id}"`);
    expect(list.body).toContain('3 days');
    expect(list.body).not.toContain('Every claim, by status');
    expect(list.body).not.toMatch(rawKey);
    const shown = await lead.get(page(claim.id));
    expect(shown.statusCode).toBe(200);
    expect(shown.body).toContain('2 hours at £25.00 an hour');
    expect(shown.body).toContain('20 miles at £0.45 a mile');
    expect(shown.body).toContain('£63.50');
    expect(shown.body).toContain('Receipts are checked by the finance team.');
    expect(shown.body).not.toContain('/receipts/');
    expect(shown.body).not.toContain(`href="/admin/people/${ana.id}"`);
    expect(shown.body).not.toMatch(rawKey);
    const viewed = await db.select().from(auditEvents).where(eq(auditEvents.action, 'claim.viewed-by-staff'));
    expect(viewed[0]).toMatchObject({ subjectUserId: ana.id });
    // Finance sees the receipt's link; register staff see the link to the person's record.
    const forFinance = await finance.get(page(claim.id));
    const [parking] = await createClaimsRepository(db).expenses(claim.id);
    expect(forFinance.body).toContain('/admin/finance/claims/' + claim.id + '/receipts/');
    expect(parking).toBeTruthy();
    expect((await involvement.get(page(claim.id))).body).toContain(`href="/admin/people/${ana.id}"`);
    const all = await admin.get('/admin/claims?status=submitted');
    expect(all.body).toContain('Every claim, by status');
    expect(all.body).toContain('Submitted: 1');
    expect(all.body).not.toMatch(rawKey);
  });

  it('approves: the step, its history, the audit entry and one email', async () => {
    const [claim] = await db.select().from(claims).where(eq(claims.status, 'submitted'));
    const res = await decide(lead, claim!.id, 'approve');
    expect(res.statusCode).toBe(303);
    expect(await claimOf(claim!.id)).toMatchObject({ status: 'approved', approvedBy: leadAccount.id });
    expect((await claimOf(claim!.id)).approvedAt).toBeInstanceOf(Date);
    const emails = await mailTo('claim-approved');
    expect(emails).toHaveLength(1);
    expect(emails[0]!.subject).toBe('Your claim for Research panel is approved');
    expect(await db.select().from(auditEvents).where(eq(auditEvents.action, 'claim.approved'))).toHaveLength(1);
    const history = await db.select().from(claimEvents).where(eq(claimEvents.claimId, claim!.id));
    expect(history.map((e) => e.status)).toEqual(['submitted', 'approved']);
    // Approving it again, or acting on it now, is refused and changes nothing.
    const again = await decide(admin, claim!.id, 'approve');
    expect(again.statusCode).toBe(409);
    expect(again.body).toContain('This claim is already approved');
    expect(await mailTo('claim-approved')).toHaveLength(1);
  });

  it('returns with a comment (required), and a returned claim can be sent again and then rejected with a reason', async () => {
    const claim = await withExpenses({ activityTitle: 'Design workshop' });
    const missing = await decide(lead, claim.id, 'return', { comment: '' });
    expect(missing.statusCode).toBe(400);
    expect(missing.body).toContain('Enter what needs to change');
    expect((await claimOf(claim.id)).status).toBe('submitted');
    const res = await decide(lead, claim.id, 'return', { comment: 'Please add the parking receipt.' });
    expect(res.statusCode).toBe(303);
    expect(await claimOf(claim.id)).toMatchObject({ status: 'returned', decisionNote: 'Please add the parking receipt.' });
    const returned = await mailTo('claim-returned');
    expect(returned).toHaveLength(1);
    expect(returned[0]!.subject).toBe('Please check your claim for Design workshop');
    expect(returned[0]!.textBody).toContain('Please add the parking receipt.');
    // A returned claim is not for staff to decide on until it is sent again.
    expect((await decide(lead, claim.id, 'approve')).statusCode).toBe(409);
    const steps = createClaimSteps(db, app.featureContext);
    await db.transaction(async (tx) => {
      const locked = await createClaimsRepository(db).lock(claim.id, tx);
      await steps.move(locked!, 'submitted', ana.id, { changes: { submittedAt: new Date() }, tx });
    });
    expect((await claimOf(claim.id)).status).toBe('submitted');
    expect((await decide(lead, claim.id, 'reject', { reason: '' })).statusCode).toBe(400);
    const rejected = await decide(lead, claim.id, 'reject', { reason: 'We hold no record of this workshop.' });
    expect(rejected.statusCode).toBe(303);
    expect(await claimOf(claim.id)).toMatchObject({ status: 'rejected', decisionNote: 'We hold no record of this workshop.' });
    const rejectedMail = await mailTo('claim-rejected');
    expect(rejectedMail).toHaveLength(1);
    expect(rejectedMail[0]!.subject).toBe('We cannot pay your claim for Design workshop');
    expect(await db.select().from(auditEvents).where(eq(auditEvents.action, 'claim.returned'))).toHaveLength(1);
    expect(await db.select().from(auditEvents).where(eq(auditEvents.action, 'claim.rejected'))).toHaveLength(1);
    const shown = await lead.get(`${page(claim.id)}?saved=rejected`);
    expect(shown.body).toContain('Claim rejected. The person has been emailed.');
    expect(shown.body).toContain('Rejected: We hold no record of this workshop.');
    expect(shown.body).toContain('Returned for changes: ');
    expect(shown.body).toContain('by Test staff');
    expect(shown.body).not.toMatch(rawKey);
  });

  it('never lets staff decide about their own claim, even as its lead or an admin', async () => {
    const own = await insertClaim(db, { id: leadAccount.id, name: 'Test staff' }, { leadUserId: leadAccount.id });
    const refused = await decide(lead, own.id, 'approve');
    expect(refused.statusCode).toBe(403);
    expect(refused.body).toContain('You cannot approve, return or reject your own claim');
    const adminsOwn = await insertClaim(db, { id: adminAccount.id, name: 'Test admin' }, { leadUserId: null });
    expect((await decide(admin, adminsOwn.id, 'approve')).statusCode).toBe(403);
    expect((await decide(admin, adminsOwn.id, 'reject', { reason: 'No' })).statusCode).toBe(403);
    expect((await claimOf(own.id)).status).toBe('submitted');
    expect((await claimOf(adminsOwn.id)).status).toBe('submitted');
    // Someone else may: the admin approves the lead's own claim.
    expect((await decide(admin, own.id, 'approve')).statusCode).toBe(303);
  });

  it('never lets staff decide about a claim they entered for someone else', async () => {
    const entered = await insertClaim(db, ana, { leadUserId: null, enteredBy: involvementAccount.id, activityTitle: 'Phone interview' });
    const refused = await decide(involvement, entered.id, 'approve');
    expect(refused.statusCode).toBe(403);
    expect(refused.body).toContain('You entered this claim for the person');
    expect((await decide(involvement, entered.id, 'return', { comment: 'Change it' })).statusCode).toBe(403);
    expect((await claimOf(entered.id)).status).toBe('submitted');
    const asUser = { ...involvementAccount, name: 'Test involvement', role: 'involvement', jobTitle: null };
    expect((await app.services.claimReview.waitingFor(asUser)).map((c) => c.id)).not.toContain(entered.id);
    const shown = await admin.get(page(entered.id));
    expect(shown.body).toContain('on the person&#39;s behalf');
    // With no lead, other involvement staff (or admins) may.
    const { browser: colleague } = await signedInBrowser(app, 'involvement');
    expect((await decide(colleague, entered.id, 'approve')).statusCode).toBe(303);
  });

  it('lets only the lead among other staff decide, and refuses drafts', async () => {
    const claim = await withExpenses({ activityTitle: 'Lay review' });
    const stranger = await decide(otherStaff, claim.id, 'approve');
    expect(stranger.statusCode).toBe(404);
    const notLead = await decide(involvement, claim.id, 'approve');
    expect(notLead.statusCode).toBe(403);
    expect(notLead.body).toContain('staff lead (or an admin) can approve, return or reject this claim');
    expect((await decide(finance, claim.id, 'approve')).statusCode).toBe(403);
    expect((await claimOf(claim.id)).status).toBe('submitted');
    expect((await otherStaff.get('/admin')).body).not.toContain('waiting for you to approve');
    const draft = await insertClaim(db, ana, {
      status: 'draft',
      submittedAt: null,
      leadUserId: leadAccount.id,
      activityTitle: 'Draft one',
    });
    const refused = await decide(lead, draft.id, 'approve');
    expect(refused.statusCode).toBe(409);
    expect(refused.body).toContain('This claim has not been submitted');
    expect((await claimOf(draft.id)).status).toBe('draft');
    expect(await app.services.claimReview.counts()).toMatchObject({ draft: 1, approved: 3, rejected: 1 });
  });
});
