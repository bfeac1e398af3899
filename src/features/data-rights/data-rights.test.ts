import { describe, expect, it } from 'vitest';
import { eq, or, sql } from 'drizzle-orm';
import { Browser, buildTestApp, signedInBrowser } from '#tests/helpers/app.ts';
import { startSmtpSink, waitFor } from '#tests/helpers/smtp.ts';
import { joinedContributor } from '#tests/helpers/contributors.ts';
import { account, session, user } from '#src/platform/identity/tables.ts';
import { auditEvents } from '#src/platform/audit/tables.ts';
import { mailMessages } from '#src/platform/mail/tables.ts';
import { contributorLivedExperience, contributorProfiles, livedExperienceTerms } from '#src/features/profile/tables.ts';
import { consentEvents } from './tables.ts';
import { seedLivedExperienceTerms } from '#src/features/profile/demo.ts';
import { PRIVACY_NOTICE_VERSION } from './schema.ts';

describe('download my data and delete my account', async () => {
  const sink = await startSmtpSink();
  const { app, db } = await buildTestApp({ smtpUrl: sink.url });
  await seedLivedExperienceTerms(db);
  const [diabetes] = await db.select().from(livedExperienceTerms).where(eq(livedExperienceTerms.label, 'Diabetes'));

  async function fullProfile(name: string) {
    const c = await joinedContributor(app, sink, name);
    await c.browser.submit('/profile/details', '/profile/details', { name, preferredName: `${name} P`, phone: '01632 960 001' });
    await c.browser.submit('/profile/contact', '/profile/contact', {
      contactMethods: ['phone'],
      phone: '01632 960 001',
      formats: 'easy-read',
    });
    await c.browser.submit('/profile/lived-experience', '/profile/lived-experience', {
      terms: String(diabetes!.id),
      notes: `${name} own words`,
    });
    await c.browser.submit('/profile/interests', '/profile/interests', { interests: 'co-design' });
    await c.browser.submit('/profile/availability', '/profile/availability', { availableWays: 'in-person', region: 'London' });
    await c.browser.submit('/profile/access-needs', '/profile/access-needs', {
      accessNeeds: 'step-free',
      accessNeedsNotes: `${name} needs a ramp`,
    });
    await c.browser.submit('/profile/payment', '/profile/payment', { paymentPreference: 'fee', publicSectorEmployee: 'not-sure' });
    return c;
  }

  it('gives everything held, as a page and as a JSON attachment, and records each download', async () => {
    const me = await fullProfile('Dana Data');
    const other = await fullProfile('Olly Other');
    const json = await me.browser.get('/profile/data.json');
    expect(json.statusCode).toBe(200);
    expect(json.headers['content-type']).toContain('application/json');
    expect(json.headers['content-disposition']).toBe('attachment; filename="my-data.json"');
    const data = JSON.parse(json.body);
    expect(data.account).toMatchObject({ id: me.id, fullName: 'Dana Data', email: me.email, role: 'contributor' });
    expect(data.profile).toMatchObject({
      preferredName: 'Dana Data P',
      phone: '01632 960 001',
      contactMethods: ['Phone'],
      formats: ['Easy read'],
      interests: ['Co-design'],
    });
    expect(data.profile).toMatchObject({
      availableWays: ['In person'],
      region: 'London',
      accessNeeds: ['Step-free access'],
      otherAccessNeeds: 'Dana Data needs a ramp',
      paymentPreference: 'I would like to be paid for my time',
      publicSectorEmployee: 'I am not sure',
    });
    expect(Object.keys(data.profile.completedSteps).sort()).toEqual([
      'access-needs',
      'availability',
      'contact',
      'details',
      'interests',
      'lived-experience',
      'payment',
    ]);
    expect(data.livedExperience).toEqual({ chosen: [{ group: 'Conditions', term: 'Diabetes' }], inYourOwnWords: 'Dana Data own words' });
    expect(data.consents).toEqual([expect.objectContaining({ action: 'given', privacyNoticeVersion: PRIVACY_NOTICE_VERSION })]);

    const page = await me.browser.get('/profile/data');
    expect(page.statusCode).toBe(200);
    expect(page.body.match(/<h1/g)).toHaveLength(1);
    for (const text of [
      'Dana Data P',
      me.email,
      'Diabetes',
      'Dana Data own words',
      'Easy read',
      'Co-design',
      'London',
      'Dana Data needs a ramp',
      PRIVACY_NOTICE_VERSION,
    ])
      expect(page.body).toContain(text);
    // Another contributor's data never appears, on either form.
    for (const body of [page.body, json.body]) {
      expect(body).not.toContain('Olly Other');
      expect(body).not.toContain(other.email);
      expect(body).not.toContain(other.id);
    }
    const logged = await db.select().from(auditEvents).where(eq(auditEvents.subjectUserId, me.id));
    expect(logged.map((e) => [e.action, e.actorUserId, e.details])).toEqual(
      expect.arrayContaining([
        ['contributor.data-downloaded', me.id, { format: 'json' }],
        ['contributor.data-downloaded', me.id, { format: 'page' }],
      ]),
    );
  });

  it('deletes the account and everything that identifies the person, signs them out and emails them', async () => {
    const me = await fullProfile('Del Eted');
    const other = await fullProfile('Stay Put');
    const confirmPage = await me.browser.get('/profile/delete');
    expect(confirmPage.body).toContain('You cannot undo this');
    const notConfirmed = await me.browser.submit('/profile/delete', '/profile/delete', {});
    expect(notConfirmed.statusCode).toBe(400);
    expect(notConfirmed.body).toContain('Confirm that you want to delete your account');
    expect(await db.select().from(user).where(eq(user.id, me.id))).toHaveLength(1);

    const res = await me.browser.submit('/profile/delete', '/profile/delete', { confirm: 'yes' });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/account-deleted');
    expect((await me.browser.get('/account-deleted')).body).toContain('Your account has been deleted');
    // Signed out: the old session no longer works.
    expect((await me.browser.get('/profile')).statusCode).toBe(302);

    const mail = await waitFor(() => sink.to(me.email).find((m) => m.raw.includes('has been deleted')));
    expect((await sink.parse(mail)).subject).toContain('account has been deleted');

    expect(await db.select().from(user).where(eq(user.id, me.id))).toHaveLength(0);
    expect(await db.select().from(user).where(eq(user.email, me.email))).toHaveLength(0);
    expect(await db.select().from(session).where(eq(session.userId, me.id))).toHaveLength(0);
    expect(await db.select().from(account).where(eq(account.userId, me.id))).toHaveLength(0);
    expect(await db.select().from(contributorProfiles).where(eq(contributorProfiles.userId, me.id))).toHaveLength(0);
    expect(await db.select().from(contributorLivedExperience).where(eq(contributorLivedExperience.userId, me.id))).toHaveLength(0);
    expect(await db.select().from(consentEvents).where(eq(consentEvents.userId, me.id))).toHaveLength(0);
    const [deletion] = await db.select().from(auditEvents).where(eq(auditEvents.action, 'contributor.account-deleted'));
    expect(deletion).toMatchObject({ actorUserId: me.id, subjectUserId: me.id, details: {} });
    // The other contributor is untouched.
    expect(await db.select().from(contributorProfiles).where(eq(contributorProfiles.userId, other.id))).toHaveLength(1);
    expect((await other.browser.get('/profile')).statusCode).toBe(200);
    // The email was promised in the same transaction as the deletion; once sent, the mail log
    // forgets it too, like every earlier email to that address (the sign-in links).
    const confirmation = await waitFor(async () => {
      const [row] = await db.select().from(mailMessages).where(eq(mailMessages.kind, 'contributor-deleted'));
      return row?.status === 'sent' && row.toAddress === 'erased' ? row : null;
    });
    expect(confirmation.textBody).toBe('');
    expect(
      await db
        .select()
        .from(mailMessages)
        .where(or(eq(mailMessages.toAddress, me.email), sql`${mailMessages.textBody} like ${'%Del Eted%'}`)),
    ).toHaveLength(0);
    expect((await db.select().from(mailMessages).where(eq(mailMessages.toAddress, other.email))).length).toBeGreaterThan(0);
  });

  it('refuses deletion without a CSRF token, and by staff', async () => {
    const me = await joinedContributor(app, sink, 'Csrf Check');
    const res = await me.browser.post('/profile/delete', { confirm: 'yes' });
    expect(res.statusCode).toBe(403);
    expect(await db.select().from(user).where(eq(user.id, me.id))).toHaveLength(1);
    const { browser } = await signedInBrowser(app, 'admin');
    expect((await browser.submit('/admin', '/profile/delete', { confirm: 'yes' })).statusCode).toBe(403);
    expect((await new Browser(app).get('/profile/delete')).statusCode).toBe(302);
  });
});
