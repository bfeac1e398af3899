import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { Browser, buildTestApp, signedInBrowser } from '#tests/helpers/app.ts';
import { waitFor } from '#tests/helpers/smtp.ts';
import { devOutbox, mailMessages } from './tables.ts';

const invitation = [
  'BEGIN:VCALENDAR',
  'VERSION:2.0',
  'METHOD:REQUEST',
  'BEGIN:VEVENT',
  'UID:meeting-1@localhost',
  'END:VEVENT',
  'END:VCALENDAR',
  '',
].join('\r\n');

// Without SMTP_URL the development outbox keeps an email's calendar invitation too, so the whole
// journey (an invitation added to a calendar) can be followed on a laptop. Over SMTP: see the
// calendar area's reminder and invitation tests.
describe('a calendar invitation in the development outbox', async () => {
  const { app, db, services } = await buildTestApp();
  const content = { to: 'cal@example.net', subject: 'You have a place', paragraphs: ['See you there.'] };

  it('is kept with the email and offered to staff as a file', async () => {
    const calendar = { method: 'REQUEST', fileName: 'invite.ics', content: invitation };
    await services.mail.enqueue({ ...content, calendar }, { key: 'cal-outbox-1', kind: 'test' });
    const [kept] = await waitFor(async () => {
      const rows = await db.select().from(devOutbox).where(eq(devOutbox.toAddress, 'cal@example.net'));
      return rows.length ? rows : undefined;
    });
    expect(kept!.calendar).toEqual(calendar);
    const { browser } = await signedInBrowser(app, 'staff');
    const page = await browser.get(`/dev/outbox/${kept!.id}`);
    expect(page.body).toContain(`href="/dev/outbox/${kept!.id}/calendar.ics"`);
    expect(page.body).toContain('Download the calendar invitation (REQUEST, invite.ics)');
    const file = await browser.get(`/dev/outbox/${kept!.id}/calendar.ics`);
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toBe('text/calendar; charset=utf-8; method=REQUEST');
    expect(file.headers['content-disposition']).toBe('attachment; filename="invite.ics"');
    expect(file.body).toBe(invitation);
    expect((await new Browser(app).get(`/dev/outbox/${kept!.id}/calendar.ics`)).statusCode).toBe(302);
  });

  it('answers 404 for an email without one', async () => {
    await services.mail.enqueue(content, { key: 'cal-outbox-2', kind: 'test' });
    const plain = await waitFor(async () =>
      (await db.select().from(devOutbox).where(eq(devOutbox.subject, content.subject))).find((m) => !m.calendar),
    );
    const { browser } = await signedInBrowser(app, 'staff');
    expect((await browser.get(`/dev/outbox/${plain.id}/calendar.ics`)).statusCode).toBe(404);
  });

  it('is erased with the address when the account is deleted', async () => {
    await services.mail.forgetAddress('cal@example.net');
    const [row] = await db.select().from(mailMessages).where(eq(mailMessages.idempotencyKey, 'cal-outbox-1'));
    expect(row!.calendar).toBeNull();
    expect(await db.select().from(devOutbox).where(eq(devOutbox.toAddress, 'cal@example.net'))).toEqual([]);
  });
});
