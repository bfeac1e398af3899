import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { Browser, buildTestApp, signedInBrowser } from '#tests/helpers/app.ts';
import { auditEvents } from '#src/platform/audit/tables.ts';
import { mailMessages } from '#src/platform/mail/tables.ts';
import { newsletterConsentEvents, newsletterSubscriberDeletions, newsletterSubscriberTopics, newsletterSubscribers } from './tables.ts';
import { addTopics, subscribe } from './test-support.ts';

// Staff add a subscriber who gave consent in person or on paper (recorded, nobody emailed, as with
// an import: ADR 8) and delete one (the address erased everywhere, only a count kept).
describe('subscribers added and deleted by staff', async () => {
  const { app, db } = await buildTestApp();
  const [news, events] = await addTopics(app, ['News', 'Events']);
  const { browser: staff, staff: member } = await signedInBrowser(app);
  const add = (fields: Record<string, string | string[]>) =>
    staff.submit('/admin/newsletters/subscribers/new', '/admin/newsletters/subscribers/new', {
      email: 'sam@example.net',
      name: 'Sam Jones',
      topics: [String(news)],
      consentSource: 'Told us in person at the March open day',
      'consentedOn-day': '14',
      'consentedOn-month': '3',
      'consentedOn-year': '2026',
      ...fields,
    });
  const byEmail = async (email: string) => (await db.select().from(newsletterSubscribers).where(eq(newsletterSubscribers.email, email)))[0];

  it('adds a subscriber with where and when they consented, active at once and not emailed, and audits it', async () => {
    const form = await staff.get('/admin/newsletters/subscribers/new');
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('<h1>Add a subscriber</h1>');
    const res = await add({ email: 'Sam@Example.net', topics: [String(news), String(events)] });
    expect(res.statusCode).toBe(303);
    const sub = (await byEmail('sam@example.net'))!;
    expect(res.headers.location).toBe(`/admin/newsletters/subscribers/${sub.id}?added=1`);
    expect(sub).toMatchObject({ status: 'active', name: 'Sam Jones', source: 'Told us in person at the March open day' });
    expect(sub.consentedAt!.toISOString().slice(0, 10)).toBe('2026-03-14');
    const topics = await db.select().from(newsletterSubscriberTopics).where(eq(newsletterSubscriberTopics.subscriberId, sub.id));
    expect(topics.map((t) => t.topicId).sort()).toEqual([news, events].sort());
    const [event] = await db.select().from(newsletterConsentEvents).where(eq(newsletterConsentEvents.subscriberId, sub.id));
    expect(event).toMatchObject({
      action: 'added-by-staff',
      source: 'staff',
      staffUserId: member.id,
      detail: 'Consent given 2026-03-14: Told us in person at the March open day',
    });
    expect(await db.select().from(mailMessages).where(eq(mailMessages.toAddress, 'sam@example.net'))).toHaveLength(0);
    const page = await staff.get(String(res.headers.location));
    expect(page.body).toContain('Subscriber added');
    expect(page.body).toContain('Added by staff');
    const audit = await db.select().from(auditEvents).where(eq(auditEvents.action, 'newsletter.subscriber-added'));
    expect(audit.map((a) => a.details)).toContainEqual({ subscriber: sub.id });
  });

  it('says what is wrong, one message per field, adding nobody', async () => {
    const cases: [Record<string, string | string[]>, string][] = [
      [{ email: 'not-an-email' }, 'Enter an email address in the correct format'],
      [{ topics: [] }, 'Select at least one topic they asked to hear about'],
      [{ topics: ['99999'] }, 'Select at least one topic they asked to hear about'],
      [{ consentSource: '' }, 'Enter how they gave their consent'],
      [{ 'consentedOn-day': '', 'consentedOn-month': '', 'consentedOn-year': '' }, 'Enter the date they gave their consent'],
      [{ 'consentedOn-year': '2999' }, 'must be today or in the past'],
      [{ name: '<b>Sam</b>' }, 'Name must not include'],
    ];
    for (const [fields, message] of cases) {
      const res = await add({ email: 'wrong@example.net', ...fields });
      expect(res.statusCode, message).toBe(400);
      expect(res.body).toContain('nhsuk-error-summary');
      expect(res.body, message).toContain(message);
    }
    expect(await byEmail('wrong@example.net')).toBeUndefined();
  });

  it('never adds again someone already subscribed, or who unsubscribed, and makes an unconfirmed sign-up subscribed', async () => {
    await add({ email: 'twice@example.net' });
    expect((await add({ email: 'twice@example.net' })).body).toContain('This email address is already subscribed');
    const gone = (await byEmail('twice@example.net'))!;
    await app.services.newsletters.subscribers.setStatus(gone.id, 'unsubscribed', { action: 'unsubscribed', source: 'test' });
    const again = await add({ email: 'twice@example.net' });
    expect(again.statusCode).toBe(400);
    expect(again.body).toContain('This person has unsubscribed, so they cannot be added again');
    expect((await byEmail('twice@example.net'))!.status).toBe('unsubscribed');

    const web = new Browser(app);
    expect((await web.submit('/newsletter', '/newsletter', { email: 'pending@example.net', topics: [String(events)] })).statusCode).toBe(
      303,
    );
    expect((await add({ email: 'pending@example.net' })).statusCode).toBe(303);
    expect(await byEmail('pending@example.net')).toMatchObject({ status: 'active', confirmTokenHash: null });
  });

  it('deletes a subscriber after a confirmation page, erasing the address everywhere and keeping only a count', async () => {
    await subscribe(app, 'erase.me@example.net', [news]);
    const sub = (await byEmail('erase.me@example.net'))!;
    const record = await staff.get(`/admin/newsletters/subscribers/${sub.id}`);
    expect(record.body).toContain(`href="/admin/newsletters/subscribers/${sub.id}/delete"`);
    const confirm = await staff.get(`/admin/newsletters/subscribers/${sub.id}/delete`);
    expect(confirm.statusCode).toBe(200);
    expect(confirm.body).toContain('Are you sure you want to delete this subscriber?');
    expect(await byEmail('erase.me@example.net')).toBeDefined();
    const before = (await db.select().from(newsletterSubscriberDeletions)).reduce((n, r) => n + r.count, 0);

    const res = await staff.submit(
      `/admin/newsletters/subscribers/${sub.id}/delete`,
      `/admin/newsletters/subscribers/${sub.id}/delete`,
      {},
    );
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/admin/newsletters/subscribers?deleted=1');
    expect(await byEmail('erase.me@example.net')).toBeUndefined();
    expect(await db.select().from(newsletterConsentEvents).where(eq(newsletterConsentEvents.subscriberId, sub.id))).toHaveLength(0);
    // The confirmation email we sent them no longer holds the address.
    expect(await db.select().from(mailMessages).where(eq(mailMessages.toAddress, 'erase.me@example.net'))).toHaveLength(0);
    const after = (await db.select().from(newsletterSubscriberDeletions)).reduce((n, r) => n + r.count, 0);
    expect(after).toBe(before + 1);
    const list = await staff.get(String(res.headers.location));
    expect(list.body).toContain('Subscriber deleted');
    expect(list.body).toMatch(/\d+ subscribers? (has|have) been deleted by staff/);
    const audit = await db.select().from(auditEvents).where(eq(auditEvents.action, 'newsletter.subscriber-deleted'));
    expect(audit.map((a) => a.details)).toContainEqual({ subscriber: sub.id });
    expect(JSON.stringify(audit)).not.toContain('erase.me');

    // Deleting again finds nobody.
    expect((await staff.get(`/admin/newsletters/subscribers/${sub.id}/delete`)).statusCode).toBe(404);
  });

  it('is for staff only', async () => {
    const anon = new Browser(app);
    for (const path of ['/admin/newsletters/subscribers/new', '/admin/newsletters/subscribers/1/delete']) {
      expect((await anon.get(path)).headers.location, path).toMatch(/^\/sign-in/);
    }
  });
});
