import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { buildTestApp } from '#tests/helpers/app.ts';
import { startSmtpSink } from '#tests/helpers/smtp.ts';
import { joinedContributor } from '#tests/helpers/contributors.ts';
import { claimExpenses, claims } from './tables.ts';
import { addRecord, claimOf, pdfBytes, pngBytes, postClaimForm, postFromPage, seedRates, type FilePart } from './claims-test-support.ts';

// Every mistake gets a clear message beside its field, status 400, and nothing stored or changed.
describe('claims refuse bad input', async () => {
  const sink = await startSmtpSink();
  const { app, db, services } = await buildTestApp({ smtpUrl: sink.url });
  await seedRates(db);
  const ana = await joinedContributor(app, sink, 'Ana Accurate');
  const other = await joinedContributor(app, sink, 'Olwen Other');
  const formOf = (recordId: number) => `/profile/involvement/${recordId}/claim`;
  const everything = async () => ({ claims: await db.select().from(claims), expenses: await db.select().from(claimExpenses) });

  const cases: [string, Record<string, string>, FilePart[], string][] = [
    ['a negative amount', { 'kind-1': 'meals', 'amount-1': '-5.00' }, [], 'cannot be less than zero'],
    ['three decimal places', { 'kind-1': 'meals', 'amount-1': '4.505' }, [], 'in pounds and pence, like 12.50'],
    ['a zero amount', { 'kind-1': 'meals', 'amount-1': '0' }, [], 'must be more than £0'],
    [
      'an absurd amount',
      { 'kind-1': 'other', 'amount-1': '1500' },
      [{ name: 'receipt-1', filename: 'r.pdf', content: pdfBytes }],
      '£1,000 or less',
    ],
    ['miles over the limit', { 'kind-1': 'mileage', 'miles-1': '501' }, [], 'between 1 and 500'],
    ['miles with a fraction', { 'kind-1': 'mileage', 'miles-1': '12.5' }, [], 'as a whole number'],
    ['no kind of cost', { 'amount-2': '3.00' }, [], 'Choose what kind of cost expense 2 is'],
    ['no receipt where one is needed', { 'kind-1': 'parking', 'amount-1': '4.00' }, [], 'this kind of cost needs one'],
    ['no receipt for a meal over £10', { 'kind-1': 'meals', 'amount-1': '12.00' }, [], 'over £10 need one'],
    [
      'a program as a receipt',
      { 'kind-1': 'parking', 'amount-1': '4.00' },
      [{ name: 'receipt-1', filename: 'ticket.pdf', content: Buffer.from('MZ\x90\x00\x03\x00\x00\x00') }],
      'must be a PDF, JPEG, PNG, WebP or GIF file',
    ],
    [
      'a web page as a receipt',
      { 'kind-1': 'parking', 'amount-1': '4.00' },
      [{ name: 'receipt-1', filename: 'ticket.png', content: Buffer.from('<html><script>alert(1)</script></html>') }],
      'must be a PDF, JPEG, PNG, WebP or GIF file',
    ],
    [
      'a receipt that is too large',
      { 'kind-1': 'parking', 'amount-1': '4.00' },
      [{ name: 'receipt-1', filename: 'big.png', content: Buffer.concat([pngBytes, Buffer.alloc(10 * 1024 * 1024)]) }],
      'must be smaller than 10 MB',
    ],
    ['no fee choice', { feeChoice: '' }, [], 'Choose how you would like to be paid for your time'],
    ['nothing to claim', { feeChoice: 'declined' }, [], 'There is nothing to claim'],
  ];

  it.each(cases)('refuses %s', async (_what, fields, files, message) => {
    const record = await addRecord(db, ana.id);
    const before = await everything();
    const res = await postClaimForm(app, ana.browser, formOf(record.id), { feeChoice: 'fee', action: 'send', ...fields }, files);
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('There is a problem');
    expect(res.body).toContain(message);
    expect(await everything()).toEqual(before);
  });

  it('refuses a second claim for the same record, and changes to a claim once sent', async () => {
    const record = await addRecord(db, ana.id);
    const url = formOf(record.id);
    // Two copies of the empty form, as in two tabs: the second is refused.
    const stale = await ana.browser.get(url);
    expect(stale.body).toContain('name="claimId" value=""');
    expect((await postClaimForm(app, ana.browser, url, { feeChoice: 'fee', action: 'draft' })).statusCode).toBe(303);
    const claim = (await claimOf(db, record.id))!;
    const twice = await postFromPage(app, ana.browser, url, stale.body, { feeChoice: 'vouchers', action: 'draft' });
    expect(twice.statusCode).toBe(400);
    expect(twice.body).toContain('You have already made a claim for this activity');
    expect(await db.select().from(claims).where(eq(claims.recordId, record.id))).toHaveLength(1);
    expect((await claimOf(db, record.id))!.feeChoice).toBe('fee');

    const draftPage = await ana.browser.get(url);
    expect((await postClaimForm(app, ana.browser, url, { feeChoice: 'fee', action: 'send' })).statusCode).toBe(303);
    // Once sent, the form leads to the claim's page; a copy of the form posted anyway is refused.
    expect((await ana.browser.get(url)).headers.location).toBe(`/profile/claims/${claim.id}`);
    const sent = (await claimOf(db, record.id))!;
    expect(sent.status).toBe('submitted');
    const edit = await postFromPage(app, ana.browser, url, draftPage.body, {
      feeChoice: 'declined',
      'kind-1': 'meals',
      'amount-1': '2',
      action: 'send',
    });
    expect(edit.statusCode).toBe(400);
    expect(edit.body).toContain('This claim has been sent, so it cannot be changed');
    expect(await claimOf(db, record.id)).toEqual(sent);
    const withdraw = await ana.browser.submit(`/profile/claims/${claim.id}`, `/profile/claims/${claim.id}/withdraw`, {});
    expect(withdraw.headers.location).toBe(`/profile/claims/${claim.id}?saved=withdraw-refused`);
    expect(await claimOf(db, record.id)).toEqual(sent);
  });

  it("answers 404 for someone else's record, claim or receipt, and for ids that are not ids", async () => {
    const record = await addRecord(db, ana.id);
    await postClaimForm(
      app,
      ana.browser,
      formOf(record.id),
      { feeChoice: 'fee', 'kind-1': 'parking', 'amount-1': '2.00', action: 'draft' },
      [{ name: 'receipt-1', filename: 'p.pdf', content: pdfBytes }],
    );
    const claim = (await claimOf(db, record.id))!;
    const [line] = await db.select().from(claimExpenses).where(eq(claimExpenses.claimId, claim.id));
    const before = await everything();
    expect((await other.browser.get(formOf(record.id))).statusCode).toBe(404);
    const posted = await postClaimForm(app, other.browser, formOf(record.id), { feeChoice: 'fee', action: 'send' });
    expect(posted.statusCode).toBe(404);
    expect((await other.browser.get(`/profile/claims/${claim.id}`)).statusCode).toBe(404);
    expect((await other.browser.get(`/profile/claims/${claim.id}/receipts/${line!.id}`)).statusCode).toBe(404);
    expect((await other.browser.get(`/profile/claims/${claim.id}/before-you-send`)).statusCode).toBe(404);
    expect((await ana.browser.get('/profile/claims/abc')).statusCode).toBe(404);
    expect((await ana.browser.get(`/profile/claims/${claim.id}/receipts/99999999999`)).statusCode).toBe(404);
    expect(await everything()).toEqual(before);
  });

  it('keeps a saved receipt when the claim is reopened and saved again, and removes it only when asked', async () => {
    const record = await addRecord(db, ana.id);
    const url = formOf(record.id);
    await postClaimForm(app, ana.browser, url, { feeChoice: 'fee', 'kind-1': 'care', 'amount-1': '20.00', action: 'draft' }, [
      { name: 'receipt-1', filename: 'childminder.png', content: pngBytes },
    ]);
    const page = await ana.browser.get(url);
    expect(page.body).toContain('Receipt already uploaded: childminder.png');
    expect(
      (await postClaimForm(app, ana.browser, url, { feeChoice: 'fee', 'kind-1': 'care', 'amount-1': '21.00', action: 'draft' })).statusCode,
    ).toBe(303);
    const claim = (await claimOf(db, record.id))!;
    expect(claim.expensesPence).toBe(2100);
    const [kept] = await db.select().from(claimExpenses).where(eq(claimExpenses.claimId, claim.id));
    expect(kept!.receiptName).toBe('childminder.png');
    // Removing it: care needs a receipt, so the form says so and nothing changes.
    const removed = await postClaimForm(app, ana.browser, url, {
      feeChoice: 'fee',
      'kind-1': 'care',
      'amount-1': '21.00',
      'removeReceipt-1': 'yes',
      action: 'draft',
    });
    expect(removed.statusCode).toBe(400);
    expect(removed.body).toContain('this kind of cost needs one');
    const [still] = await db.select().from(claimExpenses).where(eq(claimExpenses.claimId, claim.id));
    expect(still!.receiptKey).toBe(kept!.receiptKey);
    // A meal under £10 needs none: removed, and the file deleted from storage.
    const meal = { feeChoice: 'fee', 'kind-1': 'meals', 'amount-1': '5.00', 'removeReceipt-1': 'yes', action: 'draft' };
    expect((await postClaimForm(app, ana.browser, url, meal)).statusCode).toBe(303);
    const [now] = await db.select().from(claimExpenses).where(eq(claimExpenses.claimId, claim.id));
    expect([now!.receiptKey, now!.amountPence]).toEqual([null, 500]);
    expect(await services.storage.get(kept!.receiptKey!)).toBeNull();
  });
});
