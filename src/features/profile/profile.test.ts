import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { Browser, buildTestApp, signedInBrowser } from '#tests/helpers/app.ts';
import { startSmtpSink } from '#tests/helpers/smtp.ts';
import { joinedContributor } from '#tests/helpers/contributors.ts';
import { contributorLivedExperience, contributorProfiles, livedExperienceTerms } from './tables.ts';
import { seedLivedExperienceTerms } from './demo.ts';

describe('the contributor profile', async () => {
  const sink = await startSmtpSink();
  const { app, db } = await buildTestApp({ smtpUrl: sink.url });
  await seedLivedExperienceTerms(db);
  const terms = await db.select().from(livedExperienceTerms);
  const cancer = terms.find((t) => t.label === 'Cancer')!;
  const carer = terms.find((t) => t.label === 'Young carer')!;

  it('shows a task list with every step Not started, then Completed once saved', async () => {
    const { browser } = await joinedContributor(app, sink, 'Pat Profile');
    const first = await browser.get('/profile');
    expect(first.body).toContain('nhsuk-task-list');
    expect(first.body.match(/<h1/g)).toHaveLength(1);
    for (const title of [
      'Your details',
      'How to contact you',
      'Your lived experience',
      'Interests',
      'Availability',
      'Access needs',
      'Payment preferences',
    ])
      expect(first.body).toContain(title);
    expect(first.body.match(/Not started/g)).toHaveLength(9);
    expect(first.body).toContain('You have completed 0 of 9 steps');

    expect(
      (await browser.submit('/profile/details', '/profile/details', { name: 'Pat Profile', preferredName: 'Pat', phone: '07700 900 982' }))
        .statusCode,
    ).toBe(303);
    expect(
      (
        await browser.submit('/profile/contact', '/profile/contact', {
          contactMethods: ['email', 'post'],
          postalAddress: '1 High Street\nTown',
          formats: ['large-print', 'interpreter'],
          interpreterLanguage: 'Polish',
        })
      ).statusCode,
    ).toBe(303);
    expect(
      (
        await browser.submit('/profile/lived-experience', '/profile/lived-experience', {
          terms: [String(cancer.id), String(carer.id)],
          notes: 'Treated in 2020.',
        })
      ).statusCode,
    ).toBe(303);
    expect((await browser.submit('/profile/interests', '/profile/interests', { interests: ['reviewing', 'surveys'] })).statusCode).toBe(
      303,
    );

    expect(
      (
        await browser.submit('/profile/availability', '/profile/availability', {
          availableTimes: 'weekday-evening',
          availableWays: ['online', 'phone'],
          region: 'Wales',
        })
      ).statusCode,
    ).toBe(303);
    expect(
      (
        await browser.submit('/profile/access-needs', '/profile/access-needs', {
          accessNeeds: ['captions', 'breaks'],
          accessNeedsNotes: 'Large monitor',
        })
      ).statusCode,
    ).toBe(303);
    const payment = await browser.get('/profile/payment');
    expect(payment.body).toContain('independent advice');
    expect(
      (await browser.submit('/profile/payment', '/profile/payment', { paymentPreference: 'vouchers', publicSectorEmployee: 'no' }))
        .statusCode,
    ).toBe(303);

    const after = await browser.get('/profile');
    expect(after.body.match(/Completed/g)).toHaveLength(7);
    expect(after.body).toContain('You have completed 7 of 9 steps');
    expect(after.body).toContain('Hello Pat');

    // Each step shows what was saved.
    const contact = await browser.get('/profile/contact');
    expect(contact.body).toMatch(/value="post"[^>]*checked/);
    expect(contact.body).toContain('Polish');
    const lived = await browser.get('/profile/lived-experience');
    expect(lived.body).toMatch(new RegExp(`value="${cancer.id}"[^>]*checked`));
    expect(lived.body).toContain('Treated in 2020.');
    expect((await browser.get('/profile/availability')).body).toMatch(/<option value="Wales" selected/);
    expect((await browser.get('/profile/payment')).body).toMatch(/value="vouchers"[^>]*checked/);
  });

  it('refuses bad or hostile input on each step with the error summary and a 400, storing nothing', async () => {
    const { browser, id } = await joinedContributor(app, sink, 'Bad Input');
    const cases: [string, Record<string, string | string[]>, string][] = [
      ['/profile/details', { name: '', phone: 'call me' }, 'Enter your full name'],
      ['/profile/details', { name: 'Ok', phone: '12' }, 'Enter a phone number'],
      ['/profile/contact', { contactMethods: ['phone'] }, 'Enter a phone number, or untick Phone'],
      ['/profile/contact', { contactMethods: ['pigeon'] }, 'Select how we can contact you from the list'],
      ['/profile/contact', { contactMethods: ['post'] }, 'Enter your postal address, or untick Post'],
      ['/profile/lived-experience', { terms: ['999999'] }, 'Select lived experience from the list'],
      ['/profile/lived-experience', { terms: ['1 OR 1=1'] }, 'Select lived experience from the list'],
      ['/profile/lived-experience', { notes: 'x'.repeat(2001) }, 'must be 2,000 characters or fewer'],
      ['/profile/interests', { interests: 'juggling' }, 'Select the kinds of involvement from the list'],
      ['/profile/availability', { region: 'Atlantis' }, 'Select where you live from the list'],
      ['/profile/access-needs', { accessNeeds: 'teleport' }, 'Select access needs from the list'],
      ['/profile/payment', { paymentPreference: 'bitcoin' }, 'Select how you would like to be paid for your time'],
      ['/profile/payment', { publicSectorEmployee: 'perhaps' }, 'Select whether you work for the NHS'],
    ];
    for (const [path, form, message] of cases) {
      const res = await browser.submit(path, path, form);
      expect(res.statusCode, `${path} ${JSON.stringify(form)}`).toBe(400);
      expect(res.body).toContain('nhsuk-error-summary');
      expect(res.body).toContain(message);
    }
    const stored = await db.select().from(contributorProfiles).where(eq(contributorProfiles.userId, id));
    expect(stored[0]?.completedSteps ?? {}).toEqual({});
    expect(await db.select().from(contributorLivedExperience).where(eq(contributorLivedExperience.userId, id))).toHaveLength(0);
  });

  it('does not offer archived terms and refuses them if sent anyway', async () => {
    const { browser } = await joinedContributor(app, sink, 'Archive Test');
    const [term] = await db.insert(livedExperienceTerms).values({ category: 'condition', label: 'Old wording' }).returning();
    await db.update(livedExperienceTerms).set({ archivedAt: new Date() }).where(eq(livedExperienceTerms.id, term!.id));
    const page = await browser.get('/profile/lived-experience');
    expect(page.body).not.toContain('Old wording');
    const res = await browser.submit('/profile/lived-experience', '/profile/lived-experience', { terms: [String(term!.id)] });
    expect(res.statusCode).toBe(400);
  });

  it('sends anonymous people to sign in and refuses staff and admins (they have no profile)', async () => {
    for (const path of ['/profile', '/profile/details', '/profile/data', '/profile/data.json', '/profile/delete']) {
      const anon = await new Browser(app).get(path);
      expect(anon.statusCode).toBe(302);
      expect(anon.headers.location).toBe('/sign-in/email');
    }
    for (const role of ['staff', 'involvement', 'admin'] as const) {
      const { browser } = await signedInBrowser(app, role);
      for (const path of ['/profile', '/profile/interests', '/profile/data.json']) expect((await browser.get(path)).statusCode).toBe(403);
      const post = await browser.submit('/admin', '/profile/interests', { interests: 'surveys' });
      expect(post.statusCode).toBe(403);
    }
  });

  it('asks again when the privacy notice version has changed, and records the new agreement', async () => {
    const { browser, id } = await joinedContributor(app, sink, 'Notice Changed');
    expect((await browser.get('/profile')).body).not.toContain('Save my agreement');
    const { consentEvents } = await import('#src/features/data-rights/tables.ts');
    await db.update(consentEvents).set({ privacyNoticeVersion: 'older' }).where(eq(consentEvents.userId, id));
    const page = await browser.get('/profile');
    expect(page.body).toContain('Our privacy notice has changed');
    expect(page.body).toContain('You last agreed to version older');
    const refused = await browser.submit('/profile', '/profile/consent', {});
    expect(refused.statusCode).toBe(400);
    const agreed = await browser.submit('/profile', '/profile/consent', { consent: 'yes' });
    expect(agreed.statusCode).toBe(303);
    expect(await db.select().from(consentEvents).where(eq(consentEvents.userId, id))).toHaveLength(2);
    expect((await browser.get('/profile')).body).not.toContain('Save my agreement');
  });
});

describe('one contributor and another', async () => {
  const sink = await startSmtpSink();
  const { app } = await buildTestApp({ smtpUrl: sink.url });

  it('each sees and changes only their own answers on every profile page', async () => {
    const a = await joinedContributor(app, sink, 'Ann First');
    const b = await joinedContributor(app, sink, 'Ben Second');
    await a.browser.submit('/profile/details', '/profile/details', { name: 'Ann First', preferredName: 'Annie', phone: '07700 900 111' });
    await a.browser.submit('/profile/access-needs', '/profile/access-needs', { accessNeedsNotes: 'Ann needs a BSL interpreter' });
    for (const path of [
      '/profile',
      '/profile/details',
      '/profile/contact',
      '/profile/lived-experience',
      '/profile/interests',
      '/profile/availability',
      '/profile/access-needs',
      '/profile/payment',
      '/profile/diversity',
      '/profile/data',
      '/profile/data.json',
    ]) {
      const res = await b.browser.get(path);
      expect(res.statusCode, path).toBe(200);
      for (const secret of ['Annie', '07700 900 111', 'Ann needs a BSL interpreter', a.email, a.id])
        expect(res.body, `${path} ${secret}`).not.toContain(secret);
    }
    // B saving a step never touches A's answers.
    await b.browser.submit('/profile/details', '/profile/details', { name: 'Ben Second', preferredName: 'Benny' });
    expect((await a.browser.get('/profile/details')).body).toContain('Annie');
  });
});
