import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { buildTestApp, signedInBrowser } from '#tests/helpers/app.ts';
import { startSmtpSink } from '#tests/helpers/smtp.ts';
import { joinedContributor } from '#tests/helpers/contributors.ts';
import { auditEvents } from '#src/platform/audit/tables.ts';
import { decryptBankDetails, encryptBankDetails } from './bank-details.ts';
import { payees } from './tables.ts';

const key = randomBytes(32);

// Bank details, off by default: once an admin turns them on (the server has the key), a
// contributor gives them (validated), they are stored encrypted and shown back as the last four
// digits; finance sees them in full, every view audited.
describe('bank details', async () => {
  const sink = await startSmtpSink();
  const { app, db } = await buildTestApp({ smtpUrl: sink.url, bankDetailsKey: key });
  const { browser: admin } = await signedInBrowser(app, 'admin');
  const me = await joinedContributor(app, sink, 'Bryn Banked');

  it('encrypts with a fresh IV every time and reads back only with the key', () => {
    const details = { accountName: 'Bryn Banked', sortCode: '309430', accountNumber: '00733445' };
    const [a, b] = [encryptBankDetails(key, details), encryptBankDetails(key, details)];
    expect(a).not.toBe(b);
    expect(decryptBankDetails(key, a)).toEqual(details);
    expect(() => decryptBankDetails(randomBytes(32), a)).toThrow();
  });

  it('is not asked for until an admin turns it on', async () => {
    expect((await me.browser.get('/profile/bank-details')).statusCode).toBe(404);
    expect((await me.browser.get('/profile/involvement')).body).not.toContain('href="/profile/bank-details"');
    const settings = await admin.get('/admin/finance/settings');
    expect(settings.body).not.toContain('no BANK_DETAILS_KEY');
    const res = await admin.submit('/admin/finance/settings', '/admin/finance/settings', {
      retentionYears: '6',
      maxMiles: '500',
      collectBankDetails: 'yes',
      'position-claim': '1',
      'position-total': '2',
    });
    expect(res.statusCode).toBe(303);
    expect((await me.browser.get('/profile/bank-details')).statusCode).toBe(200);
    // The person's involvement page, where they follow their claims, now asks for them.
    expect((await me.browser.get('/profile/involvement')).body).toContain('href="/profile/bank-details"');
  });

  it('refuses details that are not a sort code and account number, saving nothing', async () => {
    const res = await me.browser.submit('/profile/bank-details', '/profile/bank-details', {
      accountName: '',
      sortCode: '12-34',
      accountNumber: '1234567a',
    });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('nhsuk-error-summary');
    expect(res.body).toContain('Enter the name on the account');
    expect(res.body).toContain('Enter a valid sort code, like 309430');
    expect(res.body).toContain('Enter a valid account number, like 00733445 (8 digits)');
    expect(await db.select().from(payees).where(eq(payees.userId, me.id))).toHaveLength(0);
  });

  it('stores them encrypted (no digits in clear), shows the person the last four and finance all, audited', async () => {
    const res = await me.browser.submit('/profile/bank-details', '/profile/bank-details', {
      accountName: 'Bryn Banked',
      sortCode: '40-11-62',
      accountNumber: '2104 8897',
    });
    expect(res.statusCode).toBe(303);
    const [payee] = await db.select().from(payees).where(eq(payees.userId, me.id));
    expect(payee!.reference).toMatch(/^P\d{6}$/);
    const stored = payee!.bankDetailsEncrypted!;
    for (const clear of ['401162', '40-11-62', '21048897', '3445', 'Bryn']) expect(stored).not.toContain(clear);
    expect(stored.startsWith('v1.')).toBe(true);

    const mine = await me.browser.get('/profile/bank-details?saved=saved');
    expect(mine.body).toContain('Ending 8897');
    expect(mine.body).not.toContain('21048897');
    expect(mine.body).not.toContain('401162');
    const welsh = await me.browser.get('/profile/bank-details?lang=cy');
    expect(welsh.body).toContain('Yn gorffen â 8897');

    const { browser: finance, staff } = await signedInBrowser(app, 'finance');
    const page = await finance.get(`/admin/finance/payees/${payee!.id}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('21048897');
    expect(page.body).toContain('401162');
    const viewed = await db.select().from(auditEvents).where(eq(auditEvents.action, 'finance.bank-details-viewed'));
    expect(viewed).toHaveLength(1);
    expect(viewed[0]).toMatchObject({ actorUserId: staff.id, subjectUserId: me.id });
    for (const role of ['staff', 'involvement'] as const)
      expect((await (await signedInBrowser(app, role)).browser.get(`/admin/finance/payees/${payee!.id}`)).statusCode).toBe(403);
    expect((await me.browser.get(`/admin/finance/payees/${payee!.id}`)).statusCode).toBe(403);
  });

  it('lets the person remove them', async () => {
    const res = await me.browser.submit('/profile/bank-details', '/profile/bank-details/remove', {});
    expect(res.statusCode).toBe(303);
    const [payee] = await db.select().from(payees).where(eq(payees.userId, me.id));
    expect(payee!.bankDetailsEncrypted).toBeNull();
    expect((await me.browser.get('/profile/bank-details')).body).not.toContain('Ending 8897');
  });
});
