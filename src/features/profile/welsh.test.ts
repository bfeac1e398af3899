import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { buildTestApp, signedInBrowser } from '#tests/helpers/app.ts';
import { startSmtpSink, waitFor } from '#tests/helpers/smtp.ts';
import { joinedContributor } from '#tests/helpers/contributors.ts';
import { contributorProfiles, livedExperienceTerms } from './tables.ts';
import { seedLivedExperienceTerms } from './demo.ts';

describe('the profile and "Your data", in Welsh', async () => {
  const sink = await startSmtpSink();
  const { app, db } = await buildTestApp({ smtpUrl: sink.url });
  await seedLivedExperienceTerms(db);
  const [sickleCell] = await db.select().from(livedExperienceTerms).where(eq(livedExperienceTerms.label, 'Sickle cell disorder'));
  const [englishOnly] = await db.insert(livedExperienceTerms).values({ category: 'condition', label: 'Rare wording' }).returning();
  const storedLanguage = async (userId: string) =>
    (await db.select({ language: contributorProfiles.language }).from(contributorProfiles).where(eq(contributorProfiles.userId, userId)))[0]
      ?.language;

  it('stores the language a signed-in contributor chooses with ?lang=, and shows the task list in it', async () => {
    const { browser, id } = await joinedContributor(app, sink, 'Elin Hughes');
    expect(await storedLanguage(id)).toBe('en');
    const page = await browser.get('/profile?lang=cy');
    expect(page.body).toContain('<html lang="cy"');
    expect(page.body).toContain('Eich manylion');
    expect(page.body).toContain('Heb ddechrau');
    expect(page.body).toContain('Rydych wedi cwblhau 0 o 9 cam.');
    await waitFor(async () => (await storedLanguage(id)) === 'cy' || undefined);
    await browser.get('/profile?lang=en');
    await waitFor(async () => (await storedLanguage(id)) === 'en' || undefined);
  });

  it('asks every step in Welsh and says what is wrong in Welsh', async () => {
    const { browser } = await joinedContributor(app, sink, 'Owain Thomas');
    await browser.get('/profile?lang=cy');

    const details = await browser.submit('/profile/details', '/profile/details', { name: '', phone: 'call me' });
    expect(details.statusCode).toBe(400);
    expect(details.body).toContain('Mae problem');
    expect(details.body).toContain('Rhowch eich enw llawn');
    expect(details.body).toContain('Rhowch rif ffôn, fel 01632 960 001 neu 07700 900 982');

    const contact = await browser.submit('/profile/contact', '/profile/contact', {
      contactMethods: ['phone', 'post'],
      formats: 'interpreter',
    });
    expect(contact.statusCode).toBe(400);
    expect(contact.body).toContain('Rhowch rif ffôn, neu dad-diciwch Ffôn');
    expect(contact.body).toContain('Rhowch eich cyfeiriad post, neu dad-diciwch Post');
    expect(contact.body).toContain('Rhowch yr iaith mae angen cyfieithydd arnoch ar ei chyfer');
    expect(contact.body).toContain('Hawdd ei ddeall');

    const tooLong = await browser.submit('/profile/access-needs', '/profile/access-needs', { accessNeedsNotes: 'x'.repeat(2001) });
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.body).toContain('Mae Anghenion mynediad eraill yn rhy hir');

    expect((await browser.submit('/profile/interests', '/profile/interests', { interests: 'juggling' })).body).toContain(
      'Dewiswch y mathau o gyfranogiad o&#39;r rhestr',
    );
    const availability = await browser.get('/profile/availability');
    expect(availability.body).toContain('Dewiswch ble rydych yn byw');
    expect(availability.body).toContain('Gogledd-ddwyrain Lloegr');
    expect((await browser.submit('/profile/payment', '/profile/payment', { paymentPreference: 'bitcoin' })).body).toContain(
      'Dewiswch sut yr hoffech gael eich talu am eich amser',
    );

    const lived = await browser.get('/profile/lived-experience');
    expect(lived.body).toContain('Eich profiad bywyd');
    expect(lived.body).toContain('Clefyd cryman-gell');
    expect(lived.body).toContain('Cyflyrau (dewisol)');
    // A term with no Welsh yet is offered in English.
    expect(lived.body).toContain('Rare wording');
    const refused = await browser.submit('/profile/lived-experience', '/profile/lived-experience', { terms: '999999' });
    expect(refused.body).toContain('Dewiswch brofiad bywyd o&#39;r rhestr');

    const diversity = await browser.get('/profile/diversity');
    expect(diversity.body).toContain('Beth yw eich oedran?');
    expect(diversity.body).toContain('Mae&#39;n well gennyf beidio â dweud');
    expect((await browser.submit('/profile/diversity', '/profile/diversity', { sex: 'Unknown' })).body).toContain(
      'Dewiswch ateb o&#39;r rhestr',
    );
  });

  it('shows "Your data" in Welsh and includes the chosen language in the download', async () => {
    const { browser, id } = await joinedContributor(app, sink, 'Nia Williams');
    await browser.get('/profile?lang=cy');
    await waitFor(async () => (await storedLanguage(id)) === 'cy' || undefined);
    await browser.submit('/profile/lived-experience', '/profile/lived-experience', {
      terms: [String(sickleCell!.id), String(englishOnly!.id)],
    });
    await browser.submit('/profile/contact', '/profile/contact', { contactMethods: 'email', formats: 'large-print' });
    await browser.submit('/profile/diversity', '/profile/diversity', { ageBand: '25 to 34' });

    const page = await browser.get('/profile/data');
    expect(page.body).toContain('Eich data');
    expect(page.body).toContain('Eich cyfrif');
    expect(page.body).toContain('Cyflyrau: Clefyd cryman-gell');
    expect(page.body).toContain('Print bras');
    expect(page.body).toContain('25 i 34');
    expect(page.body).toContain('Pwy sydd wedi edrych ar eich data');
    expect(page.body).toContain('Cymraeg');

    const data = JSON.parse((await browser.get('/profile/data.json')).body);
    expect(data.profile.language).toBe('cy');
    expect(data.profile.formats).toEqual(['Print bras']);
    expect(data.livedExperience.chosen).toEqual(
      expect.arrayContaining([
        { group: 'Cyflyrau', term: 'Clefyd cryman-gell' },
        { group: 'Cyflyrau', term: 'Rare wording' },
      ]),
    );
  });

  it('deletes an account in Welsh and confirms it by email in Welsh', async () => {
    const { browser, email } = await joinedContributor(app, sink, 'Gareth Lewis');
    const page = await browser.get('/profile/delete?lang=cy');
    expect(page.body).toContain('Allwch chi ddim dadwneud hyn');
    const refused = await browser.submit('/profile/delete', '/profile/delete', {});
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('Cadarnhewch eich bod am ddileu eich cyfrif');
    const res = await browser.submit('/profile/delete', '/profile/delete', { confirm: 'yes' });
    expect(res.statusCode).toBe(303);
    expect((await browser.get('/account-deleted')).body).toContain('Mae eich cyfrif wedi cael ei ddileu');
    const mail = await waitFor(() => sink.to(email).find((m) => m.raw.includes('Rydym wedi dileu') || m.raw.includes('dileu')));
    const parsed = await sink.parse(mail);
    expect(parsed.subject).toContain('wedi cael ei ddileu');
    expect(parsed.text).toContain('Rydym wedi dileu eich cyfrif cyfrannwr');
  });
  it('lets admins write a term in Welsh beside the English, which Welsh pages then show', async () => {
    const { browser: admin } = await signedInBrowser(app, 'admin');
    const list = '/admin/lived-experience';
    expect((await admin.submit(list, list, { category: 'condition', label: 'Asthma', label_cy: 'Asthma (Cymraeg)' })).statusCode).toBe(303);
    const [term] = await db.select().from(livedExperienceTerms).where(eq(livedExperienceTerms.label, 'Asthma'));
    expect(term!.translations).toEqual({ cy: { label: 'Asthma (Cymraeg)' } });
    const edit = `/admin/lived-experience/${term!.id}`;
    expect((await admin.get(edit)).body).toContain('value="Asthma (Cymraeg)"');
    expect(
      (await admin.submit(edit, edit, { category: 'condition', label: 'Asthma or COPD', label_cy: 'Asthma neu COPD' })).statusCode,
    ).toBe(303);

    const { browser } = await joinedContributor(app, sink, 'Iwan Roberts');
    expect((await browser.get('/profile/lived-experience?lang=cy')).body).toContain('Asthma neu COPD');
    expect((await browser.get('/profile/lived-experience?lang=en')).body).toContain('Asthma or COPD');
  });
});
