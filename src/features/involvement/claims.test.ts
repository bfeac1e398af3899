import { describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { buildTestApp, signedInBrowser } from '#tests/helpers/app.ts';
import { startSmtpSink } from '#tests/helpers/smtp.ts';
import { joinedContributor } from '#tests/helpers/contributors.ts';
import { auditEvents } from '#src/platform/audit/tables.ts';
import { mailMessages } from '#src/platform/mail/tables.ts';
import { claimEvents, claimExpenses, claims, paymentDeclarations, rates } from './tables.ts';
import { addRecord, claimOf, pdfBytes, postClaimForm, seedRates, setPaymentProfile } from './claims-test-support.ts';

// Making a claim: the fee from the rate card on the activity's day, mileage and a receipt, all
// computed on the server to the penny; sending it; the benefits questions once a tax year; a
// newer rate never changing an old claim; staff entering a claim for someone.
describe('claiming a fee and expenses', async () => {
  const sink = await startSmtpSink();
  const { app, db } = await buildTestApp({ smtpUrl: sink.url });
  const cardRates = await seedRates(db);
  const meetingRate = cardRates.find((r) => r.kind === 'meeting')!;
  const mileageRate = cardRates.find((r) => r.kind === 'mileage')!;
  const ana = await joinedContributor(app, sink, 'Ana Claimant');
  const other = await joinedContributor(app, sink, 'Owen Other');
  const formOf = (recordId: number) => `/profile/involvement/${recordId}/claim`;

  it('computes the fee, mileage and a receipted cost exactly, and sends the claim', async () => {
    const record = await addRecord(db, ana.id, { title: 'Spring panel', occurredOn: '2026-05-04', minutes: 150 });
    const form = await ana.browser.get(formOf(record.id));
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('£62.50');
    expect(form.body).toContain('£25.00 an hour');
    const res = await postClaimForm(
      app,
      ana.browser,
      formOf(record.id),
      {
        feeChoice: 'fee',
        'kind-1': 'mileage',
        'miles-1': '23',
        'description-1': 'Home to the venue and back',
        'kind-2': 'public-transport',
        'amount-2': '4.20',
        action: 'send',
      },
      [{ name: 'receipt-2', filename: 'bus ticket.pdf', content: pdfBytes }],
    );
    expect(res.statusCode).toBe(303);
    const claim = (await claimOf(db, record.id))!;
    expect(res.headers.location).toBe(`/profile/claims/${claim.id}?saved=sent`);
    expect(claim).toMatchObject({
      status: 'submitted',
      feeChoice: 'fee',
      feeRateId: meetingRate.id,
      feeQuantity: 150,
      feePence: 6250,
      expensesPence: 1035 + 420,
      totalPence: 7705,
      activityTitle: 'Spring panel',
      activityOn: '2026-05-04',
      userId: ana.id,
      enteredBy: null,
    });
    const lines = await db.select().from(claimExpenses).where(eq(claimExpenses.claimId, claim.id));
    expect(lines.map((l) => [l.kind, l.miles, l.rateId, l.amountPence, l.receiptName, l.receiptType])).toEqual([
      ['mileage', 23, mileageRate.id, 1035, null, null],
      ['public-transport', null, null, 420, 'bus ticket.pdf', 'application/pdf'],
    ]);
    const history = await db.select().from(claimEvents).where(eq(claimEvents.claimId, claim.id));
    expect(history.map((e) => e.status)).toEqual(['draft', 'submitted']);
    const [mail] = await db.select().from(mailMessages).where(eq(mailMessages.kind, 'claim-submitted'));
    expect(mail!.toAddress).toBe(ana.email);
    expect(mail!.textBody).toContain('£77.05');

    const page = await ana.browser.get(`/profile/claims/${claim.id}?saved=sent`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('£77.05');
    expect(page.body).toContain('nhsuk-tag--blue');
    expect(page.body).toContain('23 miles');
    const receipt = await ana.browser.get(`/profile/claims/${claim.id}/receipts/${lines[1]!.id}`);
    expect(receipt.statusCode).toBe(200);
    expect(receipt.rawPayload.equals(pdfBytes)).toBe(true);
    expect(receipt.headers['content-disposition']).toMatch(/^attachment; filename="bus ticket.pdf"/);
    expect(receipt.headers['x-content-type-options']).toBe('nosniff');
    expect(receipt.headers['cache-control']).toBe('private, no-store');
    expect(receipt.headers['content-type']).toBe('application/pdf');

    // Nobody else sees the claim or its receipt, not even another contributor.
    expect((await other.browser.get(`/profile/claims/${claim.id}`)).statusCode).toBe(404);
    expect((await other.browser.get(`/profile/claims/${claim.id}/receipts/${lines[1]!.id}`)).statusCode).toBe(404);
    expect((await other.browser.get(formOf(record.id))).statusCode).toBe(404);

    // The involvement page shows the claim's status, and money on its way this tax year.
    const mine = await ana.browser.get('/profile/involvement');
    expect(mine.body).toContain(`href="/profile/claims/${claim.id}"`);
    expect(mine.body).toContain('Sent');
  });

  it('says when no fee is set for a kind of activity, and still repays expenses', async () => {
    const record = await addRecord(db, ana.id, { activityKind: 'workshop', title: 'Design workshop' });
    const form = await ana.browser.get(formOf(record.id));
    expect(form.body).toContain('No fee is set for this kind of activity, so the fee is £0. You can still claim your expenses.');
    const res = await postClaimForm(app, ana.browser, formOf(record.id), {
      feeChoice: 'fee',
      'kind-1': 'meals',
      'amount-1': '5',
      action: 'send',
    });
    expect(res.statusCode).toBe(303);
    expect(await claimOf(db, record.id)).toMatchObject({
      status: 'submitted',
      feeRateId: null,
      feePence: 0,
      expensesPence: 500,
      totalPence: 500,
    });
  });

  it('keeps a draft, shows what was saved when reopened, and lets the person withdraw it', async () => {
    const record = await addRecord(db, ana.id, { activityKind: 'review', minutes: 0, units: 1 });
    const saved = await postClaimForm(app, ana.browser, formOf(record.id), {
      feeChoice: 'vouchers',
      'kind-1': 'meals',
      'amount-1': '8.5',
      action: 'draft',
    });
    expect(saved.statusCode).toBe(303);
    const claim = (await claimOf(db, record.id))!;
    expect(claim).toMatchObject({ status: 'draft', feeChoice: 'vouchers', feePence: 7500, expensesPence: 850, totalPence: 8350 });
    const again = await ana.browser.get(formOf(record.id));
    expect(again.body).toContain('value="8.50"');
    expect(again.body).toMatch(/value="vouchers" checked/);
    const withdrawn = await ana.browser.submit(`/profile/claims/${claim.id}`, `/profile/claims/${claim.id}/withdraw`, {});
    expect(withdrawn.headers.location).toBe('/profile/involvement?saved=withdrawn');
    expect(await claimOf(db, record.id)).toBeNull();
  });

  it('asks about benefits once a tax year before a paid claim, and respects the answer', async () => {
    const ben = await joinedContributor(app, sink, 'Ben Benefits');
    await setPaymentProfile(db, ben.id, { receivesBenefits: 'yes', paymentPreference: 'fee' });
    const first = await addRecord(db, ben.id, { occurredOn: '2026-05-10' });
    const sent = await postClaimForm(app, ben.browser, formOf(first.id), { feeChoice: 'fee', action: 'send' });
    const claim = (await claimOf(db, first.id))!;
    expect(sent.headers.location).toBe(`/profile/claims/${claim.id}/before-you-send`);
    expect(claim.status).toBe('draft');
    const step = await ben.browser.get(`/profile/claims/${claim.id}/before-you-send`);
    expect(step.body).toContain('Universal Credit');
    expect(step.body).toContain('href="https://www.citizensadvice.org.uk/benefits/"');
    const path = `/profile/claims/${claim.id}/before-you-send`;
    const empty = await ben.browser.submit(path, path, { payment: '' });
    expect(empty.statusCode).toBe(400);
    expect((await claimOf(db, first.id))!.status).toBe('draft');
    const vouchers = await ben.browser.submit(path, path, { payment: 'vouchers' });
    expect(vouchers.headers.location).toBe(`/profile/claims/${claim.id}?saved=sent`);
    expect(await claimOf(db, first.id)).toMatchObject({ status: 'submitted', feeChoice: 'vouchers', feePence: 6250 });
    const [declared] = await db.select().from(paymentDeclarations).where(eq(paymentDeclarations.userId, ben.id));
    expect(declared).toMatchObject({
      taxYear: '2026-27',
      answers: { payment: 'vouchers', feeChoice: 'vouchers', benefitsAdviceShown: 'yes' },
    });

    // The same tax year: not asked again. The next tax year: asked again, and "no payment" is kept.
    const second = await addRecord(db, ben.id, { occurredOn: '2026-09-01' });
    const direct = await postClaimForm(app, ben.browser, formOf(second.id), { feeChoice: 'fee', action: 'send' });
    expect(direct.headers.location).toMatch(/\?saved=sent$/);
    const nextYear = await addRecord(db, ben.id, { occurredOn: '2027-04-06', title: 'April panel' });
    const asked = await postClaimForm(
      app,
      ben.browser,
      formOf(nextYear.id),
      { feeChoice: 'fee', 'kind-1': 'parking', 'amount-1': '3', action: 'send' },
      [{ name: 'receipt-1', filename: 'parking.pdf', content: pdfBytes }],
    );
    const third = (await claimOf(db, nextYear.id))!;
    expect(asked.headers.location).toBe(`/profile/claims/${third.id}/before-you-send`);
    const thirdPath = `/profile/claims/${third.id}/before-you-send`;
    await ben.browser.submit(thirdPath, thirdPath, { payment: 'declined' });
    expect(await claimOf(db, nextYear.id)).toMatchObject({ status: 'submitted', feeChoice: 'declined', feePence: 0, totalPence: 300 });
  });

  it('asks a public-sector employee whether it is part of their paid job (then expenses only)', async () => {
    const pat = await joinedContributor(app, sink, 'Pat Public');
    await setPaymentProfile(db, pat.id, { publicSectorEmployee: 'not-sure' });
    const record = await addRecord(db, pat.id, { occurredOn: '2026-06-01' });
    await postClaimForm(app, pat.browser, formOf(record.id), {
      feeChoice: 'fee',
      'kind-1': 'meals',
      'amount-1': '6.00',
      action: 'send',
    });
    const claim = (await claimOf(db, record.id))!;
    const path = `/profile/claims/${claim.id}/before-you-send`;
    const page = await pat.browser.get(path);
    expect(page.body).toContain('Is this involvement part of your paid job?');
    expect(page.body).toContain('Does your employer allow you to accept a fee?');
    expect(page.body).not.toContain('Universal Credit');
    const missing = await pat.browser.submit(path, path, { payment: 'fee' });
    expect(missing.statusCode).toBe(400);
    expect(missing.body).toContain('Choose whether this involvement is part of your paid job');
    await pat.browser.submit(path, path, { payment: 'fee', partOfJob: 'yes' });
    expect(await claimOf(db, record.id)).toMatchObject({ status: 'submitted', feeChoice: 'declined', feePence: 0, totalPence: 600 });
  });

  it('keeps the amount of an old claim when the rate changes; a later activity uses the new rate', async () => {
    const before = await addRecord(db, ana.id, { occurredOn: '2026-05-20', minutes: 60 });
    await postClaimForm(app, ana.browser, formOf(before.id), { feeChoice: 'fee', action: 'send' });
    expect((await claimOf(db, before.id))!.feePence).toBe(2500);
    const [newer] = await db
      .insert(rates)
      .values({ kind: 'meeting', name: 'Meeting', unit: 'hour', amountPence: 3000, effectiveFrom: '2026-07-01' })
      .returning();
    const after = await addRecord(db, ana.id, { occurredOn: '2026-07-02', minutes: 60 });
    await postClaimForm(app, ana.browser, formOf(after.id), { feeChoice: 'fee', action: 'send' });
    expect(await claimOf(db, after.id)).toMatchObject({ feePence: 3000, feeRateId: newer!.id });
    expect(await claimOf(db, before.id)).toMatchObject({ feePence: 2500, totalPence: 2500, feeRateId: meetingRate.id });
    const oldPage = await ana.browser.get(`/profile/claims/${(await claimOf(db, before.id))!.id}`);
    expect(oldPage.body).toContain('£25.00');
    expect(oldPage.body).not.toContain('£30.00');
  });

  it('lets involvement staff enter a claim for someone, recorded as theirs and audited', async () => {
    const { browser: staff, staff: who } = await signedInBrowser(app, 'involvement');
    const cara = await joinedContributor(app, sink, 'Cara Carer');
    await setPaymentProfile(db, cara.id, { receivesBenefits: 'yes' });
    const record = await addRecord(db, cara.id, { occurredOn: '2026-06-10' });
    const url = `/admin/involvement/records/${record.id}/claim`;
    const page = await staff.get(url);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Enter a claim for Cara Carer');
    const unticked = await postClaimForm(app, staff, url, { feeChoice: 'fee', action: 'send' });
    expect(unticked.statusCode).toBe(400);
    expect(await claimOf(db, record.id)).toBeNull();
    const sent = await postClaimForm(app, staff, url, { feeChoice: 'fee', benefitsDiscussed: 'yes', action: 'send' });
    const claim = (await claimOf(db, record.id))!;
    // Sent, it is followed on the staff claim page, which says another member of staff approves it.
    expect(sent.headers.location).toBe(`/admin/claims/${claim.id}?saved=entered`);
    expect((await staff.get(sent.headers.location as string)).body).toContain('Another member of staff must approve it');
    expect(claim).toMatchObject({ status: 'submitted', userId: cara.id, enteredBy: who.id, feePence: 6250 });
    const entries = await db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'claim.entered-for-someone'), eq(auditEvents.subjectUserId, cara.id)));
    expect(entries).toHaveLength(1);
    expect((await staff.get(url)).headers.location).toBe(`/admin/claims/${claim.id}`);
    // Staff who do not run the register may not.
    const { browser: plain } = await signedInBrowser(app, 'staff');
    expect((await plain.get(url)).statusCode).toBe(403);
    // The person sees the claim as their own.
    expect((await cara.browser.get(`/profile/claims/${claim.id}`)).statusCode).toBe(200);
    expect(await db.select().from(claims).where(eq(claims.userId, cara.id))).toHaveLength(1);
  });
});
