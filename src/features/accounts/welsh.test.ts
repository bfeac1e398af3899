import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { Browser, buildTestApp } from '#tests/helpers/app.ts';
import { startSmtpSink, waitFor } from '#tests/helpers/smtp.ts';
import { joinedContributor, linkEmailedTo } from '#tests/helpers/contributors.ts';
import { contributorProfiles } from '#src/features/profile/tables.ts';

const languageOf = (setCookie: string | string[] | undefined) => /coproduce\.lang=(\w+)/.exec([setCookie ?? []].flat().join('\n'))?.[1];

describe('joining and signing in, in Welsh', async () => {
  const sink = await startSmtpSink();
  const { app, db } = await buildTestApp({ smtpUrl: sink.url });
  const storedLanguage = async (userId: string) =>
    (await db.select({ language: contributorProfiles.language }).from(contributorProfiles).where(eq(contributorProfiles.userId, userId)))[0]
      ?.language;

  it('explains joining in Welsh, says what is wrong in Welsh, emails the link in Welsh and stores Welsh on the profile', async () => {
    const browser = new Browser(app);
    const page = await browser.get('/join?lang=cy');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<html lang="cy"');
    expect(page.body).toContain('Ymuno â&#39;n rhwydwaith cyfranwyr');
    expect(page.body).toContain('Enw llawn');
    expect(page.body).not.toContain('Full name');

    const refused = await browser.submit('/join', '/join', { name: '', email: 'not an address' });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('Mae problem');
    expect(refused.body).toContain('Rhowch eich enw llawn');
    expect(refused.body).toContain('Rhowch gyfeiriad e-bost yn y fformat cywir');
    expect(refused.body).toContain('Cadarnhewch eich bod wedi darllen yr hysbysiad preifatrwydd');
    expect(refused.body).not.toContain('Enter your full name');

    const email = 'cymro@example.net';
    const sent = await browser.submit('/join', '/join', { name: 'Dafydd Jones', email, consent: 'yes' });
    expect(sent.statusCode).toBe(303);
    expect((await browser.get('/join/check-email')).body).toContain('Gwiriwch eich e-bost');

    const { parsed, path } = await linkEmailedTo(sink, email);
    expect(parsed.subject).toContain('Cadarnhewch eich cyfeiriad e-bost i ymuno â');
    expect(parsed.text).toContain('15 munud');
    expect(parsed.html).toContain('lang="cy"');

    expect((await browser.get(path)).body).toContain('Parhau i fewngofnodi');
    const done = await browser.submit(path, '/sign-in/continue', {});
    expect(done.statusCode).toBe(303);
    expect(done.headers.location).toBe('/profile/welcome');
    const welcome = await browser.get('/profile/welcome');
    expect(welcome.body).toMatch(/<h1[^>]*>\s*Croeso\s*<\/h1>/);
    expect(welcome.body).toContain('Beth sy&#39;n digwydd nesaf');
    expect(welcome.body).not.toContain('What happens next');
    const profile = await browser.get('/profile');
    expect(profile.body).toContain('Eich proffil');
    expect(profile.body).toContain('Helo Dafydd Jones');
    const account = await app.services.identity.findAccountByEmail(email);
    expect(await storedLanguage(account!.id)).toBe('cy');
  });

  it('sends the sign-in link in the language of the page, and on sign-in follows the language on the profile', async () => {
    const { email, id } = await joinedContributor(app, sink, 'Siân Evans');
    // Joining stores the language of the page they joined on; later they choose Welsh.
    expect(await storedLanguage(id)).toBe('en');
    await app.services.profile.saveLanguage(id, 'cy');

    // A new device, in English: the link comes in English (the page's language)…
    const before = sink.to(email).length;
    const browser = new Browser(app);
    await browser.submit('/sign-in/email', '/sign-in/email', { email });
    const { parsed, path } = await linkEmailedTo(sink, email, before);
    expect(parsed.subject).toContain('Your link to sign in to');
    // …and once signed in, the pages follow the language they chose.
    const done = await browser.submit(path, '/sign-in/continue', {});
    expect(done.statusCode).toBe(303);
    expect(languageOf(done.headers['set-cookie'])).toBe('cy');
    expect((await browser.get('/profile')).body).toContain('<html lang="cy"');

    // Asked for from a Welsh page, the link is in Welsh.
    const welsh = new Browser(app);
    await welsh.get('/sign-in/email?lang=cy');
    const count = sink.to(email).length;
    const refused = await welsh.submit('/sign-in/email', '/sign-in/email', { email: '' });
    expect(refused.body).toContain('Rhowch eich cyfeiriad e-bost');
    await welsh.submit('/sign-in/email', '/sign-in/email', { email });
    const link = await linkEmailedTo(sink, email, count);
    expect(link.parsed.subject).toContain('Eich dolen i fewngofnodi i');
    expect(link.parsed.text).toContain('Os nad chi oedd hyn');
  });

  it('stores the language someone chose before signing in when their profile has none', async () => {
    const { email, id } = await joinedContributor(app, sink, 'Gwen Morgan');
    await db.update(contributorProfiles).set({ language: null }).where(eq(contributorProfiles.userId, id));
    const browser = new Browser(app);
    await browser.get('/?lang=cy');
    const before = sink.to(email).length;
    await browser.submit('/sign-in/email', '/sign-in/email', { email });
    const { path } = await linkEmailedTo(sink, email, before);
    await browser.submit(path, '/sign-in/continue', {});
    expect(await storedLanguage(id)).toBe('cy');
  });

  it('manages sign-in methods in Welsh, with Welsh errors and a Welsh notice by email', async () => {
    const { browser, email } = await joinedContributor(app, sink, 'Rhys Price');
    const page = await browser.get('/profile/sign-in-methods?lang=cy');
    expect(page.body).toContain('Ffyrdd o fewngofnodi');
    expect(page.body).toContain('Allweddi mynediad');
    const base = '/profile/sign-in-methods/password/add';
    const short = await browser.submit(base, base, { password: 'short', confirmPassword: 'short' });
    expect(short.statusCode).toBe(400);
    expect(short.body).toContain('Rhaid i&#39;r cyfrinair fod yn 12 nod neu fwy');
    const before = sink.to(email).length;
    const added = await browser.submit(base, base, { password: 'afon papur llusern 7', confirmPassword: 'afon papur llusern 7' });
    expect(added.statusCode).toBe(303);
    expect((await browser.get(added.headers.location as string)).body).toContain('Mae eich cyfrinair wedi cael ei ychwanegu');
    const mail = await waitFor(() => sink.to(email)[before]);
    const parsed = await sink.parse(mail);
    expect(parsed.subject).toBe('Mae cyfrinair wedi cael ei ychwanegu at eich cyfrif');
    expect(parsed.text).toContain('Gwirio eich ffyrdd o fewngofnodi');
  });
  it('shows every sign-in page in Welsh, with no catalogue key left showing', async () => {
    const browser = new Browser(app);
    await browser.get('/?lang=cy');
    const pages: [string, string][] = [
      ['/sign-in/email', 'Mewngofnodi gyda dolen e-bost'],
      ['/sign-in/email/check-email', 'Gofynnwch am ddolen arall'],
      ['/sign-in/password', 'Mewngofnodi gyda chyfrinair'],
      ['/sign-in', 'Mewngofnodi staff'],
      ['/sign-in/continue?token=aaaaaaaaaaaaaaaaaaaa', 'Parhau i fewngofnodi'],
      ['/sign-in/continue?token=bad', 'Mae&#39;r ddolen hon wedi dod i ben'],
    ];
    for (const [url, words] of pages) {
      const page = await browser.get(url);
      expect(page.body, url).toContain('<html lang="cy"');
      expect(page.body, url).toContain(words);
      expect(page.body, url).not.toMatch(/\b(accounts|identity|profile|dataRights)\.[a-z]+\.[a-zA-Z.]+/);
    }
    const wrong = await browser.submit('/sign-in/password', '/sign-in/password', { email: 'nobody@example.net', password: 'not the one' });
    expect(wrong.body).toContain('Rhowch gyfeiriad e-bost a chyfrinair cywir');
  });
});
